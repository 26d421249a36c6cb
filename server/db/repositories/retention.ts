// Retention: deleting old results, rollups, alerts and transitions, one small batch per statement, oldest first,
// each batch found through an index so that it never reads the whole table.
import type { Queryable } from '../types.ts';

// Any constant works; it only has to be the same for every Vigie instance (and differ from the others' keys).
const RETENTION_LOCK = 7_311_426;

/**
 * Takes the retention lock for the rest of the transaction, or returns false at once when another instance
 * (or another run) holds it. Must run in a transaction.
 */
export async function tryLockRetention(tx: Queryable): Promise<boolean> {
  const { rows } = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [
    RETENTION_LOCK,
  ]);
  return rows[0]!.locked;
}

/**
 * Deletes up to batchSize results (of monitors and one-off checks) checked strictly before cutoff. The time
 * condition on the DELETE itself keeps its id probes to the partitions before the cutoff.
 */
export async function pruneResultsBefore(db: Queryable, cutoff: Date, batchSize: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM monitoring.statuts
      WHERE verifie_a < $1
        AND id = ANY (ARRAY(SELECT id FROM monitoring.statuts
                                 WHERE verifie_a < $1
                                 ORDER BY verifie_a
                                 LIMIT $2))`,
    [cutoff, batchSize],
  );
  return rowCount;
}

/**
 * Deletes up to batchSize hourly rollups whose whole hour ended by cutoff: an hour that overlaps the kept
 * window stays, so a window starting at cutoff still has its first hour.
 */
export async function pruneRollupsBefore(db: Queryable, cutoff: Date, batchSize: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM monitoring.statuts_horaires
      WHERE (moniteur_id, heure) IN (SELECT moniteur_id, heure FROM monitoring.statuts_horaires
                                      WHERE heure <= $1::timestamptz - interval '1 hour'
                                      ORDER BY heure
                                      LIMIT $2)`,
    [cutoff, batchSize],
  );
  return rowCount;
}

/**
 * Deletes up to batchSize alerts raised strictly before cutoff, with their deliveries (ON DELETE CASCADE).
 * An alert with a delivery still pending stays: losing a notification is worse than keeping a row.
 */
export async function pruneAlertsBefore(db: Queryable, cutoff: Date, batchSize: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM monitoring.alertes
      WHERE id = ANY (ARRAY(SELECT a.id FROM monitoring.alertes a
                             WHERE a.cree_a < $1
                               AND NOT EXISTS (SELECT 1 FROM monitoring.livraisons l
                                                WHERE l.alerte_id = a.id AND l.statut = 'en_attente')
                             ORDER BY a.cree_a
                             LIMIT $2))`,
    [cutoff, batchSize],
  );
  return rowCount;
}

/**
 * Deletes up to batchSize status transitions recorded strictly before cutoff. There is no index on the time
 * alone; each monitor's (moniteur_id, cree_a) index is probed instead, which costs one probe per monitor and
 * never reads the transitions that stay.
 */
export async function pruneTransitionsBefore(db: Queryable, cutoff: Date, batchSize: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM monitoring.transitions
      WHERE id = ANY (ARRAY(SELECT t.id FROM monitoring.moniteurs m
                             CROSS JOIN LATERAL (SELECT id FROM monitoring.transitions
                                                  WHERE moniteur_id = m.id AND cree_a < $1
                                                  ORDER BY cree_a
                                                  LIMIT $2) t
                             LIMIT $2))`,
    [cutoff, batchSize],
  );
  return rowCount;
}
