// Live events for subscribers, fed by PostgreSQL: a NOTIFY wakes a stream up, the stream reads the new rows
// from its table (one query per wake-up, shared by all subscribers) and hands each row to the subscribers
// whose filter accepts it. After a lost LISTEN connection every stream catches up from its table.
import type { Logger } from 'pino';
import type { Db } from '../db/index.ts';
import { ChangeTicker, type MonitorChanges } from './changes.ts';
import { VIGIE_MONITEURS, VIGIE_PAGES } from './notify-channels.ts';
import { PageChanges, type PageMonitors, type StatusPageChange } from './page-changes.ts';
import { STREAMS, type LiveEvents, type StreamDefinition, type StreamName } from './streams.ts';
import { Subscription } from './subscription.ts';
import { TableTail } from './table-tail.ts';

export interface EventHubOptions {
  /** Events buffered for one subscriber before it is ended as too slow. */
  maxBufferedPerSubscriber?: number;
  /** How often streams with subscribers look at their table even without a notification. */
  safetyPollMs?: number;
  /** How often monitor changes are sent, coalesced (TEMPS_REEL_INTERVALLE_MS). */
  tickMs?: number;
}

/**
 * The default tick of coalesced monitor changes. A change waits for the next tick, so the tick bounds how late a
 * list shows it: at 500 ms a dashboard's p99 from a result's commit to its receipt was 758 ms (bench:fanout, list
 * scenario); at 100 ms it is the tick plus the fan-out, for a few % of a core more.
 */
export const DEFAULT_TICK_MS = 100;

/** How long a burst waits for a subscriber to make room before that subscriber is ended as too slow. */
const DRAIN_WAIT_MS = 2000;

interface Subscriber<T> {
  accepts: (event: T) => boolean;
  subscription: Subscription<T>;
}

interface MonitorFilter {
  monitorId?: number | null;
}

const everything = (): boolean => true;
const ofMonitor =
  ({ monitorId }: MonitorFilter) =>
  (event: { monitorId: number | null }): boolean =>
    monitorId == null || event.monitorId === monitorId;

class EventStream<T extends { id: number; monitorId: number | null }> {
  private readonly subscribers = new Set<Subscriber<T>>();
  private readonly tail: TableTail<T>;
  private polling: Promise<void> | null = null;
  private pollAgain = false;

  constructor(
    private readonly db: Db,
    private readonly definition: StreamDefinition<T>,
    private readonly logger: Logger,
    private readonly maxBuffered: number,
  ) {
    // The cursor is set when a first subscriber arrives: without one, the stream reads nothing.
    this.tail = new TableTail((after, holes, limit) => definition.fetchAfter(db, after, holes, limit), 0);
  }

  get channel(): string {
    return this.definition.channel;
  }

  async subscribe(accepts: (event: T) => boolean): Promise<Subscription<T>> {
    const subscriber: Subscriber<T> = {
      accepts,
      subscription: new Subscription<T>(this.maxBuffered, () => this.subscribers.delete(subscriber)),
    };
    if (this.subscribers.size === 0) {
      // Nobody followed the table: start from now rather than replaying what nobody subscribed to.
      await this.polling;
      this.tail.reset(await this.definition.latestId(this.db));
    }
    this.subscribers.add(subscriber);
    return subscriber.subscription;
  }

  /** Coalesces wake-ups: at most one read in flight, and one more after it when woken meanwhile. */
  wake(): void {
    if (this.subscribers.size === 0) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = this.poll().finally(() => {
      this.polling = null;
      if (this.pollAgain) {
        this.pollAgain = false;
        this.wake();
      }
    });
  }

  private async poll(): Promise<void> {
    try {
      do await this.deliver(await this.tail.poll());
      while (this.tail.more && this.subscribers.size > 0);
    } catch (error) {
      this.logger.warn({ err: (error as Error).message, channel: this.channel }, 'could not read new events');
    }
  }

  /**
   * Hands events over in chunks that fit the subscribers' buffers: a burst larger than a buffer (one INSERT of
   * thousands of rows) must not end a subscriber that keeps up, only one that does not drain in time.
   */
  private async deliver(events: T[]): Promise<void> {
    const chunk = Math.max(1, Math.floor(this.maxBuffered / 2));
    for (let start = 0; start < events.length; start += chunk) {
      await this.roomFor(chunk);
      for (const event of events.slice(start, start + chunk)) {
        for (const subscriber of this.subscribers) if (subscriber.accepts(event)) subscriber.subscription.push(event);
      }
    }
  }

  private async roomFor(count: number): Promise<void> {
    const level = this.maxBuffered - count;
    const full = [...this.subscribers].filter((subscriber) => subscriber.subscription.buffered > level);
    if (full.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(full.map((subscriber) => subscriber.subscription.drained(level))),
      new Promise((resolve) => (timer = setTimeout(resolve, DRAIN_WAIT_MS))),
    ]);
    clearTimeout(timer);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Waits for the read in flight and ends every subscription. */
  async close(): Promise<void> {
    while (this.polling) await this.polling;
    for (const subscriber of this.subscribers) await subscriber.subscription.return();
  }
}

/** The streams followed by monitor. */
type MonitorStreamName = Exclude<StreamName, 'deliveries'>;

/** One method per stream (`alerts`, `transitions`, `results`): subscribes to its events, of one monitor or all. */
type StreamSubscribers = {
  [Name in MonitorStreamName]: (filter?: MonitorFilter) => Promise<Subscription<LiveEvents[Name]>>;
};

/** Which delivery changes a subscriber follows: every given condition holds. */
export interface DeliveryFilter extends MonitorFilter {
  channelId?: number | null;
  alertId?: number | null;
}

export interface EventHub extends StreamSubscribers {
  /** Every new or changed delivery (queued, being sent, sent, retrying, failed, suppressed, retried). */
  deliveries(filter?: DeliveryFilter): Promise<Subscription<LiveEvents['deliveries']>>;
  /**
   * Once per tick, the monitors (of `ids`, or all) whose status, last result or 24 h figures changed since the
   * last tick, or whose row changed.
   */
  monitorChanges(filter?: { ids?: readonly number[] | null }): Promise<Subscription<MonitorChanges>>;
  /** Once per tick at most: the page changed, or a monitor it lists (read by `monitors`) changed state. */
  statusPageChanges(pageId: number, monitors: PageMonitors): Promise<Subscription<StatusPageChange>>;
  readonly subscriberCount: number;
  stop(): Promise<void>;
}

export async function startEventHub(db: Db, logger: Logger, options: EventHubOptions = {}): Promise<EventHub> {
  const maxBuffered = options.maxBufferedPerSubscriber ?? 1000;
  const names = Object.keys(STREAMS) as StreamName[];
  // Object.fromEntries forgets which event type goes with which name; the type of STREAMS pairs them.
  const byName = Object.fromEntries(
    names.map((name) => [name, new EventStream<LiveEvents[StreamName]>(db, STREAMS[name], logger, maxBuffered)]),
  ) as { [Name in StreamName]: EventStream<LiveEvents[Name]> };
  const streams = Object.values(byName);

  const ticker = new ChangeTicker(
    [() => byName.results.subscribe(everything), () => byName.transitions.subscribe(everything)],
    options.tickMs ?? DEFAULT_TICK_MS,
    maxBuffered,
    logger,
  );

  const pages = new PageChanges(
    () => byName.transitions.subscribe(everything),
    options.tickMs ?? DEFAULT_TICK_MS,
    maxBuffered,
    logger,
  );

  const stops: Array<() => unknown> = [];
  for (const stream of streams) stops.push(await db.listen(stream.channel, () => stream.wake()));
  stops.push(
    await db.listen(VIGIE_MONITEURS, (payload) => {
      const id = Number(payload);
      if (Number.isInteger(id)) {
        ticker.touch(id);
        pages.touchMonitor(id);
      } else {
        pages.touch(null);
      }
    }),
  );
  stops.push(
    await db.listen(VIGIE_PAGES, (payload) => {
      const id = Number(payload);
      if (Number.isInteger(id)) pages.touch(id);
    }),
  );
  stops.push(
    db.onListenReconnect(() => {
      logger.info('catching up on events missed while the LISTEN connection was down');
      for (const stream of streams) stream.wake();
      pages.touch(null);
    }),
  );
  const safetyPoll = setInterval(() => {
    for (const stream of streams) stream.wake();
  }, options.safetyPollMs ?? 5000);
  safetyPoll.unref();

  const subscribe =
    <Name extends MonitorStreamName>(name: Name) =>
    (filter: MonitorFilter = {}) =>
      byName[name].subscribe(ofMonitor(filter));

  return {
    alerts: subscribe('alerts'),
    transitions: subscribe('transitions'),
    results: subscribe('results'),
    deliveries: (filter = {}) =>
      byName.deliveries.subscribe(
        (change) =>
          ofMonitor(filter)(change) &&
          (filter.channelId == null || change.delivery.channelId === filter.channelId) &&
          (filter.alertId == null || change.delivery.alertId === filter.alertId),
      ),
    monitorChanges: (filter = {}) => ticker.subscribe(filter.ids ?? null),
    statusPageChanges: (pageId, monitors) => pages.subscribe(pageId, monitors),
    get subscriberCount() {
      return streams.reduce((total, stream) => total + stream.subscriberCount, 0);
    },
    async stop() {
      clearInterval(safetyPoll);
      for (const stop of stops) await stop();
      await ticker.stop();
      await pages.stop();
      for (const stream of streams) await stream.close();
    },
  };
}
