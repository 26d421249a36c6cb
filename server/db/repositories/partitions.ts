// The week partitions of monitoring.statuts (sql/012_statuts_partitions.sql): made ahead, dropped by retention.
import type { Queryable } from '../types.ts';

export interface ResultPartition {
  name: string;
  /** The default partition: results no week holds. */
  isDefault: boolean;
  /** null: no lower bound (the default partition, and the one of results from before partitioning). */
  from: Date | null;
  /** Exclusive; null for the default partition. */
  to: Date | null;
}

/** Makes the missing week partitions covering [from, to); returns how many it made. Safe across instances. */
export async function createResultPartitions(db: Queryable, from: Date, to: Date): Promise<number> {
  const { rows } = await db.query<{ made: number }>('SELECT monitoring.creer_partitions_statuts($1, $2) AS made', [
    from,
    to,
  ]);
  return rows[0]!.made;
}

/** The partitions, oldest first, the default one last. */
export async function listResultPartitions(db: Queryable): Promise<ResultPartition[]> {
  const { rows } = await db.query<{ nom: string; par_defaut: boolean; debut: Date | null; fin: Date | null }>(
    'SELECT nom, par_defaut, debut, fin FROM monitoring.partitions_statuts ORDER BY par_defaut, fin, debut NULLS FIRST',
  );
  return rows.map((row) => ({ name: row.nom, isDefault: row.par_defaut, from: row.debut, to: row.fin }));
}

/** How long dropping a partition waits for the table's lock (writers queue behind it meanwhile) before giving up. */
const DROP_LOCK_WAIT_MS = 1000;

/**
 * Drops the partitions holding only results checked strictly before cutoff; returns how many. A partition whose
 * lock is not had in time stays for the next run (its rows are deleted by pruneResultsBefore meanwhile).
 */
export async function dropResultPartitionsBefore(db: Queryable, cutoff: Date): Promise<number> {
  const { rows } = await db.query<{ dropped: number }>(
    `SELECT monitoring.supprimer_partitions_statuts($1, make_interval(secs => $2 / 1000.0)) AS dropped`,
    [cutoff, DROP_LOCK_WAIT_MS],
  );
  return rows[0]!.dropped;
}
