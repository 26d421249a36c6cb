// Collects check results and writes them in batches: one INSERT per batch instead of one per result.
import type { Logger } from 'pino';
import type { Db } from '../db/index.ts';
import { insertResults, type NewCheckResult } from '../results/index.ts';

export interface BatchWriterOptions {
  /** Write as soon as this many results wait. */
  maxBatchSize?: number;
  /** Otherwise write this long after the first result of a batch arrived. */
  maxDelayMs?: number;
}

export interface BatchWriterStats {
  rowsWritten: number;
  batchesWritten: number;
  pending: number;
  failedWrites: number;
  lastWriteMs: number;
}

/** Told of each stored batch: how long its INSERT took and how many rows it wrote. */
export type BatchWrittenListener = (durationMs: number, rows: number) => void;

interface Pending {
  result: NewCheckResult;
  done: () => void;
}

const RETRY_DELAY_MS = 1000;

export class BatchWriter {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private readonly maxBatchSize: number;
  private readonly maxDelayMs: number;
  private readonly writtenListeners = new Set<BatchWrittenListener>();
  readonly stats: BatchWriterStats = { rowsWritten: 0, batchesWritten: 0, pending: 0, failedWrites: 0, lastWriteMs: 0 };

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    options: BatchWriterOptions = {},
  ) {
    this.maxBatchSize = options.maxBatchSize ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 50;
  }

  /** Resolves once the result is stored (or given up on after the database kept failing). */
  write(result: NewCheckResult): Promise<void> {
    return new Promise((resolve) => {
      this.pending.push({ result, done: resolve });
      this.stats.pending = this.pending.length;
      if (this.pending.length >= this.maxBatchSize) this.kick();
      else this.timer ??= setTimeout(() => this.kick(), this.maxDelayMs);
    });
  }

  /** Calls listener after each stored batch (once per batch, not per result); returns the unsubscribe. */
  onBatchWritten(listener: BatchWrittenListener): () => void {
    this.writtenListeners.add(listener);
    return () => this.writtenListeners.delete(listener);
  }

  /** Writes everything that waits, including results that arrive while it writes. */
  async flush(): Promise<void> {
    while (this.pending.length > 0 || this.writing) {
      this.kick();
      await this.writing;
    }
  }

  private kick(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.writing || this.pending.length === 0) return;
    this.writing = this.writeLoop().finally(() => {
      this.writing = null;
      if (this.pending.length > 0) this.timer ??= setTimeout(() => this.kick(), this.maxDelayMs);
    });
  }

  private async writeLoop(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatchSize);
      this.stats.pending = this.pending.length;
      await this.writeBatch(batch);
      if (this.pending.length < this.maxBatchSize) return;
    }
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    const results = batch.map((item) => item.result);
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      try {
        const written = await insertResults(this.db, results);
        this.stats.lastWriteMs = performance.now() - started;
        this.stats.rowsWritten += written;
        this.stats.batchesWritten += 1;
        for (const listener of this.writtenListeners) listener(this.stats.lastWriteMs, written);
        if (written < results.length) {
          this.logger.debug({ skipped: results.length - written }, 'results of deleted monitors skipped');
        }
        break;
      } catch (error) {
        this.stats.failedWrites += 1;
        // A monitor deleted between the check and the write makes the batch fail its foreign key; the next
        // attempt skips it. Anything else (database away) is retried a few times before giving up loudly.
        if (attempt >= 3) {
          this.logger.error(
            { err: (error as Error).message, results: results.length },
            'could not store check results',
          );
          break;
        }
        this.logger.warn({ err: (error as Error).message, attempt }, 'storing check results failed, retrying');
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS * attempt));
      }
    }
    for (const item of batch) item.done();
  }
}
