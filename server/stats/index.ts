// Availability, latency percentiles, incidents and chart series of monitors over a time range. Whole hours
// come from the hourly rollups and the partial hours at the edges from raw results, so a 30-day or a
// 365-day window costs a few hundred rows per monitor.
import type { Db } from '../db/index.ts';
import {
  readCheckCounts,
  readExactPercentiles,
  readLatencyHistograms,
  readSeries,
  readStatusChanges,
} from '../db/index.ts';
import { groupBy } from '../group-by.ts';
import { quantileOf } from './histogram.ts';
import { summariseIncidents, type IncidentSummary } from './incidents.ts';
import { allRaw, EXACT_PERCENTILES_MAX_MS, splitAtHours, type StatsRange } from './range.ts';

export { HISTOGRAM_RELATIVE_ERROR } from './histogram.ts';
export type { Incident, IncidentSummary } from './incidents.ts';
export {
  checkResolution,
  defaultResolutionSeconds,
  MAX_SERIES_POINTS,
  resolveRange,
  WINDOW_MS,
  type RangeRequest,
  type StatsRange,
  type StatsWindow,
} from './range.ts';

export interface CheckStats {
  /** Percentage of successful checks; null without any check. */
  availability: number | null;
  checks: number;
  failures: number;
  /** Latency of the successful checks, ms; null without any. */
  latencyAvg: number | null;
  latencyMin: number | null;
  latencyMax: number | null;
}

export interface LatencyPercentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /** True when computed on raw results; false when read from the hourly histograms (see HISTOGRAM_RELATIVE_ERROR). */
  exact: boolean;
}

export interface MonitorStats extends CheckStats, IncidentSummary {
  monitorId: number;
  from: Date;
  to: Date;
  percentiles: LatencyPercentiles;
}

export interface SeriesPoint extends CheckStats {
  /** Start of the bucket; buckets are aligned on multiples of the resolution since 2000-01-01 UTC. */
  start: Date;
}

const NO_CHECKS: CheckStats = {
  availability: null,
  checks: 0,
  failures: 0,
  latencyAvg: null,
  latencyMin: null,
  latencyMax: null,
};

function toCheckStats(counts: {
  checks: number;
  failures: number;
  latencySum: number;
  latencyMin: number | null;
  latencyMax: number | null;
}): CheckStats {
  const successes = counts.checks - counts.failures;
  return {
    availability: counts.checks ? (successes / counts.checks) * 100 : null,
    checks: counts.checks,
    failures: counts.failures,
    latencyAvg: successes ? counts.latencySum / successes : null,
    latencyMin: counts.latencyMin,
    latencyMax: counts.latencyMax,
  };
}

/** Checks, failures, availability and latency extremes, in the order of monitorIds. */
export async function checkStatsOfMonitors(
  db: Db,
  monitorIds: readonly number[],
  range: StatsRange,
): Promise<CheckStats[]> {
  const rows = await readCheckCounts(db, monitorIds, splitAtHours(range));
  const byId = new Map(rows.map((row) => [row.monitorId, toCheckStats(row)]));
  return monitorIds.map((id) => byId.get(id) ?? NO_CHECKS);
}

/** Latency percentiles: exact for windows up to 24 hours, from histograms beyond. In the order of monitorIds. */
export async function latencyPercentilesOfMonitors(
  db: Db,
  monitorIds: readonly number[],
  range: StatsRange,
): Promise<LatencyPercentiles[]> {
  if (range.to.getTime() - range.from.getTime() <= EXACT_PERCENTILES_MAX_MS) {
    const rows = await readExactPercentiles(db, monitorIds, range.from, range.to, range.location ?? null);
    const byId = new Map(rows.map((row) => [row.monitorId, row]));
    return monitorIds.map((id) => {
      const row = byId.get(id);
      return { p50: row?.p50 ?? null, p95: row?.p95 ?? null, p99: row?.p99 ?? null, exact: true };
    });
  }
  const histograms = await readLatencyHistograms(db, monitorIds, splitAtHours(range));
  const byId = new Map(histograms.map((histogram) => [histogram.monitorId, histogram]));
  return monitorIds.map((id) => {
    const histogram = byId.get(id);
    if (!histogram) return { p50: null, p95: null, p99: null, exact: false };
    const quantile = (q: number) => quantileOf(histogram.buckets, histogram.counts, q, histogram.min, histogram.max);
    return { p50: quantile(0.5), p95: quantile(0.95), p99: quantile(0.99), exact: false };
  });
}

/** DOWN periods overlapping the range, downtime and MTTR, in the order of monitorIds. */
export async function incidentsOfMonitors(
  db: Db,
  monitorIds: readonly number[],
  range: StatsRange,
  now = new Date(),
): Promise<IncidentSummary[]> {
  const changes = await readStatusChanges(db, monitorIds, range.from, range.to);
  return groupBy(monitorIds, changes, (change) => change.monitorId).map((own) => summariseIncidents(own, range, now));
}

/** Chart series: per monitor, one point per bucket of resolutionSeconds that holds checks (empty ones are left out). */
export async function seriesOfMonitors(
  db: Db,
  monitorIds: readonly number[],
  range: StatsRange,
  resolutionSeconds: number,
): Promise<SeriesPoint[][]> {
  // Rollups fit inside a bucket only when the resolution is a whole number of hours.
  const split = resolutionSeconds % 3600 === 0 ? splitAtHours(range) : allRaw(range);
  const buckets = await readSeries(db, monitorIds, split, resolutionSeconds);
  return groupBy(monitorIds, buckets, (bucket) => bucket.monitorId).map((own) =>
    own.map(({ monitorId: _, start, ...counts }) => ({ start, ...toCheckStats(counts) })),
  );
}

export async function seriesOfMonitor(
  db: Db,
  monitorId: number,
  range: StatsRange,
  resolutionSeconds: number,
): Promise<SeriesPoint[]> {
  return (await seriesOfMonitors(db, [monitorId], range, resolutionSeconds))[0]!;
}

/** Everything about one monitor over a range. */
export async function statsOfMonitor(
  db: Db,
  monitorId: number,
  range: StatsRange,
  now = new Date(),
): Promise<MonitorStats> {
  const [[checks], [percentiles], [incidents]] = await Promise.all([
    checkStatsOfMonitors(db, [monitorId], range),
    latencyPercentilesOfMonitors(db, [monitorId], range),
    incidentsOfMonitors(db, [monitorId], range, now),
  ]);
  return { monitorId, from: range.from, to: range.to, ...checks!, percentiles: percentiles!, ...incidents! };
}

/** Statistics as the APIs and /metrics read them; every "Of" method answers in the order of monitorIds. */
export interface StatsService {
  checkStatsOf(monitorIds: readonly number[], range: StatsRange): Promise<CheckStats[]>;
  percentilesOf(monitorIds: readonly number[], range: StatsRange): Promise<LatencyPercentiles[]>;
  incidentsOf(monitorIds: readonly number[], range: StatsRange, now?: Date): Promise<IncidentSummary[]>;
  seriesOf(monitorIds: readonly number[], range: StatsRange, resolutionSeconds: number): Promise<SeriesPoint[][]>;
  seriesOfMonitor(monitorId: number, range: StatsRange, resolutionSeconds: number): Promise<SeriesPoint[]>;
  ofMonitor(monitorId: number, range: StatsRange, now?: Date): Promise<MonitorStats>;
}

export function createStatsService(db: Db): StatsService {
  return {
    checkStatsOf: (monitorIds, range) => checkStatsOfMonitors(db, monitorIds, range),
    percentilesOf: (monitorIds, range) => latencyPercentilesOfMonitors(db, monitorIds, range),
    incidentsOf: (monitorIds, range, now) => incidentsOfMonitors(db, monitorIds, range, now),
    seriesOf: (monitorIds, range, resolutionSeconds) => seriesOfMonitors(db, monitorIds, range, resolutionSeconds),
    seriesOfMonitor: (monitorId, range, resolutionSeconds) => seriesOfMonitor(db, monitorId, range, resolutionSeconds),
    ofMonitor: (monitorId, range, now) => statsOfMonitor(db, monitorId, range, now),
  };
}
