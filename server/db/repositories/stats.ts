// Statistics reads: whole hours from the hourly rollups (monitoring.statuts_horaires), the partial hours at a
// window's edges from raw results, for many monitors per statement.
import type { Queryable } from '../types.ts';

/** A window split at whole hours: raw results in [from, firstHour) and [lastHour, to), rollups in between. */
export interface SplitRange {
  from: Date;
  to: Date;
  /** Start of the first whole hour; equals lastHour when the window holds no whole hour (all raw). */
  firstHour: Date;
  lastHour: Date;
  /** Only the results of this location (the rollups are of every location: all raw, then); null: every location. */
  location: string | null;
}

export interface CheckCounts {
  monitorId: number;
  checks: number;
  failures: number;
  /** Latency of the successful checks, ms. */
  latencySum: number;
  latencyMin: number | null;
  latencyMax: number | null;
}

interface CountsRow {
  moniteur_id: number;
  verifications: number;
  echecs: number;
  somme: number;
  mini: number | null;
  maxi: number | null;
}

/** The raw results of a split range's edges, of its location if it has one (parameters of rangeParams). */
const RAW_EDGES = `((verifie_a >= $2 AND verifie_a < $3) OR (verifie_a >= $4 AND verifie_a < $5))
  AND ($6::text IS NULL OR emplacement = $6)`;

// Raw edges and whole-hour rollups, as one row per part; the parts are added up per monitor.
const COUNT_PARTS = `
  SELECT moniteur_id, count(*)::int AS verifications, (count(*) FILTER (WHERE NOT est_disponible))::int AS echecs,
         coalesce(sum(latence_ms) FILTER (WHERE est_disponible), 0)::int8 AS somme,
         min(latence_ms) FILTER (WHERE est_disponible) AS mini, max(latence_ms) FILTER (WHERE est_disponible) AS maxi
    FROM monitoring.statuts
   WHERE moniteur_id = ANY($1) AND ${RAW_EDGES}
   GROUP BY moniteur_id
  UNION ALL
  SELECT moniteur_id, sum(verifications)::int, sum(echecs)::int, sum(latence_somme)::int8, min(latence_min), max(latence_max)
    FROM monitoring.statuts_horaires
   WHERE moniteur_id = ANY($1) AND heure >= $3 AND heure < $4
   GROUP BY moniteur_id`;

function rangeParams(monitorIds: readonly number[], range: SplitRange): unknown[] {
  return [monitorIds, range.from, range.firstHour, range.lastHour, range.to, range.location];
}

/** Checks, failures and latency extremes per monitor; monitors without checks are left out. */
export async function readCheckCounts(
  db: Queryable,
  monitorIds: readonly number[],
  range: SplitRange,
): Promise<CheckCounts[]> {
  const { rows } = await db.query<CountsRow>(
    `SELECT moniteur_id, sum(verifications)::int AS verifications, sum(echecs)::int AS echecs,
            sum(somme)::int8 AS somme, min(mini) AS mini, max(maxi) AS maxi
       FROM (${COUNT_PARTS}) AS parts
      GROUP BY moniteur_id`,
    rangeParams(monitorIds, range),
  );
  return rows.map((row) => ({
    monitorId: row.moniteur_id,
    checks: row.verifications,
    failures: row.echecs,
    latencySum: row.somme,
    latencyMin: row.mini,
    latencyMax: row.maxi,
  }));
}

export interface ExactPercentiles {
  monitorId: number;
  p50: number;
  p95: number;
  p99: number;
}

/** Percentiles (interpolated, like percentile_cont) of successful checks' latency, from raw results. */
export async function readExactPercentiles(
  db: Queryable,
  monitorIds: readonly number[],
  from: Date,
  to: Date,
  location: string | null = null,
): Promise<ExactPercentiles[]> {
  const { rows } = await db.query<{ moniteur_id: number; p: number[] }>(
    `SELECT moniteur_id, percentile_cont(ARRAY[0.5, 0.95, 0.99]::float8[]) WITHIN GROUP (ORDER BY latence_ms) AS p
       FROM monitoring.statuts
      WHERE moniteur_id = ANY($1) AND verifie_a >= $2 AND verifie_a < $3 AND est_disponible
        AND ($4::text IS NULL OR emplacement = $4)
      GROUP BY moniteur_id`,
    [monitorIds, from, to, location],
  );
  return rows.map((row) => ({ monitorId: row.moniteur_id, p50: row.p[0]!, p95: row.p[1]!, p99: row.p[2]! }));
}

export interface LatencyHistogram {
  monitorId: number;
  /** Bucket numbers ascending (see monitoring.seau_latence), with the number of successful checks in each. */
  buckets: number[];
  counts: number[];
  /** The fastest and slowest of those checks, exact. */
  min: number;
  max: number;
}

/** Latency histograms, with exact extremes: the rollups' for whole hours merged with the raw edges bucketed the same way. */
export async function readLatencyHistograms(
  db: Queryable,
  monitorIds: readonly number[],
  range: SplitRange,
): Promise<LatencyHistogram[]> {
  const { rows } = await db.query<{
    moniteur_id: number;
    seaux: number[];
    nombres: number[];
    mini: number;
    maxi: number;
  }>(
    `SELECT moniteur_id, array_agg(seau ORDER BY seau) AS seaux, array_agg(nombre ORDER BY seau) AS nombres,
            min(mini) AS mini, max(maxi) AS maxi
       FROM (SELECT moniteur_id, seau, sum(nombre)::int AS nombre, min(mini) AS mini, max(maxi) AS maxi
               FROM (SELECT moniteur_id, monitoring.seau_latence(latence_ms) AS seau, 1 AS nombre,
                            latence_ms AS mini, latence_ms AS maxi
                       FROM monitoring.statuts
                      WHERE moniteur_id = ANY($1) AND est_disponible AND ${RAW_EDGES}
                     UNION ALL
                     SELECT h.moniteur_id, u.seau, u.nombre, h.latence_min, h.latence_max
                       FROM monitoring.statuts_horaires h, unnest(h.seaux, h.nombres) AS u(seau, nombre)
                      WHERE h.moniteur_id = ANY($1) AND h.heure >= $3 AND h.heure < $4) AS parts
              GROUP BY moniteur_id, seau) AS par_seau
      GROUP BY moniteur_id`,
    rangeParams(monitorIds, range),
  );
  return rows.map((row) => ({
    monitorId: row.moniteur_id,
    buckets: row.seaux,
    counts: row.nombres,
    min: row.mini,
    max: row.maxi,
  }));
}

export interface SeriesBucket {
  monitorId: number;
  start: Date;
  checks: number;
  failures: number;
  latencySum: number;
  latencyMin: number | null;
  latencyMax: number | null;
}

/**
 * Counts per monitor and bucket of `resolutionSeconds` (aligned on 2000-01-01 UTC), by monitor then time.
 * With a resolution of whole hours every rollup falls inside one bucket, so whole hours come from the
 * rollups; otherwise (or with firstHour = lastHour) everything is read raw.
 */
export async function readSeries(
  db: Queryable,
  monitorIds: readonly number[],
  range: SplitRange,
  resolutionSeconds: number,
): Promise<SeriesBucket[]> {
  const { rows } = await db.query<CountsRow & { debut: Date }>(
    `SELECT moniteur_id, debut, sum(verifications)::int AS verifications, sum(echecs)::int AS echecs,
            sum(somme)::int8 AS somme, min(mini) AS mini, max(maxi) AS maxi
       FROM (SELECT moniteur_id, date_bin($7 * interval '1 second', verifie_a, timestamptz '2000-01-01 00:00:00+00') AS debut,
                    count(*)::int AS verifications, (count(*) FILTER (WHERE NOT est_disponible))::int AS echecs,
                    coalesce(sum(latence_ms) FILTER (WHERE est_disponible), 0)::int8 AS somme,
                    min(latence_ms) FILTER (WHERE est_disponible) AS mini,
                    max(latence_ms) FILTER (WHERE est_disponible) AS maxi
               FROM monitoring.statuts
              WHERE moniteur_id = ANY($1) AND ${RAW_EDGES}
              GROUP BY 1, 2
             UNION ALL
             SELECT moniteur_id, date_bin($7 * interval '1 second', heure, timestamptz '2000-01-01 00:00:00+00'),
                    sum(verifications)::int, sum(echecs)::int, sum(latence_somme)::int8, min(latence_min), max(latence_max)
               FROM monitoring.statuts_horaires
              WHERE moniteur_id = ANY($1) AND heure >= $3 AND heure < $4
              GROUP BY 1, 2) AS parts
      GROUP BY moniteur_id, debut
      ORDER BY moniteur_id, debut`,
    [...rangeParams(monitorIds, range), resolutionSeconds],
  );
  return rows.map((row) => ({
    monitorId: row.moniteur_id,
    start: row.debut,
    checks: row.verifications,
    failures: row.echecs,
    latencySum: row.somme,
    latencyMin: row.mini,
    latencyMax: row.maxi,
  }));
}

export interface StatusChange {
  monitorId: number;
  /** The displayed status from this time on: UP, DEGRADED, DOWN, PENDING or PAUSED. */
  status: string;
  at: Date;
}

/**
 * The status changes of each monitor before `to`, starting at its last change at or before `from` into a
 * status other than DOWN or PAUSED: enough to rebuild every DOWN period that overlaps the window, with its
 * real start. In the order they happened.
 */
export async function readStatusChanges(
  db: Queryable,
  monitorIds: readonly number[],
  from: Date,
  to: Date,
): Promise<StatusChange[]> {
  const { rows } = await db.query<{ moniteur_id: number; etat: string; cree_a: Date }>(
    `SELECT ids.moniteur_id, t.etat, t.cree_a
       FROM unnest($1::int[]) AS ids(moniteur_id)
       CROSS JOIN LATERAL (
         SELECT coalesce(max(b.cree_a), '-infinity') AS depuis
           FROM monitoring.transitions b
          WHERE b.moniteur_id = ids.moniteur_id AND b.cree_a <= $2 AND b.etat NOT IN ('DOWN', 'PAUSED')) AS borne
       JOIN monitoring.transitions t
         ON t.moniteur_id = ids.moniteur_id AND t.cree_a >= borne.depuis AND t.cree_a < $3
      ORDER BY ids.moniteur_id, t.id`,
    [monitorIds, from, to],
  );
  return rows.map((row) => ({ monitorId: row.moniteur_id, status: row.etat, at: row.cree_a }));
}
