// Per-request batch loaders: every Monitor in a list asks for its last result, recent results, alerts or stats,
// and one query serves all. No caching across calls, so a long-lived subscription always reads fresh rows (the
// loaders of a monitorsChanged tick keep what they read for that tick only).
import DataLoader from 'dataloader';
import type { AlertService } from '../alerts/index.ts';
import type { MonitorService } from '../monitors/index.ts';
import type { ResultService } from '../results/index.ts';
import { resolveRange, type StatsRange, type StatsService } from '../stats/index.ts';
import type { LoaderTick, Loaders } from './types.ts';

type BatchLoad<V> = (ids: readonly number[]) => Promise<V[]>;

/** How a loader's batches are read: as asked, or (for a tick of monitorsChanged) the whole tick at once. */
type Batching = <V>(load: BatchLoad<V>) => BatchLoad<V>;

const asAsked: Batching = (load) => load;

/**
 * Reads every id of a tick on the first batch asked, and answers every later batch (of any execution sharing
 * these loaders) from that read: one query per field for the whole tick, however many groups of subscribers
 * resolve their part of it, and whenever each does. An id outside the tick (the older changes of a reader that
 * fell behind) is read on its own.
 */
function wholeTick(tickIds: readonly number[]): Batching {
  return <V>(load: BatchLoad<V>): BatchLoad<V> => {
    let read: Promise<Map<number, V>> | null = null;
    return async (ids) => {
      read ??=
        tickIds.length === 0
          ? Promise.resolve(new Map())
          : load(tickIds).then((values) => new Map(tickIds.map((id, index) => [id, values[index]!])));
      const byId = await read;
      const others = ids.filter((id) => !byId.has(id));
      const otherValues = others.length > 0 ? await load(others) : [];
      const byOtherId = new Map(others.map((id, index) => [id, otherValues[index]!]));
      return ids.map((id) => (byId.has(id) ? byId.get(id)! : byOtherId.get(id)!));
    };
  };
}

/** How a loader reads: its batching, and whether it keeps what it read (only for one tick's loaders). */
interface Reading {
  batching: Batching;
  cache: boolean;
}

/** One loader per extra key (a range, a page size), created on first use. */
function loaderPerKey<K, V>(
  { batching, cache }: Reading,
  load: (key: K, ids: readonly number[]) => Promise<V[]>,
  keyOf: (key: K) => unknown = (key) => key,
): (key: K) => DataLoader<number, V> {
  const loaders = new Map<unknown, DataLoader<number, V>>();
  return (key) => {
    let loader = loaders.get(keyOf(key));
    if (!loader) {
      loader = new DataLoader(
        batching((ids) => load(key, ids)),
        { cache },
      );
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

const rangeKey = (range: StatsRange) => `${range.from.getTime()}/${range.to.getTime()}/${range.location ?? ''}`;

export interface LoaderSources {
  monitors: MonitorService;
  results: ResultService;
  alerts: AlertService;
  stats: StatsService;
}

/**
 * Loaders for one request, or, given a tick, for every execution that resolves that tick (shared by all the groups
 * of monitorsChanged subscribers): "now" is then the tick's time; the fields of one row per monitor (the monitor,
 * its last result, its figures) are read once for the whole tick; lists of rows per monitor (recent results,
 * alerts, series), which not every screen shows, are read for the ids asked and kept for the tick.
 */
export function createLoaders({ monitors, results, alerts, stats }: LoaderSources, tick?: LoaderTick): Loaders {
  const now = tick ? () => tick.at : passClock();
  const perRow: Reading = { batching: tick ? wholeTick(tick.ids) : asAsked, cache: tick !== undefined };
  const perList: Reading = { batching: asAsked, cache: tick !== undefined };
  return {
    monitor: new DataLoader(
      perRow.batching((ids) => monitors.getMany(ids)),
      { cache: perRow.cache },
    ),
    lastResult: new DataLoader(
      perRow.batching((ids) => results.lastOf(ids)),
      { cache: perRow.cache },
    ),
    alert: new DataLoader((ids) => alerts.getMany(ids), { cache: perList.cache }),
    recentResults: loaderPerKey(perList, (limit: number, ids) => results.recentOf(ids, limit)),
    recentAlerts: loaderPerKey(perList, (limit: number, ids) => alerts.recentOf(ids, limit)),
    statsRange: (request) => resolveRange(request, now()),
    checkStats: loaderPerKey(perRow, (range: StatsRange, ids) => stats.checkStatsOf(ids, range), rangeKey),
    percentiles: loaderPerKey(perRow, (range: StatsRange, ids) => stats.percentilesOf(ids, range), rangeKey),
    incidents: loaderPerKey(perRow, (range: StatsRange, ids) => stats.incidentsOf(ids, range, now()), rangeKey),
    series: loaderPerKey(
      perList,
      ({ range, resolutionSeconds }: { range: StatsRange; resolutionSeconds: number }, ids) =>
        stats.seriesOf(ids, range, resolutionSeconds),
      ({ range, resolutionSeconds }) => `${rangeKey(range)}/${resolutionSeconds}`,
    ),
  };
}

/** The loaders of each tick, created by its first reader and shared by the others (until the tick is forgotten). */
export function tickLoaders(sources: LoaderSources): (tick: LoaderTick) => Loaders {
  const byTick = new WeakMap<LoaderTick, Loaders>();
  return (tick) => {
    let loaders = byTick.get(tick);
    if (!loaders) {
      loaders = createLoaders(sources, tick);
      byTick.set(tick, loaders);
    }
    return loaders;
  };
}
