// Per-request batch loaders: every Monitor in a list asks for its last result, recent results, alerts or stats,
// and one query serves all. No caching across calls, so a long-lived subscription always reads fresh rows.
import DataLoader from 'dataloader';
import { recentAlertsOf } from '../alerts/index.ts';
import type { Db } from '../db/index.ts';
import type { MonitorService } from '../monitors/index.ts';
import { lastResultsOf, recentResultsOf } from '../results/index.ts';
import { statsOfMonitors } from '../stats/index.ts';
import type { Loaders } from './types.ts';

/** One loader per extra key (a window, a page size), created on first use. */
function loaderPerKey<K, V>(load: (key: K, ids: readonly number[]) => Promise<V[]>): (key: K) => DataLoader<number, V> {
  const loaders = new Map<K, DataLoader<number, V>>();
  return (key) => {
    let loader = loaders.get(key);
    if (!loader) {
      loader = new DataLoader((ids) => load(key, ids), { cache: false });
      loaders.set(key, loader);
    }
    return loader;
  };
}

export function createLoaders(db: Db, monitors: MonitorService): Loaders {
  return {
    monitor: new DataLoader((ids) => monitors.getMany(ids), { cache: false }),
    lastResult: new DataLoader((ids) => lastResultsOf(db, ids), { cache: false }),
    recentResults: loaderPerKey((limit: number, ids) => recentResultsOf(db, ids, limit)),
    recentAlerts: loaderPerKey((limit: number, ids) => recentAlertsOf(db, ids, limit)),
    stats: loaderPerKey((window, ids) => statsOfMonitors(db, ids, window)),
  };
}
