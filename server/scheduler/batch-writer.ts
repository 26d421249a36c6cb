// Collects check results and writes them in batches: one INSERT per batch instead of one per result. While the
// database cannot take writes, results wait in a bounded queue and are written in order once it is back.
import type { Logger } from 'pino';
import type { Db } from '../db/index.ts';
import { type NewCheckResult, writeResults } from '../results/index.ts';

export interface BatchWriterOptions {
  /** Write as soon as this many results wait. */
  maxBatchSize?: number;
  /** Otherwise write this long after the first result of a batch arrived. */
  maxDelayMs?: number;
  /** Most results waiting for the database; past it the oldest are dropped (counted). */
  maxQueuedResults?: number;
  /** Most memory (estimated bytes) the waiting results may take; past it the oldest are dropped (counted). */
  maxQueuedBytes?: number;
  /** First wait before writing again after the database failed; doubles up to maxRetryDelayMs. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
}

export interface BatchWriterStats {
  rowsWritten: number;
  batchesWritten: number;
  /** Results waiting to be written (outage backlog included). */
  pending: number;
  failedWrites: number;
  lastWriteMs: number;
  /** True from the first connection failure until the backlog of the outage is written. */
  outage: boolean;
  /** Results dropped, oldest first, because the queue was full while the database was away. */
  droppedResults: number;
  /** Results the database refused on their own (a bad row), logged one by one. */
  rejectedResults: number;
  /**
   * Results not stored because the lease they were checked under was taken over before they were written (this
   * instance stalled past its lease time): the new holder checks those monitors.
   */
  fencedResults: number;
}

/** Told of each stored batch: how long its INSERT took and how many rows it wrote. */
export type BatchWrittenListener = (durationMs: number, rows: number) => void;

interface Pending {
  result: NewCheckResult;
  bytes: number;
  done: () => void;
}

const DEFAULT_MAX_QUEUED_RESULTS = 100_000;
const DEFAULT_MAX_QUEUED_BYTES = 64 * 1024 * 1024;

/**
 * Errors that blame the rows, not the database: a data exception (a value out of range), an integrity constraint
 * (a foreign key, a check), an exception raised by a trigger. Anything else (connection lost or refused, shutting
 * down or starting up, too many connections, a statement timeout, a deadlock) says the database cannot take
 * writes right now: the batch is kept and written again later.
 */
export function isBadRowError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|23|P0)[0-9A-Z]{3}$/.test(code);
}

/** A rough size of a queued result in memory: strings count twice their length, plus the object itself. */
function estimateBytes(result: NewCheckResult): number {
  return 400 + 2 * ((result.target?.length ?? 0) + (result.error?.length ?? 0) + (result.cause?.length ?? 0));
}

export class BatchWriter {
  /** Oldest first; the first `inFlight` are being written. */
  private queue: Pending[] = [];
  private inFlight = 0;
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private retryWait: { timer: NodeJS.Timeout; wake: () => void } | null = null;
  private droppedThisOutage = 0;
  /** performance.now() when the INSERT under way started; 0 when none is. */
  private insertStartedAt = 0;
  /** Set at the shutdown deadline: nothing is written or waited for any more. */
  private gaveUp = false;
  private wakeFlush: (() => void) | null = null;
  private outageStartedAt = 0;
  private readonly maxBatchSize: number;
  private readonly maxDelayMs: number;
  private readonly maxQueuedResults: number;
  private readonly maxQueuedBytes: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly writtenListeners = new Set<BatchWrittenListener>();
  readonly stats: BatchWriterStats = {
    rowsWritten: 0,
    batchesWritten: 0,
    pending: 0,
    failedWrites: 0,
    lastWriteMs: 0,
    outage: false,
    droppedResults: 0,
    rejectedResults: 0,
    fencedResults: 0,
  };

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    options: BatchWriterOptions = {},
  ) {
    this.maxBatchSize = options.maxBatchSize ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 50;
    this.maxQueuedResults = Math.max(1, options.maxQueuedResults ?? DEFAULT_MAX_QUEUED_RESULTS);
    this.maxQueuedBytes = options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
    this.retryDelayMs = options.retryDelayMs ?? 250;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 5_000;
  }

  /** Resolves once the result is stored, refused as a bad row, or dropped from a full queue during an outage. */
  write(result: NewCheckResult): Promise<void> {
    // A check that ends after the shutdown deadline was counted as abandoned: its result is not stored.
    if (this.gaveUp) return Promise.resolve();
    return new Promise((resolve) => {
      const bytes = estimateBytes(result);
      this.queue.push({ result, bytes, done: resolve });
      this.queuedBytes += bytes;
      this.dropOverflow();
      this.stats.pending = this.queue.length;
      if (this.queue.length - this.inFlight >= this.maxBatchSize) this.kick();
      else this.timer ??= setTimeout(() => this.kick(), this.maxDelayMs);
    });
  }

  /** How long the INSERT under way has been waiting, in ms (0 when none is): long means a lock or a stuck server. */
  writeWaitingMs(): number {
    return this.insertStartedAt === 0 ? 0 : performance.now() - this.insertStartedAt;
  }

  /** Calls listener after each stored batch (once per batch, not per result); returns the unsubscribe. */
  onBatchWritten(listener: BatchWrittenListener): () => void {
    this.writtenListeners.add(listener);
    return () => this.writtenListeners.delete(listener);
  }

  /**
   * Writes everything that waits, including results that arrive while it writes. While the database is away it
   * keeps trying for outageGraceMs, then gives up on what still waits (logged with the count).
   */
  async flush(outageGraceMs = 3_000): Promise<void> {
    const deadline = Date.now() + outageGraceMs;
    while ((this.queue.length > 0 || this.writing) && !this.gaveUp) {
      if (this.stats.outage && Date.now() >= deadline) {
        this.abandon();
        this.wakeRetry();
        await this.untilWrittenOrGivenUp();
        return;
      }
      this.wakeRetry();
      this.kick();
      if (Date.now() >= deadline) {
        await this.untilWrittenOrGivenUp();
        continue;
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.untilWrittenOrGivenUp(),
        new Promise((resolve) => {
          timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        }),
      ]);
      clearTimeout(timer);
    }
  }

  /**
   * At the shutdown deadline: stops waiting for the database (a write may be stuck behind a lock, with no
   * timeout on the background connections). Every result not yet stored is counted and logged; one whose INSERT
   * is under way may still commit before the process exits. Returns how many.
   */
  giveUp(): number {
    if (this.gaveUp) return 0;
    this.gaveUp = true;
    const count = this.dropFrom(0);
    this.inFlight = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.wakeRetry();
    this.wakeFlush?.();
    if (count > 0) {
      this.logger.error(
        { notStored: count },
        `${count} check result(s) not stored at the shutdown deadline: the database did not take them in time`,
      );
    }
    return count;
  }

  private untilWrittenOrGivenUp(): Promise<void> {
    if (!this.writing || this.gaveUp) return Promise.resolve();
    return Promise.race([this.writing, new Promise<void>((resolve) => (this.wakeFlush = resolve))]).finally(() => {
      this.wakeFlush = null;
    });
  }

  /** Gives up on every result still waiting (shutdown while the database is away): logged with the count. */
  abandon(): number {
    const count = this.dropFrom(this.inFlight);
    if (count > 0) {
      this.logger.error({ dropped: count }, 'check results never stored: the database did not come back in time');
    }
    return count;
  }

  /** Drops (and counts) the queued results from `index` on: they will not be written. */
  private dropFrom(index: number): number {
    const dropped = this.queue.splice(index);
    for (const item of dropped) {
      this.queuedBytes -= item.bytes;
      item.done();
    }
    this.stats.droppedResults += dropped.length;
    this.stats.pending = this.queue.length;
    return dropped.length;
  }

  // The oldest results not being written go first, so the newest state of each monitor survives.
  private dropOverflow(): void {
    let dropped = 0;
    while (
      this.queue.length - this.inFlight > 0 &&
      (this.queue.length > this.maxQueuedResults || this.queuedBytes > this.maxQueuedBytes)
    ) {
      const [item] = this.queue.splice(this.inFlight, 1);
      this.queuedBytes -= item!.bytes;
      item!.done();
      dropped += 1;
    }
    if (dropped === 0) return;
    this.stats.droppedResults += dropped;
    if (this.droppedThisOutage === 0) {
      this.logger.error(
        { queued: this.queue.length, maxQueuedResults: this.maxQueuedResults },
        'result queue full while the database is away: dropping the oldest results',
      );
    }
    this.droppedThisOutage += dropped;
  }

  private kick(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.writing || this.queue.length === 0) return;
    this.writing = this.writeLoop().finally(() => {
      this.writing = null;
      if (this.queue.length > 0) this.timer ??= setTimeout(() => this.kick(), this.maxDelayMs);
    });
  }

  private async writeLoop(): Promise<void> {
    let failures = 0;
    while (this.queue.length > 0 && !this.gaveUp) {
      const batch = this.queue.slice(0, this.maxBatchSize);
      this.inFlight = batch.length;
      try {
        await this.writeSplitting(batch);
        failures = 0;
        if (this.stats.outage && this.queue.length < this.maxBatchSize) this.endOutage();
      } catch (error) {
        // The database is away: keep the results (written ones already left the queue) and try again later.
        this.inFlight = 0;
        failures += 1;
        this.startOutage(error, failures);
        await this.waitBeforeRetry(Math.min(this.retryDelayMs * 2 ** (failures - 1), this.maxRetryDelayMs));
        continue;
      }
      if (!this.stats.outage && this.queue.length < this.maxBatchSize) return;
    }
  }

  /**
   * Writes the batch, which is the head of the queue. A batch the database refuses for its data is split in
   * halves until the bad row stands alone, so one bad row never costs its neighbours; it alone is logged and
   * dropped. An unavailable database throws, leaving the unwritten rest at the head of the queue.
   */
  private async writeSplitting(batch: Pending[]): Promise<void> {
    const started = performance.now();
    this.insertStartedAt = started;
    try {
      const { written, fenced } = await writeResults(
        this.db,
        batch.map((item) => item.result),
      ).finally(() => {
        this.insertStartedAt = 0;
      });
      if (this.gaveUp) return;
      this.stats.lastWriteMs = performance.now() - started;
      this.stats.rowsWritten += written;
      this.stats.batchesWritten += 1;
      for (const listener of this.writtenListeners) listener(this.stats.lastWriteMs, written);
      if (fenced > 0) {
        this.stats.fencedResults += fenced;
        this.logger.warn(
          { notStored: fenced },
          `${fenced} check result(s) not stored: this instance stalled past its lease time and another instance took those monitors over`,
        );
      }
      // Results of monitors deleted meanwhile are skipped by the INSERT itself.
      if (written + fenced < batch.length)
        this.logger.debug({ skipped: batch.length - written - fenced }, 'results of deleted monitors skipped');
      this.settle(batch.length);
    } catch (error) {
      if (this.gaveUp) return;
      this.stats.failedWrites += 1;
      if (!isBadRowError(error)) throw error;
      if (batch.length === 1) {
        const { monitorId, checkedAt } = batch[0]!.result;
        this.stats.rejectedResults += 1;
        this.logger.error(
          { err: (error as Error).message, monitorId, checkedAt },
          'the database refused a check result; it is not stored',
        );
        this.settle(1);
        return;
      }
      const half = Math.ceil(batch.length / 2);
      await this.writeSplitting(batch.slice(0, half));
      await this.writeSplitting(batch.slice(half));
    }
  }

  /** The first `count` results of the queue are done with. */
  private settle(count: number): void {
    const done = this.queue.splice(0, count);
    this.inFlight = Math.max(0, this.inFlight - count);
    for (const item of done) {
      this.queuedBytes -= item.bytes;
      item.done();
    }
    this.stats.pending = this.queue.length;
  }

  private startOutage(error: unknown, failures: number): void {
    if (!this.stats.outage) {
      this.stats.outage = true;
      this.outageStartedAt = Date.now();
      this.logger.error(
        { err: (error as Error).message },
        'the database cannot take check results: queueing them until it is back',
      );
    } else if (failures % 10 === 0) {
      this.logger.warn({ err: (error as Error).message, queued: this.queue.length }, 'the database is still away');
    }
  }

  private endOutage(): void {
    this.stats.outage = false;
    const report = { seconds: Math.round((Date.now() - this.outageStartedAt) / 1000), dropped: this.droppedThisOutage };
    if (this.droppedThisOutage > 0)
      this.logger.error(report, 'database back; check results were dropped during the outage');
    else this.logger.info(report, 'database back; every check result of the outage is stored');
    this.droppedThisOutage = 0;
  }

  private waitBeforeRetry(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.retryWait = null;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.retryWait = { timer, wake };
    });
  }

  private wakeRetry(): void {
    this.retryWait?.wake();
  }
}
