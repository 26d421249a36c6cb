// The week partitions of the results, made ahead on the clock (node-schedule): this week and the next two exist at
// all times, so results land in their week and not in the default partition. Every instance may run it: the
// database makes each week once.
import type { Logger } from 'pino';
import { createResultPartitions, type Db } from '../db/index.ts';
import { schedulePeriodicJob, type PeriodicJob } from '../periodic-job.ts';

const DAY_MS = 86_400_000;

export interface ResultPartitionJobOptions {
  /** When runs start (default: every hour at minute 7, away from retention's minute 17). */
  cron?: string;
  /** The first run after start (default at once: a service stopped for weeks has no partition for this week). */
  firstRunDelayMs?: number;
  /** How far ahead of now partitions exist (default 14 days: this week and the next two). */
  aheadDays?: number;
  /** Time source, for tests (default Date.now). */
  now?: () => number;
}

export type ResultPartitionJob = PeriodicJob<number>;

export const RESULT_PARTITION_JOB = 'vigie-result-partitions';

export function scheduleResultPartitions(
  db: Db,
  logger: Logger,
  options: ResultPartitionJobOptions = {},
): ResultPartitionJob {
  const timing = { cron: options.cron ?? '7 * * * *', firstRunDelayMs: options.firstRunDelayMs ?? 0 };
  const aheadMs = (options.aheadDays ?? 14) * DAY_MS;
  const now = options.now ?? Date.now;
  return schedulePeriodicJob(RESULT_PARTITION_JOB, timing, logger, async () => {
    const from = now();
    // The background connections: moving rows out of the default partition has no statement timeout to meet.
    const made = await createResultPartitions(db.background, new Date(from), new Date(from + aheadMs));
    if (made > 0) logger.info({ made }, 'result partitions made');
    return made;
  });
}
