// Coalesced changes of monitors for screens that show many of them: while someone listens, the ids of monitors
// with a new result, a status transition or a changed row are collected, and once per tick each subscriber gets
// the ids it asked for that changed since the last tick, each once, in one batch.
import type { Logger } from 'pino';
import { Subscription } from './subscription.ts';
import { TickedSubscribers, type FollowEvents } from './ticked.ts';

export type { FollowEvents } from './ticked.ts';

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

export class ChangeTicker extends TickedSubscribers<ChangeSubscriber> {
  private changed = new Set<number>();

  constructor(follow: FollowEvents[], tickMs: number, maxBuffered: number, logger: Logger) {
    super(follow, tickMs, maxBuffered, logger, 'monitor changes');
  }

  async subscribe(ids: readonly number[] | null): Promise<Subscription<MonitorChanges>> {
    const subscriber: ChangeSubscriber = {
      ids: ids === null ? null : new Set(ids),
      subscription: new Subscription<MonitorChanges>(this.maxBuffered, () => this.leave(subscriber)),
      last: null,
    };
    await this.add(subscriber);
    return subscriber.subscription;
  }

  /** A monitor's row changed (created, edited, paused, deleted): it is part of the next tick. */
  touch(monitorId: number): void {
    if (this.running) this.changed.add(monitorId);
  }

  protected override onStart(): void {
    this.changed = new Set();
  }

  protected override onMonitorEvent(monitorId: number): void {
    this.changed.add(monitorId);
  }

  protected override tick(): void {
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
}
