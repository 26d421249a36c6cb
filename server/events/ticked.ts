// What the coalesced streams (monitor changes, status page changes) share: while someone listens, a timer ticks
// and event streams carrying monitor ids are followed; the last subscriber to leave stops both.
import type { Logger } from 'pino';

/** A stream of monitor-carrying events followed while there are subscribers (results, transitions). */
export type FollowEvents = () => Promise<AsyncIterableIterator<{ monitorId: number | null }>>;

/** What the base needs of a subscriber's subscription: ending it. */
interface Ends {
  return(): Promise<unknown>;
  fail(error: Error): void;
}

export abstract class TickedSubscribers<S extends { subscription: Ends }> {
  protected readonly subscribers = new Set<S>();
  private sources: Array<AsyncIterableIterator<unknown>> = [];
  private timer: NodeJS.Timeout | null = null;
  private starting: Promise<void> | null = null;

  constructor(
    private readonly follow: FollowEvents[],
    private readonly tickMs: number,
    protected readonly maxBuffered: number,
    protected readonly logger: Logger,
    /** What the subscribers receive, for the log when a source is lost. */
    private readonly what: string,
  ) {}

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Whether the streams are followed (someone listens). */
  protected get running(): boolean {
    return this.timer !== null;
  }

  /** A followed stream carried an event of this monitor. */
  protected abstract onMonitorEvent(monitorId: number): void;

  /** Once per tick while someone listens. */
  protected abstract tick(): void;

  /** Before the streams are followed again (the first subscriber after none). */
  protected onStart(): void {}

  /** Adds a subscriber; returns once the streams are followed, so that nothing after this point is missed. */
  protected async add(subscriber: S): Promise<void> {
    this.subscribers.add(subscriber);
    if (!this.timer) this.starting = this.start();
    if (this.starting) await this.starting;
  }

  /** For each subscription's end. */
  protected leave(subscriber: S): void {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size === 0) void this.halt();
  }

  async stop(): Promise<void> {
    for (const subscriber of [...this.subscribers]) await subscriber.subscription.return();
    await this.starting;
    await this.halt();
  }

  private async start(): Promise<void> {
    this.onStart();
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
      for await (const event of source) if (event.monitorId !== null) this.onMonitorEvent(event.monitorId);
    } catch (error) {
      // The event hub ended this reader (it fell behind): everyone reads again.
      this.logger.warn({ err: (error as Error).message }, `${this.what} lost their source; subscribers ended`);
      for (const subscriber of [...this.subscribers]) subscriber.subscription.fail(error as Error);
    }
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
