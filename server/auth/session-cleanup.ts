// Session housekeeping on the clock (node-schedule): sessions that expired or were revoked more than a day
// ago are deleted, so that the sessions table does not keep a row for every login ever made. Deleting is
// idempotent, so instances sharing a database may run it at the same time.
import type { Logger } from 'pino';
import { deleteStaleSessions, type Db } from '../db/index.ts';
import { schedulePeriodicJob, type PeriodicJob } from '../periodic-job.ts';

export interface SessionCleanupOptions {
  /** When runs start (default: every hour at minute 43, away from retention's minute 17). */
  cron?: string;
  /** The first run after start (default one minute). */
  firstRunDelayMs?: number;
}

export type SessionCleanupJob = PeriodicJob<number>;

export const SESSION_CLEANUP_JOB = 'vigie-session-cleanup';

export function scheduleSessionCleanup(db: Db, logger: Logger, options: SessionCleanupOptions = {}): SessionCleanupJob {
  const timing = { cron: options.cron ?? '43 * * * *', firstRunDelayMs: options.firstRunDelayMs ?? 60_000 };
  return schedulePeriodicJob(SESSION_CLEANUP_JOB, timing, logger, async () => {
    const deleted = await deleteStaleSessions(db);
    if (deleted > 0) logger.info({ deleted }, 'stale sessions deleted');
    return deleted;
  });
}
