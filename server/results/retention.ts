// Retention on the clock (node-schedule): deletes results, rollups, alerts and transitions past their keeping
// time, in small batches, each its own short transaction, so that check writes never wait on it for long. Results
// go by whole week partitions first (dropped, not deleted); the rows of the week straddling the cutoff, and old
// ones in the default partition, are deleted in batches.
import type { Logger } from 'pino';
import type { Db, Queryable } from '../db/index.ts';
import { schedulePeriodicJob, type PeriodicJob } from '../periodic-job.ts';
import {
  dropResultPartitionsBefore,
  pruneAlertsBefore,
  pruneResultsBefore,
  pruneRollupsBefore,
  pruneTransitionsBefore,
  tryLockRetention,
} from '../db/index.ts';

const DAY_MS = 86_400_000;

/** Days each kind of data is kept; 0 keeps it forever. */
export interface RetentionPolicy {
  /** Raw results. */
  resultsDays: number;
  /** Hourly rollups, alerts (with their deliveries) and status transitions. */
  rollupsDays: number;
}

export interface PruneOptions {
  /** The cutoffs are counted back from it (default: now). */
  now?: Date;
  /** Rows deleted per statement (default 5,000). */
  batchSize?: number;
  /** Pause between two batches, so that other writers get the database in between (default 100 ms). */
  pauseMs?: number;
  /** Aborting it ends the run after the batch in flight. */
  signal?: AbortSignal;
}

export interface PruneReport {
  /** Week partitions of results dropped whole (their rows are not counted in results). */
  resultPartitions: number;
  /** Results deleted row by row. */
  results: number;
  rollups: number;
  alerts: number;
  transitions: number;
  /** False when the run ended early: stopped, or another run (maybe another instance) holds the lock. */
  complete: boolean;
}

type PrunedKind = Exclude<keyof PruneReport, 'complete'>;
type Prune = (tx: Queryable, cutoff: Date, batchSize: number) => Promise<number>;

const STEPS: Array<{
  kind: PrunedKind;
  days: keyof RetentionPolicy;
  prune: Prune;
  /** Drops tables rather than deleting a batch of rows. */
  whole?: true;
}> = [
  { kind: 'resultPartitions', days: 'resultsDays', prune: dropResultPartitionsBefore, whole: true },
  { kind: 'results', days: 'resultsDays', prune: pruneResultsBefore },
  { kind: 'rollups', days: 'rollupsDays', prune: pruneRollupsBefore },
  { kind: 'alerts', days: 'rollupsDays', prune: pruneAlertsBefore },
  { kind: 'transitions', days: 'rollupsDays', prune: pruneTransitionsBefore },
];

/**
 * One pruning pass: everything older than its cutoff, oldest first, batch by batch. Only one run at a time
 * deletes, across all instances sharing the database: each batch takes the retention lock, and a run that
 * does not get it leaves the rest to the run holding it.
 */
export async function pruneOldData(db: Db, policy: RetentionPolicy, options: PruneOptions = {}): Promise<PruneReport> {
  const now = (options.now ?? new Date()).getTime();
  const batchSize = options.batchSize ?? 5000;
  const pauseMs = options.pauseMs ?? 100;
  const report: PruneReport = {
    resultPartitions: 0,
    results: 0,
    rollups: 0,
    alerts: 0,
    transitions: 0,
    complete: false,
  };
  // A pause after each batch of rows; dropping partitions and the batch after it go together (no pause, no stop).
  let previous: 'none' | 'batch' | 'whole' = 'none';
  for (const step of STEPS) {
    const days = policy[step.days];
    if (days <= 0) continue;
    const cutoff = new Date(now - days * DAY_MS);
    for (;;) {
      if (previous === 'batch') await pause(pauseMs, options.signal);
      if (previous !== 'whole' && options.signal?.aborted) return report;
      previous = step.whole ? 'whole' : 'batch';
      const deleted = await db.transaction(async (tx) =>
        (await tryLockRetention(tx)) ? step.prune(tx, cutoff, batchSize) : null,
      );
      if (deleted === null) return report;
      report[step.kind] += deleted;
      if (deleted < batchSize) break;
    }
  }
  report.complete = true;
  return report;
}

export interface RetentionJobOptions extends Pick<PruneOptions, 'batchSize' | 'pauseMs'> {
  /** When runs start (default: every hour at minute 17, out of the way of on-the-hour jobs). */
  cron?: string;
  /** The first run after start (default one minute, once the scheduler's start-up burst is over). */
  firstRunDelayMs?: number;
}

export type RetentionJob = PeriodicJob<PruneReport>;

export function scheduleRetention(
  db: Db,
  logger: Logger,
  policy: RetentionPolicy,
  options: RetentionJobOptions = {},
): RetentionJob {
  if (policy.resultsDays <= 0 && policy.rollupsDays <= 0) {
    return { runNow: async () => null, stop: async () => undefined };
  }
  const { batchSize, pauseMs } = options;
  const timing = { cron: options.cron ?? '17 * * * *', firstRunDelayMs: options.firstRunDelayMs ?? 60_000 };
  return schedulePeriodicJob('vigie-retention', timing, logger, async (signal) => {
    const started = Date.now();
    const report = await pruneOldData(db, policy, { batchSize, pauseMs, signal });
    const { complete, ...counts } = report;
    if (Object.values(counts).some((count) => count > 0)) {
      logger.info({ ...counts, complete, durationMs: Date.now() - started }, 'old data pruned');
    }
    return report;
  });
}

/** Waits ms, or less when the signal aborts meanwhile. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
