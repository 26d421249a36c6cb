// Changes of public status pages, coalesced per tick: a page's row, sections or incidents changed (its trigger's
// NOTIFY), or a monitor it lists changed state (the transitions stream). The event only says "read the page again":
// the tables are the truth, so a lost notification costs at most a late refresh (every page is touched after the
// LISTEN connection comes back).
import type { Logger } from 'pino';
import { Subscription } from './subscription.ts';

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

export class PageChanges {
  private readonly subscribers = new Set<PageSubscriber>();
  private source: AsyncIterableIterator<{ monitorId: number | null }> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private starting: Promise<void> | null = null;

  constructor(
    private readonly followTransitions: () => Promise<AsyncIterableIterator<{ monitorId: number | null }>>,
    private readonly tickMs: number,
    private readonly maxBuffered: number,
    private readonly logger: Logger,
  ) {}

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  async subscribe(pageId: number, readMonitors: PageMonitors): Promise<Subscription<StatusPageChange>> {
    const subscriber: PageSubscriber = {
      pageId,
      monitorIds: new Set(await readMonitors()),
      readMonitors,
      subscription: new Subscription<StatusPageChange>(this.maxBuffered, () => this.leave(subscriber)),
      dirty: false,
    };
    this.subscribers.add(subscriber);
    if (!this.timer) this.starting = this.start();
    if (this.starting) await this.starting;
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

  async stop(): Promise<void> {
    for (const subscriber of [...this.subscribers]) await subscriber.subscription.return();
    await this.halt();
  }

  private async start(): Promise<void> {
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
    this.source = await this.followTransitions();
    void this.drain(this.source);
    this.starting = null;
  }

  private async drain(source: AsyncIterableIterator<{ monitorId: number | null }>): Promise<void> {
    try {
      for await (const event of source) {
        if (event.monitorId === null) continue;
        for (const subscriber of this.subscribers) {
          if (subscriber.monitorIds.has(event.monitorId)) subscriber.dirty = true;
        }
      }
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'status page changes lost their source; subscribers ended');
      for (const subscriber of [...this.subscribers]) subscriber.subscription.fail(error as Error);
    }
  }

  /** Each changed page once per tick; one still waiting for its reader stands for the newer change too. */
  private tick(): void {
    const at = new Date();
    for (const subscriber of this.subscribers) {
      if (!subscriber.dirty) continue;
      subscriber.dirty = false;
      if (subscriber.subscription.buffered === 0) subscriber.subscription.push({ pageId: subscriber.pageId, at });
    }
  }

  private leave(subscriber: PageSubscriber): void {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size === 0) void this.halt();
  }

  private async halt(): Promise<void> {
    await this.starting;
    if (this.subscribers.size > 0 || !this.timer) return;
    clearInterval(this.timer);
    this.timer = null;
    const source = this.source;
    this.source = null;
    await source?.return?.();
  }
}
