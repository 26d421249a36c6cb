// Statistics read straight from monitoring.statuts and monitoring.alertes, for many monitors in one statement.
import type { Queryable } from '../types.ts';

export interface RawMonitorStats {
  monitorId: number;
  checks: number;
  failures: number;
  incidents: number;
  latencyAvg: number | null;
  latencyMin: number | null;
  latencyMax: number | null;
  latencyP50: number | null;
  latencyP95: number | null;
  latencyP99: number | null;
}

interface StatsRow {
  moniteur_id: number;
  checks: number;
  failures: number;
  incidents: number;
  avg: number | null;
  min: number | null;
  max: number | null;
  percentiles: number[] | null;
}

/** One row per requested monitor, zeros for those without results in [from, to). */
export async function computeMonitorStats(db: Queryable, monitorIds: number[], from: Date, to: Date): Promise<RawMonitorStats[]> {
  const { rows } = await db.query<StatsRow>(
    `WITH ids AS (SELECT unnest($1::int[]) AS moniteur_id),
     checks AS (
       SELECT moniteur_id,
              count(*)::int AS checks,
              (count(*) FILTER (WHERE NOT est_disponible))::int AS failures,
              (avg(latence_ms) FILTER (WHERE est_disponible))::float8 AS avg,
              min(latence_ms) FILTER (WHERE est_disponible) AS min,
              max(latence_ms) FILTER (WHERE est_disponible) AS max,
              percentile_cont(ARRAY[0.5, 0.95, 0.99]::float8[]) WITHIN GROUP (ORDER BY latence_ms)
                FILTER (WHERE est_disponible) AS percentiles
         FROM monitoring.statuts
        WHERE moniteur_id = ANY($1) AND verifie_a >= $2 AND verifie_a < $3
        GROUP BY moniteur_id),
     incidents AS (
       SELECT moniteur_id, count(*)::int AS incidents
         FROM monitoring.alertes
        WHERE moniteur_id = ANY($1) AND type = 'DOWN' AND cree_a >= $2 AND cree_a < $3
        GROUP BY moniteur_id)
     SELECT ids.moniteur_id, coalesce(c.checks, 0) AS checks, coalesce(c.failures, 0) AS failures,
            coalesce(i.incidents, 0) AS incidents, c.avg, c.min, c.max, c.percentiles
       FROM ids
       LEFT JOIN checks c USING (moniteur_id)
       LEFT JOIN incidents i USING (moniteur_id)`,
    [monitorIds, from, to],
  );
  return rows.map((row) => ({
    monitorId: row.moniteur_id,
    checks: row.checks,
    failures: row.failures,
    incidents: row.incidents,
    latencyAvg: row.avg,
    latencyMin: row.min,
    latencyMax: row.max,
    latencyP50: row.percentiles?.[0] ?? null,
    latencyP95: row.percentiles?.[1] ?? null,
    latencyP99: row.percentiles?.[2] ?? null,
  }));
}
