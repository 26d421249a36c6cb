// Instrumented pieces handed to the Scheduler: runCheck and a BatchWriter that count what is in progress.
import type { Logger } from 'pino';
import type { CheckOutcome, CheckSpec } from '../server/checks/index.ts';
import { runCheck } from '../server/checks/index.ts';
import type { Db } from '../server/db/index.ts';
import { BatchWriter } from '../server/scheduler/index.ts';
import type { NewCheckResult } from '../server/results/types.ts';
import { Gauge } from './gauge.ts';

/** Checks running right now (from the call of runCheck to its outcome). */
export const checksRunning = new Gauge();

export function measuredRunCheck(spec: CheckSpec): Promise<CheckOutcome> {
  checksRunning.up();
  return runCheck(spec).finally(() => checksRunning.down());
}

/**
 * Counts results handed over and not yet stored, and how long each waited (batch delay + INSERT).
 * With `detached`, write() resolves at once (the row is still written, and flush() still waits for it): an
 * experiment showing what releasing the scheduler's slot when the check ends, not when its row is stored, gives.
 */
export class MeasuredWriter extends BatchWriter {
  readonly awaitingWrite = new Gauge();
  waitsMs: number[] = [];

  constructor(
    db: Db,
    logger: Logger,
    private readonly detached: boolean,
  ) {
    super(db, logger);
  }

  override write(result: NewCheckResult): Promise<void> {
    const handedOver = performance.now();
    this.awaitingWrite.up();
    const stored = super.write(result).finally(() => {
      this.awaitingWrite.down();
      this.waitsMs.push(performance.now() - handedOver);
    });
    return this.detached ? Promise.resolve() : stored;
  }
}
