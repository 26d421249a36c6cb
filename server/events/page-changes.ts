// Changes of public status pages, coalesced per tick: a page's row, sections or incidents changed (its trigger's
// NOTIFY), or a monitor it lists changed state (the transitions stream) or row (renamed: its NOTIFY). The event only says "read the page again":
// the tables are the truth, so a lost notification costs at most a late refresh (every page is touched after the
// LISTEN connection comes back).
import type { Logger } from 'pino';
import { Subscription } from './subscription.ts';
import { TickedSubscribers, type FollowEvents } from './ticked.ts';

export interface StatusPageChange {
  pageId: number;
  /** When the tick closed. */
  at: Date;
}

/** The monitors a page lists, read again after each change of the page. */
export type PageMonitors = () => Promise<readonly number[]>;

interface PageSubscriber {
  pageId: number;
  monitorIds: Set<number>;
  readMonitors: PageMonitors;
  subscription: Subscription<StatusPageChange>;
  dirty: boolean;
}

export class PageChanges extends TickedSubscribers<PageSubscriber> {
  constructor(followTransitions: FollowEvents, tickMs: number, maxBuffered: number, logger: Logger) {
    super([followTransitions], tickMs, maxBuffered, logger, 'status page changes');
  }

  async subscribe(pageId: number, readMonitors: PageMonitors): Promise<Subscription<StatusPageChange>> {
    const subscriber: PageSubscriber = {
      pageId,
      monitorIds: new Set(await readMonitors()),
      readMonitors,
      subscription: new Subscription<StatusPageChange>(this.maxBuffered, () => this.leave(subscriber)),
      dirty: false,
    };
    await this.add(subscriber);
    return subscriber.subscription;
  }

  /** A page changed (payload of its NOTIFY); null: any may have (the LISTEN connection came back). */
  touch(pageId: number | null): void {
    for (const subscriber of this.subscribers) {
      if (pageId !== null && subscriber.pageId !== pageId) continue;
      subscriber.dirty = true;
      subscriber
        .readMonitors()
        .then((ids) => {
          subscriber.monitorIds = new Set(ids);
        })
        .catch((error: unknown) =>
          this.logger.warn({ err: (error as Error).message, pageId }, 'could not read the monitors of a status page'),
        );
    }
  }

  /** A monitor's row changed (renamed, paused, deleted): the pages that list it show it again. */
  touchMonitor(monitorId: number): void {
    this.onMonitorEvent(monitorId);
  }

  protected override onMonitorEvent(monitorId: number): void {
    for (const subscriber of this.subscribers) {
      if (subscriber.monitorIds.has(monitorId)) subscriber.dirty = true;
    }
  }

  /** Each changed page once per tick; one still waiting for its reader stands for the newer change too. */
  protected override tick(): void {
    const at = new Date();
    for (const subscriber of this.subscribers) {
      if (!subscriber.dirty) continue;
      subscriber.dirty = false;
      if (subscriber.subscription.buffered === 0) subscriber.subscription.push({ pageId: subscriber.pageId, at });
    }
  }
}
