// What the results table says of a window: checks per monitor per interval, doubled and missed checks, gaps, and
// how the monitors of a killed instance were taken over.
import type { Db } from '../server/db/index.ts';

export interface WindowHistory {
  results: number;
  expected: number;
  /** Monitors with no result in the window. */
  silentMonitors: number;
  /** Two checks of one monitor less than half an interval apart. */
  doubled: number;
  /** Interval slots with no check: a gap of n intervals misses n − 1. */
  missed: number;
  longestGapSeconds: number;
}

export async function windowHistory(db: Db, from: Date, to: Date, intervalSeconds: number): Promise<WindowHistory> {
  const { rows } = await db.query<Omit<WindowHistory, 'expected'> & { monitors: number }>(
    `WITH r AS (
       SELECT moniteur_id,
              extract(epoch FROM verifie_a - lag(verifie_a) OVER (PARTITION BY moniteur_id ORDER BY verifie_a))::float8
                AS gap
         FROM monitoring.statuts WHERE verifie_a >= $1 AND verifie_a < $2)
     SELECT (SELECT count(*) FROM r)::int AS results,
            (SELECT count(*) FROM monitoring.moniteurs WHERE NOT en_pause)::int AS monitors,
            (SELECT count(*) FROM monitoring.moniteurs m WHERE NOT en_pause
                AND NOT EXISTS (SELECT 1 FROM r WHERE r.moniteur_id = m.id))::int AS "silentMonitors",
            (SELECT count(*) FROM r WHERE gap < $3 / 2.0)::int AS doubled,
            (SELECT coalesce(sum(greatest(0, round(gap / $3) - 1)), 0) FROM r)::int AS missed,
            (SELECT coalesce(max(gap), 0) FROM r)::float8 AS "longestGapSeconds"`,
    [from, to, intervalSeconds],
  );
  const { monitors, ...history } = rows[0]!;
  const windowSeconds = (to.getTime() - from.getTime()) / 1000;
  return { ...history, expected: Math.round((monitors * windowSeconds) / intervalSeconds) };
}

/** The monitors an instance holds a lease on now. */
export async function heldBy(db: Db, instanceName: string): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT b.moniteur_id AS id FROM monitoring.baux b JOIN monitoring.instances i ON i.id = b.instance_id
      WHERE i.nom = $1`,
    [instanceName],
  );
  return rows.map((row) => row.id);
}

/** Leases held per instance name. */
export async function leaseShares(db: Db): Promise<Map<string, number>> {
  const { rows } = await db.query<{ nom: string; n: number }>(
    `SELECT i.nom, count(b.moniteur_id)::int AS n FROM monitoring.instances i
       LEFT JOIN monitoring.baux b ON b.instance_id = i.id GROUP BY i.nom ORDER BY i.nom`,
  );
  return new Map(rows.map((row) => [row.nom, row.n]));
}

export interface Takeover {
  monitors: number;
  /** Monitors not checked again since the kill. */
  notTakenOver: number;
  /** From the kill to each monitor's first check after it: p50 and the last one (all taken over). */
  p50Seconds: number;
  maxSeconds: number;
  /** Longest gap between a taken-over monitor's last check before the kill and its first after. */
  longestGapSeconds: number;
}

export async function takeover(db: Db, monitorIds: number[], killedAt: Date): Promise<Takeover> {
  const { rows } = await db.query<Takeover>(
    `WITH m AS (SELECT unnest($1::int[]) AS id),
          t AS (
            SELECT m.id,
                   (SELECT max(verifie_a) FROM monitoring.statuts s WHERE s.moniteur_id = m.id AND verifie_a < $2) AS before,
                   (SELECT min(verifie_a) FROM monitoring.statuts s WHERE s.moniteur_id = m.id AND verifie_a >= $2) AS after
              FROM m)
     SELECT count(*)::int AS monitors,
            count(*) FILTER (WHERE after IS NULL)::int AS "notTakenOver",
            coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM after - $2)), 0)::float8
              AS "p50Seconds",
            coalesce(max(extract(epoch FROM after - $2)), 0)::float8 AS "maxSeconds",
            coalesce(max(extract(epoch FROM after - before)), 0)::float8 AS "longestGapSeconds"
       FROM t`,
    [monitorIds, killedAt],
  );
  return rows[0]!;
}
