// Coalesced changes of monitors for screens that show many of them: while someone listens, the ids of monitors
// with a new result, a status transition or a changed row are collected, and once per tick each subscriber gets
// the ids it asked for that changed since the last tick, each once, in one batch.
import type { Logger } from 'pino';
import { Subscription } from './subscription.ts';

/**
 * One tick as a whole: every id of the batches it handed out. Whoever reads the monitors of a tick for several
 * subscribers reads these once for all of them (one read per tick, whatever the number of subscribers).
 */
export interface ChangeRound {
  readonly ids: readonly number[];
  /** When the tick closed. */
  readonly at: Date;
}

/** One tick's changes for one subscriber: the monitors (ids, ascending) whose status, last result or figures changed. */
export interface MonitorChanges {
  ids: number[];
  /** When the tick closed. */
  at: Date;
  /** The tick these changes belong to, the same object for every subscriber of the tick. */
  round: ChangeRound;
}

interface ChangeSubscriber {
  /** Only these monitors; null for all. */
  ids: Set<number> | null;
  subscription: Subscription<MonitorChanges>;
  /** The last batch handed over, while it may still wait in the subscription's buffer. */
  last: MonitorChanges | null;
}

/** A stream of monitor-carrying events this ticker follows while it has subscribers (results, transitions). */
export type FollowEvents = () => Promise<AsyncIterableIterator<{ monitorId: number | null }>>;

/** The union of two ascending id lists, ascending. */
function mergeSorted(a: number[], b: number[]): number[] {
  const merged: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i++]! : b[j++]!;
    if (merged.at(-1) !== next) merged.push(next);
  }
  return merged;
}

/** Every id of the batches, ascending, once. */
function union(batches: ReadonlyArray<{ ids: readonly number[] }>): number[] {
  const ids = new Set<number>();
  for (const batch of batches) for (const id of batch.ids) ids.add(id);
  return [...ids].sort((a, b) => a - b);
}

export class ChangeTicker {
  private readonly subscribers = new Set<ChangeSubscriber>();
  private changed = new Set<number>();
  private sources: Array<AsyncIterableIterator<unknown>> = [];
  private timer: NodeJS.Timeout | null = null;
  private starting: Promise<void> | null = null;

  constructor(
    private readonly follow: FollowEvents[],
    private readonly tickMs: number,
    private readonly maxBuffered: number,
    private readonly logger: Logger,
  ) {}

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  async subscribe(ids: readonly number[] | null): Promise<Subscription<MonitorChanges>> {
    const subscriber: ChangeSubscriber = {
      ids: ids === null ? null : new Set(ids),
      subscription: new Subscription<MonitorChanges>(this.maxBuffered, () => this.leave(subscriber)),
      last: null,
    };
    this.subscribers.add(subscriber);
    if (!this.timer) this.starting = this.start();
    // Returns once the streams are followed, so that nothing after this point is missed.
    if (this.starting) await this.starting;
    return subscriber.subscription;
  }

  /** A monitor's row changed (created, edited, paused, deleted): it is part of the next tick. */
  touch(monitorId: number): void {
    if (this.timer) this.changed.add(monitorId);
  }

  async stop(): Promise<void> {
    for (const subscriber of [...this.subscribers]) await subscriber.subscription.return();
    await this.starting;
    await this.halt();
  }

  private async start(): Promise<void> {
    this.changed = new Set();
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
    for (const follow of this.follow) {
      const source = await follow();
      this.sources.push(source);
      void this.drain(source);
    }
    this.starting = null;
  }

  private async drain(source: AsyncIterableIterator<{ monitorId: number | null }>): Promise<void> {
    try {
      for await (const event of source) if (event.monitorId !== null) this.changed.add(event.monitorId);
    } catch (error) {
      // The event hub ended this reader (it fell behind, which a Set.add hardly does): everyone reads again.
      this.logger.warn({ err: (error as Error).message }, 'monitor changes lost their source; subscribers ended');
      for (const subscriber of [...this.subscribers]) subscriber.subscription.fail(error as Error);
    }
  }

  private tick(): void {
    if (this.changed.size === 0) return;
    const ids = [...this.changed].sort((a, b) => a - b);
    this.changed = new Set();
    const at = new Date();
    const grown: MonitorChanges[] = [];
    const fresh: Array<[ChangeSubscriber, Omit<MonitorChanges, 'round'>]> = [];
    for (const subscriber of this.subscribers) {
      const { ids: wanted, subscription, last } = subscriber;
      const mine = wanted === null ? ids : ids.filter((id) => wanted.has(id));
      if (mine.length === 0) continue;
      if (last && subscription.buffered > 0) {
        // The previous batch is still waiting (its reader is busy with an older one): it grows instead, so a
        // slow reader gets one batch of everything that changed meanwhile, never a queue of stale ones.
        last.ids = mergeSorted(last.ids, mine);
        last.at = at;
        grown.push(last);
      } else {
        fresh.push([subscriber, { ids: mine, at }]);
      }
    }
    // The round is what the fresh batches hold: a reader that fell behind (a grown batch) reads its older ids on
    // its own, rather than making every reader of this tick wait for a larger read.
    const batches = fresh.map(([, batch]) => batch);
    const round: ChangeRound = { ids: batches.length === 1 ? batches[0]!.ids : union(batches), at };
    for (const batch of grown) batch.round = round;
    for (const [subscriber, batch] of fresh) {
      subscriber.last = { ...batch, round };
      subscriber.subscription.push(subscriber.last);
    }
  }

  private leave(subscriber: ChangeSubscriber): void {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size === 0) void this.halt();
  }

  /** Nobody listens any more: stop following the streams. */
  private async halt(): Promise<void> {
    await this.starting;
    if (this.subscribers.size > 0 || !this.timer) return;
    clearInterval(this.timer);
    this.timer = null;
    const sources = this.sources.splice(0);
    await Promise.all(sources.map((source) => source.return?.()));
  }
}
