// Per-request batch loaders: every Monitor in a list asks for its last result or stats, one query serves all.
// No caching across calls, so a long-lived subscription always reads fresh rows.
import DataLoader from 'dataloader';
import type { Db } from '../db/index.ts';
import type { MonitorService } from '../monitors/index.ts';
import { lastResultsOf } from '../results/index.ts';
import { statsOfMonitors, type MonitorStats, type StatsWindow } from '../stats/index.ts';
import type { Loaders } from './types.ts';

export function createLoaders(db: Db, monitors: MonitorService): Loaders {
  const statsLoaders = new Map<StatsWindow, DataLoader<number, MonitorStats>>();
  return {
    monitor: new DataLoader((ids) => monitors.getMany(ids), { cache: false }),
    lastResult: new DataLoader((ids) => lastResultsOf(db, ids), { cache: false }),
    stats(window) {
      let loader = statsLoaders.get(window);
      if (!loader) {
        loader = new DataLoader((ids) => statsOfMonitors(db, ids, window), { cache: false });
        statsLoaders.set(window, loader);
      }
      return loader;
    },
  };
}
