// This Vigie among the instances sharing one database: registered at start, heartbeating every few seconds (the
// heartbeat is what keeps its monitor leases alive), removed on a clean stop.
import type { Logger } from 'pino';
import type { Db } from '../db/index.ts';
import {
  deleteInstance,
  deleteOtherInstances,
  heartbeatInstance,
  insertInstance,
  listLiveInstances,
  markGoneLocations,
  purgeDeadInstances,
  restoreInstance,
} from '../db/index.ts';
import { schedulePeriodicJob, type PeriodicJob } from '../periodic-job.ts';
import type { GoneLocation } from '../db/index.ts';
import type { Instance, InstanceIdentity } from '../types/index.ts';

export interface MembershipOptions {
  identity: InstanceIdentity;
  heartbeatMs: number;
  /** An instance that has not heartbeat for this long is dead: its monitors are taken over. */
  ttlMs: number;
  /**
   * The embedded database is opened by one process at a time: any other instance recorded in it is dead, and is
   * removed at start rather than waited for.
   */
  exclusive: boolean;
}

/** Work done right after each heartbeat, in the same run (lease renewal and balancing). */
export type BeatListener = (signal: AbortSignal) => Promise<void>;

/** How long a listing for the APIs may wait for the database before the last one is shown. */
const LIST_DEADLINE_MS = 300;
/**
 * A location is gone when none of its instances has heartbeat for this many lease times: longer than one instance's
 * death takes to be seen, so that a location with a single instance stalled for a moment (a loaded machine, a long
 * pause) does not drop out of the quorum of its monitors, lowering it.
 */
const GONE_AFTER_LEASES = 2;
/** Dead instances' rows are purged about this often (by each instance). */
const PURGE_EVERY_MS = 60_000;
/**
 * On a clean stop, how long the heartbeat in flight and the deregistration may take: a stuck database must not hold
 * the shutdown (the other instances then take over once the heartbeat is seen to stop).
 */
const STOP_DEADLINE_MS = 1_000;

export class Membership {
  private self: Instance | null = null;
  private job: PeriodicJob<void> | null = null;
  /** performance.now() when the last successful heartbeat was sent. */
  private beatSentAt = -Infinity;
  private wanted = false;
  /** Called when a whole run that started after their wake() is over. */
  private waiters: Array<() => void> = [];
  private failing = false;
  private lapsed = false;
  private lastPurgeAt = -Infinity;
  private readonly listeners: BeatListener[] = [];
  private lastListing: Instance[] = [];
  private gone: GoneLocation[] = [];
  /** How many monitors this instance checks, reported with each heartbeat. */
  monitorCount: () => number = () => 0;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    readonly options: MembershipOptions,
  ) {}

  get id(): string {
    if (!this.self) throw new Error('the instance is not registered yet');
    return this.self.id;
  }

  get location(): string {
    return this.options.identity.location;
  }

  get ttlMs(): number {
    return this.options.ttlMs;
  }

  get heartbeatMs(): number {
    return this.options.heartbeatMs;
  }

  /**
   * Whether the heartbeat before the last one was older than the lease time when the last one arrived: the other
   * instances may have taken this one's monitors over in between.
   */
  get lastBeatLapsed(): boolean {
    return this.lapsed;
  }

  /** performance.now() of the last heartbeat that reached the database (-Infinity before the first). */
  get lastBeatSentAt(): number {
    return this.beatSentAt;
  }

  /** Runs `listener` after every heartbeat, in order, never two runs at once. */
  onBeat(listener: BeatListener): void {
    this.listeners.push(listener);
  }

  /** Registers this instance and starts heartbeating. */
  async start(): Promise<void> {
    const sentAt = performance.now();
    this.self = await insertInstance(this.db, this.options.identity);
    this.beatSentAt = sentAt;
    if (this.options.exclusive) await deleteOtherInstances(this.db, this.self.id);
    this.logger.info(
      { instance: this.self.id, name: this.self.name, location: this.self.location },
      'instance registered',
    );
    this.job = schedulePeriodicJob(
      'instance heartbeat',
      { everyMs: this.options.heartbeatMs, firstRunDelayMs: 0 },
      this.logger,
      (signal) => this.run(signal),
    );
  }

  /**
   * Heartbeats (and runs the beat listeners) as soon as possible, after the run in progress if any; resolves once
   * that run is over (at once when stopped).
   */
  wake(): Promise<void> {
    if (!this.job) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.waiters.push(resolve));
    this.wanted = true;
    void this.job.runNow();
    return done;
  }

  /** Stops heartbeating and removes this instance's row, which releases everything it held at once. */
  async stop(): Promise<void> {
    const self = this.self;
    if (this.job && !(await withinDeadline(this.job.stop()))) {
      this.logger.warn({ instance: self?.id }, 'the last heartbeat did not end in time: stopping without it');
    }
    this.job = null;
    for (const resolve of this.waiters.splice(0)) resolve();
    if (!self) return;
    try {
      if (await withinDeadline(deleteInstance(this.db, self.id))) {
        this.logger.info({ instance: self.id }, 'instance deregistered');
      } else {
        this.logger.warn({ instance: self.id }, 'could not deregister the instance in time: the database is stuck');
      }
    } catch (error) {
      // Its heartbeat stops anyway: the others take over once it is seen dead.
      this.logger.warn({ err: (error as Error).message }, 'could not deregister the instance');
    }
    this.self = null;
  }

  /** The live instances of every location (the last listing when the database does not answer quickly). */
  async list(): Promise<Instance[]> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), LIST_DEADLINE_MS)));
    const read = listLiveInstances(this.db, this.options.ttlMs).catch(() => null);
    try {
      const listing = await Promise.race([read, late]);
      if (listing) this.lastListing = listing;
      return this.lastListing;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The locations none of whose instances is alive, as of the last heartbeat. */
  goneLocations(): GoneLocation[] {
    return this.gone;
  }

  /**
   * Finds the locations whose instances are all gone (each reported once, by the instance that finds it), and this
   * one's location present again. A failure does not fail the heartbeat: it is tried again at the next.
   */
  private async markGoneLocations(): Promise<void> {
    let changes: Awaited<ReturnType<typeof markGoneLocations>>;
    try {
      changes = await markGoneLocations(this.db, this.location, this.options.ttlMs * GONE_AFTER_LEASES);
    } catch (error) {
      this.logger.debug({ err: (error as Error).message }, 'could not look for gone locations');
      return;
    }
    for (const location of changes.gone) {
      this.logger.warn(
        { location },
        `location ${location} is gone: none of its instances is alive; it drops out of the quorum of its monitors`,
      );
    }
    if (changes.back) this.logger.info({ location: this.location }, `location ${this.location} is back`);
    this.gone = changes.allGone;
  }

  private async run(signal: AbortSignal): Promise<void> {
    do {
      this.wanted = false;
      const waiting = this.waiters.splice(0);
      try {
        if (!(await this.beat())) return;
        for (const listener of this.listeners) {
          if (signal.aborted) return;
          await listener(signal);
        }
      } finally {
        for (const resolve of waiting) resolve();
      }
    } while (this.wanted && !signal.aborted);
  }

  /** One heartbeat; answers whether it reached the database. */
  private async beat(): Promise<boolean> {
    const self = this.self;
    if (!self) return false;
    const sentAt = performance.now();
    try {
      const beat = await heartbeatInstance(this.db, self.id, this.monitorCount(), this.options.ttlMs);
      if (!beat) {
        this.logger.warn({ instance: self.id }, 'instance row was gone (purged after a stall): registering again');
        await restoreInstance(this.db, self.id, this.options.identity, self.startedAt);
      }
      this.lapsed = beat?.lapsed ?? true;
      this.beatSentAt = sentAt;
      if (this.failing) this.logger.info({ instance: self.id }, 'instance heartbeat reaches the database again');
      this.failing = false;
      await this.markGoneLocations();
      if (sentAt - this.lastPurgeAt >= PURGE_EVERY_MS) {
        this.lastPurgeAt = sentAt;
        await purgeDeadInstances(this.db);
      }
      return true;
    } catch (error) {
      if (!this.failing) {
        this.logger.warn({ err: (error as Error).message, instance: self.id }, 'instance heartbeat failed');
      }
      this.failing = true;
      return false;
    }
  }
}

/** Whether `work` settled within STOP_DEADLINE_MS (true), or is left behind (false); rejects if it failed in time. */
async function withinDeadline(work: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), STOP_DEADLINE_MS)));
  work.catch(() => undefined);
  try {
    return await Promise.race([work.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
