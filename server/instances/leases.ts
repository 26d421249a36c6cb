// Monitor leases within this instance's location: each active monitor is checked by exactly one live instance.
// A lease lives as long as its instance heartbeats (the heartbeat renews them all at once); at each heartbeat the
// instance counts the live instances of its location and the active monitors, claims free or expired leases up to
// its fair share, and hands back, a tenth of its share at a time, what it holds beyond it. NOTIFY wakes it early
// (a monitor created or resumed, leases released); the table is the truth.
import type { Logger } from 'pino';
import type { Db, LeaseOwner } from '../db/index.ts';
import { claimLeases, countLeases, findLeaseHolder, listHeldLeases, releaseLeases } from '../db/index.ts';
import { VIGIE_BAUX } from '../events/index.ts';
import type { Membership } from './membership.ts';

/** What the leases drive: the scheduler of this instance. */
export interface LeaseHolder {
  /** Start checking these monitors (just claimed). */
  acquired(monitorIds: number[]): Promise<void>;
  /** Stop checking these monitors (their lease is gone: taken over after a stall, or the monitor went). */
  lost(monitorIds: number[]): void;
  /**
   * Chooses up to `count` monitors to hand over and stops scheduling them (those checked longest ago are kept:
   * the handed-over ones should have a stored result and a next check far off).
   */
  handOver(count: number): number[];
  /** Leases are known valid again (after a heartbeat): checks held back may start. */
  renewed(): void;
}

/** The whole held set is read again this often, besides after a stall (the safety net for drift). */
const FULL_READ_EVERY_MS = 60_000;
/** At most this fraction of the fair share is handed over per heartbeat: a rebalancing, not a stampede. */
const HAND_OVER_FRACTION = 0.1;
/** Checks stop a little before the lease could lapse in the database, for the time a heartbeat takes. */
const VALIDITY_MARGIN = 0.9;
/** After another instance's leases may lapse, the wait before claiming them (the clocks of two timers apart). */
const LAPSE_WAKE_MARGIN_MS = 50;

export class MonitorLeases {
  /** Monitor id → fencing token of the lease held on it. */
  private readonly held = new Map<number, string>();
  private holder: LeaseHolder | null = null;
  /** Whether other instances of the location were alive at the last heartbeat (they would take over). */
  private othersAlive = false;
  private lastFullReadAt = -Infinity;
  private lastBalancedBeatAt = -Infinity;
  /**
   * The heartbeat (performance.now() when sent) the held set is known good for. After a stall it advances only
   * once the held set was read again, so that monitors taken over meanwhile are dropped before any check starts.
   */
  private renewedAt = -Infinity;
  /** performance.now() of the last hand-over: one step per heartbeat, however often other instances wake it. */
  private lastHandOverAt = -Infinity;
  private failing = false;
  private stopListening: (() => Promise<void>) | null = null;
  /** Wakes the heartbeat when another instance's leases may lapse, if that comes before the next beat. */
  private lapseTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly membership: Membership,
    private readonly logger: Logger,
  ) {
    membership.onBeat(() => this.balance());
  }

  private get owner(): LeaseOwner {
    return { instanceId: this.membership.id, location: this.membership.location, ttlMs: this.membership.ttlMs };
  }

  /** Starts driving `holder`: claims this instance's share now, then at each heartbeat. */
  async start(holder: LeaseHolder): Promise<void> {
    this.holder = holder;
    this.stopListening = await this.db.listen(VIGIE_BAUX, (releasedBy) => {
      // Its own hand-overs do not wake it: it hands over one step per heartbeat.
      if (releasedBy !== this.membership.id) void this.membership.wake();
    });
    await this.membership.wake();
  }

  /** Stops driving the holder (the leases themselves go when the instance deregisters). */
  async stop(): Promise<void> {
    this.holder = null;
    this.wakeAtLapse(null);
    await this.stopListening?.();
    this.stopListening = null;
  }

  /** This instance's id (the lease owner). */
  get instanceId(): string {
    return this.membership.id;
  }

  /** The live instance that holds a monitor's lease in this location, as the database has it; null: none. */
  holderOf(monitorId: number): Promise<string | null> {
    return findLeaseHolder(this.db, this.owner, monitorId);
  }

  holds(monitorId: number): boolean {
    return this.held.has(monitorId);
  }

  /** The fencing token of the lease held on a monitor (its check results are stored only under it); undefined: not held. */
  tokenOf(monitorId: number): string | undefined {
    return this.held.get(monitorId);
  }

  get count(): number {
    return this.held.size;
  }

  /**
   * Whether checks may start now: the last heartbeat is recent enough that no other instance can have taken
   * over. An instance alone in its location keeps checking through a database outage (results queue until it is
   * back): no one would take its monitors over.
   */
  valid(now = performance.now()): boolean {
    return !this.othersAlive || now < this.renewedAt + this.membership.ttlMs * VALIDITY_MARGIN;
  }

  /** Claims free leases soon (a monitor was created or resumed), at the next run of the heartbeat. */
  claimSoon(): void {
    void this.membership.wake();
  }

  /** The monitor was paused or deleted: its lease went with it. */
  forget(monitorId: number): void {
    this.held.delete(monitorId);
  }

  private async balance(): Promise<void> {
    const holder = this.holder;
    if (!holder) return;
    const beatAt = this.membership.lastBeatSentAt;
    // Silent past the lease time (as the database saw it, or as this instance did): another instance may have taken
    // monitors over meanwhile.
    const stalled =
      this.membership.lastBeatLapsed || beatAt - this.lastBalancedBeatAt > this.membership.ttlMs * VALIDITY_MARGIN;
    this.lastBalancedBeatAt = beatAt;
    try {
      if (stalled || beatAt - this.lastFullReadAt >= FULL_READ_EVERY_MS) await this.readHeld(holder, beatAt);
      this.renewedAt = beatAt;
      const counts = await countLeases(this.db, this.owner);
      this.othersAlive = counts.instances > 1;
      this.wakeAtLapse(counts.othersLapseInMs);
      if (counts.held !== this.held.size) await this.readHeld(holder, beatAt);
      const fairShare = Math.ceil(counts.monitors / Math.max(1, counts.instances));
      if (this.held.size < fairShare) await this.claim(holder, fairShare - this.held.size);
      else if (
        this.held.size > fairShare &&
        performance.now() - this.lastHandOverAt >= this.membership.heartbeatMs * 0.9
      ) {
        this.lastHandOverAt = performance.now();
        const step = Math.max(1, Math.ceil(fairShare * HAND_OVER_FRACTION));
        await this.handOver(holder, Math.min(this.held.size - fairShare, step));
      }
      if (this.failing) this.logger.info('monitor leases balanced again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.logger.warn({ err: (error as Error).message }, 'could not balance monitor leases');
      this.failing = true;
    } finally {
      if (this.holder) holder.renewed();
    }
  }

  /**
   * A dead instance's monitors are taken over as soon as its leases lapse, not at the next heartbeat after: up to a
   * heartbeat sooner, which keeps a taken-over monitor's gap within two intervals. While the others heartbeat, each
   * beat here moves the wake-up further off before it comes.
   */
  private wakeAtLapse(inMs: number | null): void {
    if (this.lapseTimer) clearTimeout(this.lapseTimer);
    this.lapseTimer = null;
    if (inMs === null || !this.holder) return;
    this.lapseTimer = setTimeout(() => void this.membership.wake(), Math.max(0, inMs) + LAPSE_WAKE_MARGIN_MS);
    this.lapseTimer.unref();
  }

  /** Reads the held set from the table and tells the holder what it gained or lost. */
  private async readHeld(holder: LeaseHolder, beatAt: number): Promise<void> {
    const tokens = new Map((await listHeldLeases(this.db, this.owner)).map((lease) => [lease.monitorId, lease.token]));
    this.lastFullReadAt = beatAt;
    const lost = [...this.held.keys()].filter((id) => !tokens.has(id));
    const gained = [...tokens.keys()].filter((id) => !this.held.has(id));
    for (const id of lost) this.held.delete(id);
    // A lease taken over and claimed back meanwhile has a new token: results of checks under the old one are not stored.
    for (const [id, token] of tokens) this.held.set(id, token);
    if (lost.length) {
      this.logger.warn({ monitors: lost.length }, 'monitor leases lost (taken over after a stall, or gone)');
      holder.lost(lost);
    }
    if (gained.length) await holder.acquired(gained);
  }

  private async claim(holder: LeaseHolder, count: number): Promise<void> {
    const claimed = await claimLeases(this.db, this.owner, count);
    if (claimed.length === 0) return;
    for (const lease of claimed) this.held.set(lease.monitorId, lease.token);
    this.logger.debug({ monitors: claimed.length }, 'monitor leases claimed');
    await holder.acquired(claimed.map((lease) => lease.monitorId));
  }

  private async handOver(holder: LeaseHolder, count: number): Promise<void> {
    const chosen = holder.handOver(count);
    if (chosen.length === 0) return;
    try {
      const released = await releaseLeases(this.db, this.owner, chosen);
      // Those not released were not held any more (a monitor deleted meanwhile): not ours either way.
      for (const id of chosen) this.held.delete(id);
      this.logger.debug({ monitors: released.length }, 'monitor leases handed over');
    } catch (error) {
      // Still ours: check them again.
      await holder.acquired(chosen);
      throw error;
    }
  }
}
