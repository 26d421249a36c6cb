// In-memory counters of recent events per key (a client address, an email), for rate limits. Each instance
// counts its own requests; a limit is per instance.
import { TooManyRequestsError } from './errors.ts';

export class RecentEvents {
  private readonly events = new Map<string, number[]>();

  constructor(
    private readonly windowMs: number,
    /** Keys kept at most; the least recently used go first (a flood of distinct keys cannot exhaust memory). */
    private readonly maxKeys = 100_000,
  ) {}

  /** Events of key inside the window. */
  count(key: string, now = Date.now()): number {
    return this.recent(key, now).length;
  }

  /** Records one event and returns the count inside the window, this one included. */
  record(key: string, now = Date.now()): number {
    const events = this.recent(key, now);
    events.push(now);
    this.events.delete(key);
    this.events.set(key, events);
    if (this.events.size > this.maxKeys) this.events.delete(this.events.keys().next().value!);
    return events.length;
  }

  /** Milliseconds until the oldest event of key leaves the window. */
  msUntilOldestExpires(key: string, now = Date.now()): number {
    const oldest = this.recent(key, now)[0];
    return oldest === undefined ? 0 : Math.max(0, oldest + this.windowMs - now);
  }

  /** Takes back one event recorded at `at` (a reservation that turned out not to count). */
  forget(key: string, at: number): void {
    const events = this.events.get(key);
    const index = events?.indexOf(at) ?? -1;
    if (index !== -1) events!.splice(index, 1);
  }

  clear(key: string): void {
    this.events.delete(key);
  }

  private recent(key: string, now: number): number[] {
    const events = this.events.get(key) ?? [];
    const firstKept = events.findIndex((at) => at > now - this.windowMs);
    if (firstKept === -1) {
      this.events.delete(key);
      return [];
    }
    if (firstKept > 0) events.splice(0, firstKept);
    return events;
  }
}

/** At most `limit` events per key inside the window; 0 means no limit. */
export class RateLimit {
  private readonly events: RecentEvents;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    /** What is limited, for the refusal's message ("one-off checks"). */
    private readonly what: string,
  ) {
    this.events = new RecentEvents(windowMs);
  }

  /** Counts one event of key, or throws TooManyRequestsError past the limit (a refused one does not count). */
  take(key: string, now = Date.now()): void {
    if (this.limit === 0) return;
    if (this.events.count(key, now) >= this.limit) {
      const seconds = Math.max(1, Math.ceil(this.events.msUntilOldestExpires(key, now) / 1000));
      const window = this.windowMs === 60_000 ? 'minute' : `${this.windowMs / 1000} s`;
      throw new TooManyRequestsError(
        `too many ${this.what}: at most ${this.limit} per ${window}; try again in ${seconds} s`,
        seconds,
      );
    }
    this.events.record(key, now);
  }
}
