// Housekeeping on the clock (node-schedule): a named job run on a cron schedule and once shortly after start,
// never two runs at once, stopped cleanly. A failed run is logged and answers null; the next one tries again.
import schedule from 'node-schedule';
import type { Logger } from 'pino';

export type PeriodicJobTiming = (
  | { cron: string }
  /** Every so many ms, for rhythms finer than cron's second (an instance's heartbeat). */
  | { everyMs: number }
) & {
  /** The first run after start, once the scheduler's start-up burst is over. */
  firstRunDelayMs: number;
};

export interface PeriodicJob<T> {
  /** Runs now, unless a run is already going or the job is stopped (then resolves with null). */
  runNow(): Promise<T | null>;
  /** Cancels the schedule, aborts the run in flight and waits for it; no timer is left behind. */
  stop(): Promise<void>;
}

export function schedulePeriodicJob<T>(
  name: string,
  timing: PeriodicJobTiming,
  logger: Logger,
  run: (signal: AbortSignal) => Promise<T>,
): PeriodicJob<T> {
  const stopping = new AbortController();
  let running: Promise<T | null> | null = null;

  const runNow = (): Promise<T | null> => {
    if (running || stopping.signal.aborted) return Promise.resolve(null);
    running = run(stopping.signal)
      .catch((error: unknown) => {
        logger.warn({ job: name, err: (error as Error).message }, 'housekeeping job failed');
        return null;
      })
      .finally(() => (running = null));
    return running;
  };

  const job = 'cron' in timing ? schedule.scheduleJob(name, timing.cron, () => void runNow()) : null;
  const every = 'everyMs' in timing ? setInterval(() => void runNow(), timing.everyMs) : null;
  every?.unref();
  const firstRun = setTimeout(() => void runNow(), timing.firstRunDelayMs);
  firstRun.unref();
  return {
    runNow,
    async stop() {
      stopping.abort();
      job?.cancel();
      if (every) clearInterval(every);
      clearTimeout(firstRun);
      await running;
    },
  };
}
