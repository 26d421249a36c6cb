// Alerts that are not state transitions, written by the application: flapping, reminders, checker degraded.
// Each insert is guarded by an advisory lock so that several instances never write the same notice twice.
import type { Queryable } from '../types.ts';

const NOTICE_LOCK = 7_311_425;

/** Counts DOWN/UP alerts of a monitor in (since, until]. */
export async function countStateAlerts(db: Queryable, monitorId: number, since: Date, until: Date): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM monitoring.alertes
      WHERE moniteur_id = $1 AND type IN ('DOWN', 'UP') AND cree_a > $2 AND cree_a <= $3`,
    [monitorId, since, until],
  );
  return rows[0]!.n;
}

/** Distinct monitors with a DOWN alert in [since, until], and how many monitors are active. */
export async function countMonitorsGoneDown(
  db: Queryable,
  since: Date,
  until: Date,
): Promise<{ down: number; active: number }> {
  const { rows } = await db.query<{ down: number; active: number }>(
    // Only monitors that depend on no other: a parent's outage taking its dependents down is not a mass failure.
    `SELECT (SELECT count(DISTINCT a.moniteur_id)::int FROM monitoring.alertes a
               JOIN monitoring.moniteurs m ON m.id = a.moniteur_id
              WHERE a.type = 'DOWN' AND a.cree_a >= $1 AND a.cree_a <= $2 AND m.depend_de IS NULL) AS down,
            (SELECT count(*)::int FROM monitoring.moniteurs WHERE NOT en_pause AND depend_de IS NULL) AS active`,
    [since, until],
  );
  return rows[0]!;
}

/**
 * Inserts a notice unless one of the same kind (for the same monitor) exists since `since`.
 * Must run in a transaction: the advisory lock is held until it ends.
 */
export async function insertNoticeOnce(
  tx: Queryable,
  notice: { kind: 'FLAPPING' | 'CHECKER_DEGRADED'; monitorId: number | null; cause: string; since: Date },
): Promise<boolean> {
  await tx.query('SELECT pg_advisory_xact_lock($1, $2)', [NOTICE_LOCK, notice.monitorId ?? 0]);
  const { rowCount } = await tx.query(
    `INSERT INTO monitoring.alertes (moniteur_id, type, cause)
     SELECT $1, $2, $3
      WHERE NOT EXISTS (SELECT 1 FROM monitoring.alertes
                         WHERE moniteur_id IS NOT DISTINCT FROM $1 AND type = $2 AND cree_a > $4)`,
    [notice.monitorId, notice.kind, notice.cause, notice.since],
  );
  return rowCount > 0;
}

/** One REMINDER per monitor that is still DOWN and has had no DOWN or REMINDER alert for its reminder period. */
export async function insertDueReminders(tx: Queryable): Promise<number> {
  await tx.query('SELECT pg_advisory_xact_lock($1, $2)', [NOTICE_LOCK, -1]);
  const { rowCount } = await tx.query(
    `INSERT INTO monitoring.alertes (moniteur_id, type, cause)
     SELECT m.id, 'REMINDER', 'still down since ' || to_char(e.depuis AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC'
       FROM monitoring.moniteurs m
       JOIN monitoring.etats_moniteurs e ON e.moniteur_id = m.id
      WHERE NOT m.en_pause AND m.rappel_minutes IS NOT NULL AND e.etat = 'DOWN'
        AND NOT EXISTS (SELECT 1 FROM monitoring.alertes a
                         WHERE a.moniteur_id = m.id AND a.type IN ('DOWN', 'REMINDER')
                           AND a.cree_a > now() - m.rappel_minutes * interval '1 minute')
        AND e.depuis <= now() - m.rappel_minutes * interval '1 minute'`,
  );
  return rowCount;
}
