// When to run what: each active monitor sits in a due-time queue; a bounded pool of checks runs what is due,
// with at most maxChecksPerHost of them in flight to any one host.
import type { Logger } from 'pino';
import type { CheckOutcome, CheckSpec } from '../checks/index.ts';
import { parseIcmpTarget, parseTcpTarget } from '../checks/index.ts';
import type { Db } from '../db/index.ts';
import { getMonitor, getMonitors, heartbeatStates, insertResults, listActiveMonitors } from '../db/index.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { VIGIE_MONITEURS } from '../events/index.ts';
import type { LeaseHolder, MonitorLeases } from '../instances/index.ts';
import { checkedFrom, checkSpecOf, heartbeatVerdict, missedHeartbeatResult, type Monitor } from '../monitors/index.ts';
import { DEFAULT_LOCATION, type CheckResult } from '../types/index.ts';
import type { BatchWriter } from './batch-writer.ts';
import { CheckNowRouter } from './check-now.ts';
import { DueQueue } from './due-queue.ts';

export interface SchedulerOptions {
  maxParallelChecks: number;
  /** Checks in flight to one host (name or IP) at most; the others wait for it without holding a worker. */
  maxChecksPerHost: number;
  runCheck: (spec: CheckSpec) => Promise<CheckOutcome>;
  /** A full reload from the database, the safety net for lost notifications. */
  resyncIntervalMs?: number;
  /** Monitors found overdue at start are spread over at most this long, so they do not all fire at once. */
  startSpreadMs?: number;
  /** How often saturation is looked at, to log when checks start and stop running late. */
  saturationCheckIntervalMs?: number;
  /** A check started a whole interval late keeps the scheduler reported saturated this long (default 60 s). */
  saturationMemoryMs?: number;
  /**
   * The monitor leases of this instance among those sharing the database: only the monitors it holds are checked.
   * Without them, every active monitor is.
   */
  leases?: MonitorLeases;
  /** A monitor taken over from another instance is first checked within this long of when it is due (default 1 s). */
  takeoverSpreadMs?: number;
  /**
   * LOCATION of this instance: its results carry it, and only the monitors checked from it are scheduled (default
   * "default").
   */
  location?: string;
}

/** The setting that would let overdue checks run: more workers, more checks per host, or a faster database. */
export type SchedulerLimit = 'WORKERS_MAX_PARALLELES' | 'VERIFICATIONS_PAR_HOTE_MAX' | 'database';

/** Whether checks run on time. Saturated: a due check has waited a whole interval, or one did in the last minute. */
export interface SchedulerSaturation {
  saturated: boolean;
  /** Due checks not started yet that have waited their whole interval or more (a slot already missed). */
  overdueChecks: number;
  /** The longest a check waits now, or waited within the last minute, after its due time (ms). */
  worstLagMs: number;
  /** What holds checks back, in the order to raise it; empty when not saturated. */
  limitedBy: SchedulerLimit[];
  /** The hosts whose cap holds overdue checks back (at most 10). */
  busyHosts: string[];
}

export interface SchedulerStats {
  monitors: number;
  inFlight: number;
  /** Due checks not started yet: waiting for a worker, or for their host (waitingForHost). */
  waiting: number;
  /** Due checks held back because their host already has maxChecksPerHost checks in flight. */
  waitingForHost: number;
  checksStarted: number;
  checksCompleted: number;
  /** Completed checks by outcome (a check that threw counts in neither). */
  checksUp: number;
  checksDown: number;
  /** Checks that started a whole interval or more late (a slot that never ran). */
  missedChecks: number;
}

/** Told of each check as it starts, with how late it started after its due time (ms, never negative). */
export type CheckStartedListener = (lagMs: number) => void;

/** Told of each missed heartbeat deadline as its DOWN result is handed to the writer, with how late (ms). */
export type HeartbeatMissedListener = (lagMs: number) => void;

/** A heartbeat whose ping state could not be read (database away, leases not known valid) is looked at again after this. */
const HEARTBEAT_RETRY_MS = 1_000;

interface Entry {
  monitor: Monitor;
  /** What the per-host cap counts: the target's host name or IP, lower-cased. */
  host: string;
  dueAt: number;
  running: boolean;
  /** Waited in its host's line since it became due. */
  heldByHost: boolean;
  /** Results of its checks here handed to the writer and not stored yet. */
  unstored: number;
  /** The check running now (scheduled or "check now"), settled when it ends. */
  current: Promise<unknown> | null;
  /** Due and waiting (in ready or in a host's line), so a second slot of it is not queued too. */
  waiting: boolean;
}

/** The host a monitor's checks go to; a target that does not parse counts as its own host. */
export function hostOfTarget(kind: Monitor['kind'], target: string): string {
  try {
    if (kind === 'http') return new URL(target).hostname.toLowerCase();
    if (kind === 'tcp') return parseTcpTarget(target).host.toLowerCase();
    return parseIcmpTarget(target).toLowerCase();
  } catch {
    return target.toLowerCase();
  }
}

const LAG_SAMPLES = 20_000;
const MAX_BUSY_HOSTS_SHOWN = 10;
/**
 * New checks wait while this many results wait for a slow database, so it slows checking down. Not while the
 * database is away: checks go on and their results queue (bounded) in the writer until it is back.
 */
const MAX_PENDING_WRITES = 5_000;

/** The last LAG_SAMPLES lags, without shifting an array on every check. */
class LagRing {
  private readonly samples = new Float64Array(LAG_SAMPLES);
  private next = 0;
  private count = 0;

  push(lag: number): void {
    this.samples[this.next] = lag;
    this.next = (this.next + 1) % LAG_SAMPLES;
    this.count = Math.min(this.count + 1, LAG_SAMPLES);
  }

  toArray(): number[] {
    const start = (this.next - this.count + LAG_SAMPLES) % LAG_SAMPLES;
    return Array.from({ length: this.count }, (_, i) => this.samples[(start + i) % LAG_SAMPLES]!);
  }
}

export class Scheduler {
  private readonly entries = new Map<number, Entry>();
  private readonly queue = new DueQueue();
  private readonly ready: number[] = [];
  /** Checks in flight per host. */
  private readonly inFlightByHost = new Map<string, number>();
  /** Due checks waiting for their host to fall below the cap, oldest first. */
  private readonly hostLines = new Map<string, number[]>();
  private waitingForHost = 0;
  private readonly running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private timerDueAt = Infinity;
  private resyncTimer: NodeJS.Timeout | null = null;
  private stopListening: Array<() => unknown> = [];
  private stopped = true;
  /** Set at the shutdown deadline: checks still running are no longer waited for, and their results not stored. */
  private abandoned = false;
  private stopWaiting: (() => void) | null = null;
  /** Aborted with abandonInFlight(): ends the abandoned checks, so they hold no socket or timer. */
  private abandoning = new AbortController();
  private readonly lags = new LagRing();
  private readonly startedListeners = new Set<CheckStartedListener>();
  private readonly missedListeners = new Set<HeartbeatMissedListener>();
  private saturationTimer: NodeJS.Timeout | null = null;
  /** Last time due checks were held back because too many results waited for the database. */
  private writesHeldAt = -Infinity;
  /** The saturation episode being logged, if any. */
  private saturatedSince: number | null = null;
  /** The last check started a whole interval late, per what held it back, and the worst such lag (ms). */
  private recentMisses = new Map<SchedulerLimit, { at: number; lagMs: number }>();
  private counters = { checksStarted: 0, checksCompleted: 0, checksUp: 0, checksDown: 0, missedChecks: 0 };
  /** Until the first load is done: monitors found overdue then are spread over startSpreadMs. */
  private starting = false;
  /** Routes "check now" to the instance holding the monitor (with leases only). */
  private checkNowRouter: CheckNowRouter | null = null;

  constructor(
    private readonly db: Db,
    private readonly writer: BatchWriter,
    private readonly logger: Logger,
    private readonly options: SchedulerOptions,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    this.starting = true;
    this.stopListening.push(
      await this.db.listen(VIGIE_MONITEURS, (payload) => void this.onMonitorChanged(payload)),
      this.db.onListenReconnect(() => void this.resync()),
    );
    if (this.options.leases) {
      const leases = this.options.leases;
      await leases.start(this.leaseHolder());
      const router = new CheckNowRouter(
        this.db,
        leases,
        this.logger,
        (monitor) => this.checkHere(monitor),
        (id) => getMonitor(this.db, id),
      );
      await router.start();
      this.checkNowRouter = router;
      this.stopListening.push(
        () => leases.stop(),
        async () => {
          this.checkNowRouter = null;
          await router.stop();
        },
      );
    }
    await this.resync();
    this.starting = false;
    this.resyncTimer = setInterval(() => void this.resync(), this.options.resyncIntervalMs ?? 60_000);
    this.resyncTimer.unref();
    this.saturationTimer = setInterval(() => this.logSaturation(), this.options.saturationCheckIntervalMs ?? 5_000);
    this.saturationTimer.unref();
    this.logger.info({ monitors: this.entries.size }, 'scheduler started');
  }

  /** Stops scheduling, waits for the checks in flight and writes their results. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    if (this.saturationTimer) clearInterval(this.saturationTimer);
    this.timer = null;
    for (const stop of this.stopListening) await stop();
    this.stopListening = [];
    if (!this.abandoned) {
      const abandoned = new Promise<void>((resolve) => (this.stopWaiting = resolve));
      await Promise.race([Promise.allSettled([...this.running]), abandoned]);
      this.stopWaiting = null;
    }
    await this.writer.flush();
  }

  /**
   * At the shutdown deadline: stop() stops waiting for the checks in flight, whose results will not be stored,
   * and for the database to take the results waiting (the writer counts those). Answers how many checks were
   * abandoned.
   */
  abandonInFlight(): number {
    this.stopped = true;
    this.abandoned = true;
    this.abandoning.abort();
    this.stopWaiting?.();
    this.writer.giveUp();
    return this.running.size;
  }

  get stats(): SchedulerStats {
    return {
      monitors: this.entries.size,
      inFlight: this.running.size,
      waiting: this.ready.length + this.waitingForHost,
      waitingForHost: this.waitingForHost,
      ...this.counters,
    };
  }

  /** Whether checks run on time, and if not, which setting holds them back. */
  saturation(now = Date.now()): SchedulerSaturation {
    let overdueChecks = 0;
    let worstLagMs = 0;
    const limits = new Set<SchedulerLimit>();
    const busyHosts = new Set<string>();
    const look = (id: number, inHostLine: boolean): void => {
      const entry = this.entries.get(id);
      if (!entry?.waiting || entry.running) return;
      const lag = now - entry.dueAt;
      worstLagMs = Math.max(worstLagMs, lag);
      if (lag < entry.monitor.intervalSeconds * 1000) return;
      overdueChecks += 1;
      if (inHostLine) {
        limits.add('VERIFICATIONS_PAR_HOTE_MAX');
        busyHosts.add(entry.host);
      } else limits.add(this.writesHoldChecks() ? 'database' : 'WORKERS_MAX_PARALLELES');
    };
    for (const id of this.ready) look(id, false);
    for (const line of this.hostLines.values()) for (const id of line) look(id, true);
    for (const [limit, miss] of this.recentMisses) {
      if (now - miss.at > this.saturationMemoryMs) this.recentMisses.delete(limit);
      else {
        limits.add(limit);
        worstLagMs = Math.max(worstLagMs, miss.lagMs);
      }
    }
    const order: SchedulerLimit[] = ['database', 'WORKERS_MAX_PARALLELES', 'VERIFICATIONS_PAR_HOTE_MAX'];
    return {
      saturated: limits.size > 0,
      overdueChecks,
      worstLagMs,
      limitedBy: order.filter((limit) => limits.has(limit)),
      busyHosts: [...busyHosts].slice(0, MAX_BUSY_HOSTS_SHOWN),
    };
  }

  /** Logs once when checks start running late (and which setting to raise), once when they are on time again. */
  private logSaturation(): void {
    const now = Date.now();
    const state = this.saturation(now);
    if (state.saturated && this.saturatedSince === null) {
      this.saturatedSince = now;
      const advice = state.limitedBy.map((limit) =>
        limit === 'database'
          ? 'the database does not keep up with the results (see the database settings)'
          : limit === 'WORKERS_MAX_PARALLELES'
            ? `raise WORKERS_MAX_PARALLELES (now ${this.options.maxParallelChecks})`
            : `raise VERIFICATIONS_PAR_HOTE_MAX (now ${this.options.maxChecksPerHost}) or lengthen the intervals of the monitors of ${state.busyHosts.join(', ')}`,
      );
      this.logger.warn(
        {
          overdueChecks: state.overdueChecks,
          worstLagSeconds: Math.round(state.worstLagMs / 100) / 10,
          limitedBy: state.limitedBy,
          busyHosts: state.busyHosts,
        },
        `checks are running late, missing their intervals: ${advice.join('; ')}`,
      );
    } else if (!state.saturated && this.saturatedSince !== null) {
      this.logger.info({ lateForSeconds: Math.round((now - this.saturatedSince) / 1000) }, 'checks are on time again');
      this.saturatedSince = null;
    }
  }

  private get saturationMemoryMs(): number {
    return this.options.saturationMemoryMs ?? 60_000;
  }

  private writesHoldChecks(): boolean {
    return this.writer.stats.pending >= MAX_PENDING_WRITES && !this.writer.stats.outage;
  }

  /** Calls `listener` as each check starts; returns the function that stops it. */
  onCheckStarted(listener: CheckStartedListener): () => void {
    this.startedListeners.add(listener);
    return () => this.startedListeners.delete(listener);
  }

  /** Calls `listener` as each missed heartbeat deadline is found; returns the function that stops it. */
  onHeartbeatMissed(listener: HeartbeatMissedListener): () => void {
    this.missedListeners.add(listener);
    return () => this.missedListeners.delete(listener);
  }

  /** The last 20,000 schedule lags (actual start - due time) in ms, newest last. */
  recentLags(): number[] {
    return this.lags.toArray();
  }

  /**
   * Checks a monitor now, outside its schedule, and stores the result: on the instance that holds it (here, or
   * asked through the database), never at the same time as its scheduled check.
   */
  checkNow(monitor: Monitor): Promise<CheckResult> {
    if (monitor.kind === 'push') {
      return Promise.reject(
        new ValidationError('a heartbeat monitor is not checked by Vigie: its job calls the ping URL', 'id'),
      );
    }
    return this.checkNowRouter ? this.checkNowRouter.check(monitor) : this.checkHere(monitor);
  }

  /**
   * "Check now" here: waits for a check of the monitor in flight, then runs one that takes the place of the
   * scheduled check due meanwhile (the next one is due an interval later).
   */
  private async checkHere(monitor: Monitor): Promise<CheckResult> {
    let entry = this.entries.get(monitor.id);
    while (entry?.running) {
      await entry.current;
      entry = this.entries.get(monitor.id);
    }
    const startedAt = Date.now();
    const run = this.options
      .runCheck(checkSpecOf(monitor))
      .then((outcome) =>
        insertResults(this.db, [{ ...outcome, monitorId: monitor.id, location: this.location }], { returnRows: true }),
      )
      .then(([stored]) => {
        // Deleted while it was being checked: its result is not kept.
        if (!stored) throw new NotFoundError(`monitor ${monitor.id} does not exist`);
        return stored;
      });
    if (!entry) return run;
    const guarded = entry;
    guarded.running = true;
    guarded.waiting = false;
    guarded.current = run.then(
      () => this.afterCheckNow(guarded, startedAt),
      () => this.afterCheckNow(guarded, startedAt),
    );
    return run;
  }

  private afterCheckNow(entry: Entry, startedAt: number): void {
    entry.running = false;
    if (this.entries.get(entry.monitor.id) !== entry || this.stopped) return;
    entry.dueAt = Math.max(entry.dueAt, startedAt + entry.monitor.intervalSeconds * 1000);
    this.queue.push(entry.monitor.id, entry.dueAt);
    this.armTimer();
  }

  private get location(): string {
    return this.options.location ?? DEFAULT_LOCATION;
  }

  private checksHere(monitor: Monitor): boolean {
    return checkedFrom(monitor, this.location);
  }

  /** Reloads every active monitor, keeping the schedule of those that did not change. */
  async resync(): Promise<void> {
    if (this.stopped) return;
    try {
      const monitors = await listActiveMonitors(this.db);
      const seen = new Set<number>();
      const now = Date.now();
      const leases = this.options.leases;
      for (const monitor of monitors) {
        if ((leases && !leases.holds(monitor.id)) || !this.checksHere(monitor)) continue;
        seen.add(monitor.id);
        if (!this.entries.has(monitor.id)) this.add(monitor, this.dueAtWhenTaken(monitor, now));
        else this.update(monitor);
      }
      for (const id of this.entries.keys()) if (!seen.has(id)) this.entries.delete(id);
      this.armTimer();
    } catch (error) {
      this.logger.error({ err: (error as Error).message }, 'could not load monitors');
    }
  }

  private async onMonitorChanged(payload: string): Promise<void> {
    if (this.stopped) return;
    if (payload === '*') return this.resync();
    const id = Number(payload);
    const leases = this.options.leases;
    // Another instance's monitor, or a new or resumed one that is free: whoever is below its share claims it.
    if (leases && !leases.holds(id)) return leases.claimSoon();
    try {
      const monitor = await getMonitor(this.db, id);
      if (this.stopped) return;
      // Paused, deleted, or no longer checked from this location: its lease here went with it.
      if (!monitor || monitor.paused || !this.checksHere(monitor)) {
        this.entries.delete(id);
        leases?.forget(id);
      } else if (this.entries.has(id)) this.update(monitor);
      else if (!leases || leases.holds(id)) this.add(monitor, this.dueAtWhenTaken(monitor, Date.now()));
      this.armTimer();
    } catch (error) {
      this.logger.error({ err: (error as Error).message, monitorId: id }, 'could not reload monitor');
    }
  }

  /**
   * The driver of this scheduler's monitor leases: monitors claimed are scheduled, lost or handed-over ones are
   * dropped, and checks held back while the leases were not known valid start once they are.
   */
  private leaseHolder(): LeaseHolder {
    return {
      acquired: (ids) => this.takeMonitors(ids),
      lost: (ids) => {
        for (const id of ids) this.entries.delete(id);
      },
      handOver: (count) => this.handOver(count),
      renewed: () => {
        this.startReadyChecks();
        this.armTimer();
      },
    };
  }

  /** Schedules monitors just claimed, from when each was last checked (by whichever instance). */
  private async takeMonitors(ids: number[]): Promise<void> {
    if (this.stopped) return;
    const monitors = await getMonitors(this.db, ids);
    if (this.stopped) return;
    const now = Date.now();
    for (const monitor of monitors) {
      if (monitor.paused || !this.options.leases?.holds(monitor.id) || !this.checksHere(monitor)) continue;
      if (this.entries.has(monitor.id)) this.update(monitor);
      else this.add(monitor, this.dueAtWhenTaken(monitor, now));
    }
    this.armTimer();
  }

  /**
   * Picks up to `count` monitors to hand over to another instance and stops scheduling them: not running nor
   * due, their last check here stored, due the furthest off (the next holder has most time to take them).
   */
  private handOver(count: number): number[] {
    const candidates: Entry[] = [];
    for (const entry of this.entries.values()) {
      // Its last result stored: the next holder schedules from it.
      if (!entry.running && !entry.waiting && entry.unstored === 0) candidates.push(entry);
    }
    candidates.sort((a, b) => b.dueAt - a.dueAt);
    const chosen = candidates.slice(0, count).map((entry) => entry.monitor.id);
    for (const id of chosen) this.entries.delete(id);
    return chosen;
  }

  /**
   * When a monitor newly scheduled here is first due. At start, as startDueAt says. Later (taken over from another
   * instance, or handed over): one interval after its last stored check, whoever made it, but not all at once when
   * overdue. Created, resumed or edited since its last check: now, as a single instance always did.
   */
  private dueAtWhenTaken(monitor: Monitor, now: number): number {
    // A heartbeat's deadline is read from its ping state when it is first looked at (soon, not all at once).
    if (monitor.kind === 'push') return now + Math.random() * HEARTBEAT_RETRY_MS;
    if (this.starting) return this.startDueAt(monitor, now);
    if (!monitor.lastCheckedAt || monitor.updatedAt > monitor.lastCheckedAt) return now;
    const intervalMs = monitor.intervalSeconds * 1000;
    const spreadMs = Math.min(intervalMs, this.options.takeoverSpreadMs ?? 1_000);
    return Math.max(monitor.lastCheckedAt.getTime() + intervalMs, now + Math.random() * spreadMs);
  }

  // A monitor checked recently keeps its rhythm; an overdue one gets a random start within the spread.
  private startDueAt(monitor: Monitor, now: number): number {
    const intervalMs = monitor.intervalSeconds * 1000;
    const spreadMs = Math.min(intervalMs, this.options.startSpreadMs ?? 30_000);
    const jittered = now + Math.random() * spreadMs;
    if (!monitor.lastCheckedAt) return jittered;
    return Math.max(monitor.lastCheckedAt.getTime() + intervalMs, jittered);
  }

  private add(monitor: Monitor, dueAt: number): void {
    this.entries.set(monitor.id, {
      monitor,
      host: hostOfTarget(monitor.kind, monitor.target),
      dueAt,
      running: false,
      heldByHost: false,
      waiting: false,
      unstored: 0,
      current: null,
    });
    this.queue.push(monitor.id, dueAt);
  }

  private update(monitor: Monitor): void {
    const entry = this.entries.get(monitor.id)!;
    const previous = entry.monitor;
    entry.monitor = monitor;
    entry.host = hostOfTarget(monitor.kind, monitor.target);
    const whatChanged =
      previous.kind !== monitor.kind ||
      previous.target !== monitor.target ||
      previous.intervalSeconds !== monitor.intervalSeconds ||
      // A heartbeat's deadline moves with its grace, and its last change (resumed, edited, new token).
      (monitor.kind === 'push' && previous.updatedAt.getTime() !== monitor.updatedAt.getTime());
    // A new target or rhythm is checked at once rather than at the old due time.
    if (whatChanged && !entry.running && !entry.waiting && entry.dueAt > Date.now()) {
      entry.dueAt = Date.now();
      this.queue.push(monitor.id, entry.dueAt);
    }
  }

  private armTimer(): void {
    if (this.stopped) return;
    const next = this.queue.peekDueAt();
    if (next === undefined || next >= this.timerDueAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDueAt = next;
    this.timer = setTimeout(() => this.onTimer(), Math.max(0, next - Date.now()));
  }

  private onTimer(): void {
    this.timer = null;
    this.timerDueAt = Infinity;
    if (this.stopped) return;
    const now = Date.now();
    const heartbeats: Entry[] = [];
    for (let dueAt = this.queue.peekDueAt(); dueAt !== undefined && dueAt <= now; dueAt = this.queue.peekDueAt()) {
      const slot = this.queue.pop()!;
      const entry = this.entries.get(slot.monitorId);
      // Slots are removed lazily: one left by a rescheduled or deleted monitor is simply skipped.
      if (entry && !entry.running && !entry.waiting && entry.dueAt === slot.dueAt) {
        if (entry.monitor.kind === 'push') {
          // Nothing to check: its deadline is looked at, with the others due now, in one read.
          entry.running = true;
          heartbeats.push(entry);
          continue;
        }
        entry.waiting = true;
        this.ready.push(slot.monitorId);
      }
    }
    if (heartbeats.length > 0) this.evaluateHeartbeats(heartbeats);
    this.startReadyChecks();
    this.armTimer();
  }

  /**
   * Heartbeats due: their ping state is read (pings may reach any instance), and those past their deadline get a
   * DOWN result (cause timeout) written under their lease like a check's; the others wait for their new deadline.
   */
  private evaluateHeartbeats(entries: Entry[]): void {
    const leases = this.options.leases;
    const ids = entries.map((entry) => entry.monitor.id);
    // Leases not known valid: another instance may hold these monitors now.
    const read = leases && !leases.valid() ? Promise.resolve(null) : heartbeatStates(this.db, ids);
    const evaluated = read
      .catch((error: unknown) => {
        this.logger.error({ err: (error as Error).message, monitors: ids.length }, 'could not read heartbeats');
        return null;
      })
      .then((states) => {
        const now = Date.now();
        for (const entry of entries) {
          entry.running = false;
          const id = entry.monitor.id;
          if (this.entries.get(id) !== entry || this.stopped) continue;
          if (states === null) entry.dueAt = now + HEARTBEAT_RETRY_MS;
          else {
            // Still late while no ping comes: one DOWN result per interval, like a failing check.
            const { dueAt, missed } = heartbeatVerdict(entry.monitor, states.get(id), now);
            entry.dueAt = dueAt;
            if (missed) {
              const result = missedHeartbeatResult(entry.monitor, missed, new Date(now));
              entry.unstored += 1;
              void this.writer
                .write({ ...result, location: this.location, leaseToken: leases?.tokenOf(id) })
                .then(() => {
                  entry.unstored -= 1;
                });
              for (const listener of this.missedListeners) listener(now - missed.at);
            }
          }
          this.queue.push(id, entry.dueAt);
        }
        this.armTimer();
      })
      .finally(() => this.running.delete(evaluated));
    this.running.add(evaluated);
    for (const entry of entries) entry.current = evaluated;
  }

  private startReadyChecks(): void {
    // Leases not known valid (no heartbeat for a while): another instance may be checking these monitors now.
    if (this.options.leases && this.ready.length > 0 && !this.options.leases.valid()) return;
    if (this.ready.length > 0 && this.writesHoldChecks()) this.writesHeldAt = Date.now();
    while (
      !this.stopped &&
      this.running.size < this.options.maxParallelChecks &&
      this.ready.length > 0 &&
      !this.writesHoldChecks()
    ) {
      const id = this.ready.shift()!;
      const entry = this.entries.get(id);
      if (!entry || entry.running || !entry.waiting) continue;
      if ((this.inFlightByHost.get(entry.host) ?? 0) >= this.options.maxChecksPerHost) {
        // Its host is busy: it queues behind that host's other checks and the worker goes to another host.
        const line = this.hostLines.get(entry.host);
        if (line) line.push(id);
        else this.hostLines.set(entry.host, [id]);
        this.waitingForHost += 1;
        entry.heldByHost = true;
        continue;
      }
      this.startCheck(entry);
    }
  }

  /** A check to `host` ended: the oldest check waiting for it goes first in line for the next worker. */
  private releaseHost(host: string): void {
    const left = (this.inFlightByHost.get(host) ?? 1) - 1;
    if (left > 0) this.inFlightByHost.set(host, left);
    else this.inFlightByHost.delete(host);
    const line = this.hostLines.get(host);
    while (line && line.length > 0) {
      const id = line.shift()!;
      this.waitingForHost -= 1;
      const entry = this.entries.get(id);
      // A monitor deleted, or moved to another host, while it waited is skipped (or taken back to ready).
      if (!entry?.waiting || entry.running) continue;
      this.ready.unshift(id);
      if (entry.host === host) break;
    }
    if (line?.length === 0) this.hostLines.delete(host);
  }

  private startCheck(entry: Entry): void {
    const startedAt = Date.now();
    const lag = startedAt - entry.dueAt;
    const intervalMs = entry.monitor.intervalSeconds * 1000;
    this.counters.checksStarted += 1;
    if (lag >= intervalMs) {
      this.counters.missedChecks += Math.floor(lag / intervalMs);
      const limit: SchedulerLimit = entry.heldByHost
        ? 'VERIFICATIONS_PAR_HOTE_MAX'
        : this.writesHeldAt >= entry.dueAt
          ? 'database'
          : 'WORKERS_MAX_PARALLELES';
      const previous = this.recentMisses.get(limit);
      const recent = previous && startedAt - previous.at <= this.saturationMemoryMs;
      this.recentMisses.set(limit, { at: startedAt, lagMs: recent ? Math.max(previous.lagMs, lag) : lag });
    }
    entry.heldByHost = false;
    this.lags.push(lag);
    for (const listener of this.startedListeners) listener(Math.max(0, lag));
    entry.running = true;
    entry.waiting = false;
    const monitor = entry.monitor;
    const host = entry.host;
    // Read as the check starts: a lease taken over while it runs has a new token, and this result is not stored.
    const leaseToken = this.options.leases?.tokenOf(monitor.id);
    this.inFlightByHost.set(host, (this.inFlightByHost.get(host) ?? 0) + 1);
    const run = this.options
      .runCheck({ ...checkSpecOf(monitor), signal: this.abandoning.signal })
      // The slot is freed when the check ends, not when its batch is stored; stop() flushes the writer.
      .then((outcome) => {
        if (outcome.isUp) this.counters.checksUp += 1;
        else this.counters.checksDown += 1;
        if (this.abandoned) return;
        entry.unstored += 1;
        void this.writer.write({ ...outcome, monitorId: monitor.id, location: this.location, leaseToken }).then(() => {
          entry.unstored -= 1;
          this.startReadyChecks();
        });
      })
      .catch((error: unknown) =>
        this.logger.error({ err: (error as Error).message, monitorId: monitor.id }, 'check failed'),
      )
      .finally(() => {
        this.running.delete(run);
        this.counters.checksCompleted += 1;
        entry.running = false;
        this.releaseHost(host);
        if (this.entries.get(monitor.id) === entry && !this.stopped) {
          // Keep the rhythm, but a check that outlived its interval delays the next one instead of piling up, and
          // one that started more than half an interval late is followed by the next half an interval later at the
          // soonest (a slow moment must not check a monitor twice in a row).
          entry.dueAt = Math.max(entry.dueAt + intervalMs, startedAt + intervalMs / 2, Date.now());
          this.queue.push(monitor.id, entry.dueAt);
        }
        this.startReadyChecks();
        this.armTimer();
      });
    this.running.add(run);
    entry.current = run;
  }
}
