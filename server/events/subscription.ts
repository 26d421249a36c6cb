// One subscriber's stream of events: an async iterator with a bounded buffer. A subscriber that falls too far
// behind is ended with an error rather than allowed to hold unbounded memory.

export class SubscriberTooSlowError extends Error {
  constructor(limit: number) {
    super(`subscription ended: more than ${limit} events were waiting for this subscriber`);
    this.name = 'SubscriberTooSlowError';
  }
}

export class Subscription<T> implements AsyncIterableIterator<T> {
  private readonly buffer: T[] = [];
  private waiting: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | null = null;
  private drainWaiters: Array<{ level: number; resolve: () => void }> = [];
  private failure: Error | null = null;
  private closed = false;

  constructor(
    private readonly maxBuffered: number,
    private readonly onClose: () => void,
  ) {}

  push(event: T): void {
    if (this.closed) return;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve({ value: event, done: false });
    } else if (this.buffer.length >= this.maxBuffered) {
      this.fail(new SubscriberTooSlowError(this.maxBuffered));
    } else {
      this.buffer.push(event);
    }
  }

  fail(error: Error): void {
    if (this.closed) return;
    this.failure = error;
    this.buffer.length = 0;
    this.close();
    if (this.waiting) {
      this.waiting.reject(error);
      this.waiting = null;
    }
  }

  get buffered(): number {
    return this.buffer.length;
  }

  /** Resolves once at most `level` events wait for this subscriber, or it has ended. */
  drained(level: number): Promise<void> {
    if (this.closed || this.buffer.length <= level) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push({ level, resolve }));
  }

  next(): Promise<IteratorResult<T>> {
    if (this.buffer.length > 0) {
      const value = this.buffer.shift()!;
      this.wakeDrainWaiters();
      return Promise.resolve({ value, done: false });
    }
    if (this.failure) {
      const failure = this.failure;
      this.failure = null;
      return Promise.reject(failure);
    }
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.close();
    this.buffer.length = 0;
    if (this.waiting) {
      this.waiting.resolve({ value: undefined, done: true });
      this.waiting = null;
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.wakeDrainWaiters();
    this.onClose();
  }

  private wakeDrainWaiters(): void {
    if (this.drainWaiters.length === 0) return;
    const ready = this.drainWaiters.filter((waiter) => this.closed || this.buffer.length <= waiter.level);
    this.drainWaiters = this.drainWaiters.filter((waiter) => !ready.includes(waiter));
    for (const waiter of ready) waiter.resolve();
  }
}
