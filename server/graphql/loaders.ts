// Per-request batch loaders: every Monitor in a list asks for its last result, recent results, alerts or stats,
// and one query serves all. No caching across calls, so a long-lived subscription always reads fresh rows.
import DataLoader from 'dataloader';
import type { AlertService } from '../alerts/index.ts';
import type { MonitorService } from '../monitors/index.ts';
import type { ResultService } from '../results/index.ts';
import { resolveRange, type StatsRange, type StatsService } from '../stats/index.ts';
import type { Loaders } from './types.ts';

/** One loader per extra key (a range, a page size), created on first use. */
function loaderPerKey<K, V>(
  load: (key: K, ids: readonly number[]) => Promise<V[]>,
  keyOf: (key: K) => unknown = (key) => key,
): (key: K) => DataLoader<number, V> {
  const loaders = new Map<unknown, DataLoader<number, V>>();
  return (key) => {
    let loader = loaders.get(keyOf(key));
    if (!loader) {
      loader = new DataLoader((ids) => load(key, ids), { cache: false });
      loaders.set(keyOf(key), loader);
    }
    return loader;
  };
}

/**
 * "Now", the same for every field resolved in one pass: the stats of a list of monitors then share a range
 * (and one batch), while a subscription, which resolves again on each event, gets a fresh one each time.
 */
function passClock(): () => Date {
  let now: Date | null = null;
  return () => {
    if (!now) {
      now = new Date();
      setImmediate(() => {
        now = null;
      });
    }
    return now;
  };
}

const rangeKey = (range: StatsRange) => `${range.from.getTime()}/${range.to.getTime()}`;

export interface LoaderSources {
  monitors: MonitorService;
  results: ResultService;
  alerts: AlertService;
  stats: StatsService;
}

export function createLoaders({ monitors, results, alerts, stats }: LoaderSources): Loaders {
  const now = passClock();
  return {
    monitor: new DataLoader((ids) => monitors.getMany(ids), { cache: false }),
    lastResult: new DataLoader((ids) => results.lastOf(ids), { cache: false }),
    recentResults: loaderPerKey((limit: number, ids) => results.recentOf(ids, limit)),
    recentAlerts: loaderPerKey((limit: number, ids) => alerts.recentOf(ids, limit)),
    statsRange: (request) => resolveRange(request, now()),
    checkStats: loaderPerKey((range: StatsRange, ids) => stats.checkStatsOf(ids, range), rangeKey),
    percentiles: loaderPerKey((range: StatsRange, ids) => stats.percentilesOf(ids, range), rangeKey),
    incidents: loaderPerKey((range: StatsRange, ids) => stats.incidentsOf(ids, range, now()), rangeKey),
    series: loaderPerKey(
      ({ range, resolutionSeconds }: { range: StatsRange; resolutionSeconds: number }, ids) =>
        stats.seriesOf(ids, range, resolutionSeconds),
      ({ range, resolutionSeconds }) => `${rangeKey(range)}/${resolutionSeconds}`,
    ),
  };
}
