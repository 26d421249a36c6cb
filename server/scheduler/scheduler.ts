// When to run what: each active monitor sits in a due-time queue; a bounded pool of checks runs what is due,
// with at most maxChecksPerHost of them in flight to any one host.
import type { Logger } from 'pino';
import type { CheckOutcome, CheckSpec } from '../checks/index.ts';
import type { Db } from '../db/index.ts';
import { getMonitor, getMonitors, insertResults, listActiveMonitors } from '../db/index.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { VIGIE_DEBUTS, VIGIE_MONITEURS } from '../events/index.ts';
import type { LeaseHolder, MonitorLeases } from '../instances/index.ts';
import { checkedFrom, checkSpecOf, type Monitor } from '../monitors/index.ts';
import { DEFAULT_LOCATION, type CheckResult } from '../types/index.ts';
import type { BatchWriter } from './batch-writer.ts';
import { CheckNowRouter } from './check-now.ts';
import { DueQueue } from './due-queue.ts';
import { firstDueAt, nextDueAt } from './due-times.ts';
import { type Entry, newEntry } from './entry.ts';
import { HeartbeatDeadlines, type HeartbeatMissedListener } from './heartbeat-deadlines.ts';
import { HostLines, hostOfTarget } from './host-lines.ts';
import { LagRing } from './lag-ring.ts';
import { SaturationWatch, type SchedulerLimit, type SchedulerSaturation, type WaitingCheck } from './saturation.ts';

export type { HeartbeatMissedListener } from './heartbeat-deadlines.ts';
export type { SchedulerLimit, SchedulerSaturation } from './saturation.ts';

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

/**
 * New checks wait while this many results wait for a slow database, so it slows checking down. Not while the
 * database is away: checks go on and their results queue (bounded) in the writer until it is back.
 */
const MAX_PENDING_WRITES = 5_000;
/** A monitor handed over is due this long after at least, when the instance has such monitors to hand over. */
const HAND_OVER_NOTICE_MS = 2_000;

/** Fisher–Yates, in place. */
function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

export class Scheduler {
  private readonly entries = new Map<number, Entry>();
  private readonly queue = new DueQueue();
  private readonly ready: number[] = [];
  private readonly hostLines: HostLines;
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
  private readonly deadlines: HeartbeatDeadlines;
  private readonly saturationWatch: SaturationWatch;
  private saturationTimer: NodeJS.Timeout | null = null;
  /** Last time due checks were held back because too many results waited for the database. */
  private writesHeldAt = -Infinity;
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
  ) {
    this.hostLines = new HostLines(options.maxChecksPerHost);
    this.deadlines = new HeartbeatDeadlines(db, writer, logger, this.location, options.leases);
    this.saturationWatch = new SaturationWatch(logger, options, options.saturationMemoryMs ?? 60_000);
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.starting = true;
    this.stopListening.push(
      await this.db.listen(VIGIE_MONITEURS, (payload) => void this.onMonitorChanged(payload)),
      await this.db.listen(VIGIE_DEBUTS, (payload) => this.onRunStarted(Number(payload))),
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
      waiting: this.ready.length + this.hostLines.waiting,
      waitingForHost: this.hostLines.waiting,
      ...this.counters,
    };
  }

  /** Whether checks run on time, and if not, which setting holds them back. */
  saturation(now = Date.now()): SchedulerSaturation {
    return this.saturationWatch.state(now, this.waitingChecks(), this.writesHoldChecks());
  }

  private *waitingChecks(): Iterable<WaitingCheck> {
    for (const id of this.ready) {
      const entry = this.entries.get(id);
      if (entry?.waiting && !entry.running) yield { entry, inHostLine: false };
    }
    for (const id of this.hostLines.waitingIds()) {
      const entry = this.entries.get(id);
      if (entry?.waiting && !entry.running) yield { entry, inHostLine: true };
    }
  }

  private logSaturation(): void {
    const now = Date.now();
    this.saturationWatch.log(this.saturation(now), now);
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
    return this.deadlines.onMissed(listener);
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
        if (!this.entries.has(monitor.id)) this.add(monitor, this.firstDueAt(monitor, now));
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
      else if (!leases || leases.holds(id)) this.add(monitor, this.firstDueAt(monitor, Date.now()));
      this.armTimer();
    } catch (error) {
      this.logger.error({ err: (error as Error).message, monitorId: id }, 'could not reload monitor');
    }
  }

  /** A heartbeat held here was started (/start): its run's deadline, within the grace, is looked at now. */
  private onRunStarted(id: number): void {
    const entry = this.entries.get(id);
    if (this.stopped || !entry || entry.monitor.kind !== 'push') return;
    // Being evaluated: that read may predate the start, so it is looked at again once done.
    if (entry.running) {
      void entry.current?.then(() => this.onRunStarted(id));
      return;
    }
    entry.dueAt = Date.now();
    this.queue.push(id, entry.dueAt);
    this.armTimer();
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
      else this.add(monitor, this.firstDueAt(monitor, now));
    }
    this.armTimer();
  }

  /**
   * Picks up to `count` monitors to hand over to another instance and stops scheduling them: not running nor
   * due, their last check here stored. Chosen at random among those checked here and due in HAND_OVER_NOTICE_MS or
   * later (the next holder has time to take them, from a recent check), so that the monitors handed over are due
   * all over the interval, as they were here: taking those due the furthest off would hand over, at each heartbeat,
   * a crowd due at the same moment (and one not checked here yet is overdue for the next holder).
   */
  private handOver(count: number): number[] {
    const later: Entry[] = [];
    const sooner: Entry[] = [];
    const noticeFrom = Date.now() + HAND_OVER_NOTICE_MS;
    for (const entry of this.entries.values()) {
      // Its last result stored: the next holder schedules from it.
      if (entry.running || entry.waiting || entry.unstored > 0) continue;
      (entry.checkedHere && entry.dueAt >= noticeFrom ? later : sooner).push(entry);
    }
    shuffle(later);
    sooner.sort((a, b) => Number(b.checkedHere) - Number(a.checkedHere) || b.dueAt - a.dueAt);
    const chosen = [...later, ...sooner].slice(0, count).map((entry) => entry.monitor.id);
    for (const id of chosen) this.entries.delete(id);
    return chosen;
  }

  private firstDueAt(monitor: Monitor, now: number): number {
    return firstDueAt(monitor, now, {
      starting: this.starting,
      startSpreadMs: this.options.startSpreadMs ?? 30_000,
      takeoverSpreadMs: this.options.takeoverSpreadMs ?? 1_000,
    });
  }

  private add(monitor: Monitor, dueAt: number): void {
    this.entries.set(monitor.id, newEntry(monitor, hostOfTarget(monitor.kind, monitor.target), dueAt));
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

  /** Heartbeats due: their deadlines are looked at in one read, then they wait for their next one. */
  private evaluateHeartbeats(entries: Entry[]): void {
    const evaluated = this.deadlines
      .evaluate(entries, (entry) => this.entries.get(entry.monitor.id) === entry && !this.stopped)
      .then((kept) => {
        for (const entry of kept) this.queue.push(entry.monitor.id, entry.dueAt);
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
      if (this.hostLines.isFull(entry.host)) {
        // Its host is busy: it queues behind that host's other checks and the worker goes to another host.
        this.hostLines.wait(entry.host, id);
        entry.heldByHost = true;
        continue;
      }
      this.startCheck(entry);
    }
  }

  /** A check to `host` ended: the oldest check waiting for it goes first in line for the next worker. */
  private releaseHost(host: string): void {
    const leaving = this.hostLines.leave(host, (id) => {
      const entry = this.entries.get(id);
      if (!entry?.waiting || entry.running) return 'gone';
      return entry.host === host ? 'waiting-here' : 'moved';
    });
    for (const id of leaving) this.ready.unshift(id);
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
      this.saturationWatch.missed(limit, startedAt, lag);
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
    this.hostLines.enter(host);
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
        entry.checkedHere = true;
        this.releaseHost(host);
        if (this.entries.get(monitor.id) === entry && !this.stopped) {
          entry.dueAt = nextDueAt(entry.dueAt, startedAt, intervalMs, Date.now());
          this.queue.push(monitor.id, entry.dueAt);
        }
        this.startReadyChecks();
        this.armTimer();
      });
    this.running.add(run);
    entry.current = run;
  }
}
