// Writes check results at a steady rate, as the scheduler's batch writer would: a batch every 50 ms, each result
// dated when its batch is built (its commit follows within milliseconds), monitors taken round-robin.
import type { Db } from '../server/db/index.ts';
import { insertResults } from '../server/results/index.ts';
import type { NewCheckResult } from '../server/results/types.ts';

const BATCH_EVERY_MS = 50;

export function benchResult(monitorId: number, isUp: boolean, checkedAt: Date): NewCheckResult {
  return {
    monitorId,
    isUp,
    httpStatus: isUp ? 200 : 500,
    latencyMs: 12,
    checkedAt,
    target: `http://127.0.0.1:9/ok/${monitorId}`,
    cause: isUp ? null : 'http_status',
    error: isUp ? null : 'HTTP 500',
    timings: null,
    certificateDaysLeft: null,
    certificateExpiresAt: null,
  };
}

/** Whether a monitor's next result is up: always, unless the writer is given another rule. */
export type Outcome = (monitorId: number) => boolean;

/**
 * One monitor in `every` alternates between up and down at each of its results (after its first, each is a
 * transition: an alert); the others stay up.
 */
export function flapping(every: number): Outcome {
  const down = new Set<number>();
  return (monitorId) => {
    if (monitorId % every !== 0) return true;
    if (down.delete(monitorId)) return true;
    down.add(monitorId);
    return false;
  };
}

/** Writes `perSecond` results a second over `monitorIds` for `seconds`; returns how many were written. */
export async function writeResults(
  db: Db,
  monitorIds: number[],
  perSecond: number,
  seconds: number,
  isUp: Outcome = () => true,
): Promise<number> {
  const started = performance.now();
  let written = 0;
  let next = 0;
  for (;;) {
    const elapsed = performance.now() - started;
    if (elapsed >= seconds * 1000) break;
    const due = Math.min(Math.floor((elapsed / 1000) * perSecond), Math.round(perSecond * seconds)) - written;
    if (due > 0) {
      const now = new Date();
      const batch: NewCheckResult[] = [];
      for (let i = 0; i < due; i++) {
        batch.push(benchResult(monitorIds[next]!, isUp(monitorIds[next]!), now));
        next = (next + 1) % monitorIds.length;
      }
      await insertResults(db, batch);
      written += due;
    }
    await new Promise((resolve) => setTimeout(resolve, BATCH_EVERY_MS));
  }
  return written;
}
