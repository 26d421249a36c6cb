// Heartbeat monitors: a job calls its ping URL (success, /start, /fail); it is late past its interval plus grace,
// or past the grace after a /start with no end. The pings are recorded here; the deadlines are evaluated by the
// scheduler of the instance holding the monitor (scheduler/heartbeats.ts), from the same rules.
import type { Db } from '../db/index.ts';
import {
  recordPings,
  regeneratePingToken,
  type HeartbeatState,
  type NewPing,
  type PingEvent,
  type RecordedPing,
} from '../db/index.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { nextCronRun } from '../maintenance/index.ts';
import type { NewCheckResult } from '../types/index.ts';
import type { Monitor } from './types.ts';

export type { HeartbeatState, PingEvent } from '../db/index.ts';

/** The body of a ping is kept as its message up to this many characters. */
export const MAX_PING_MESSAGE = 10_240;
/** A run's duration given with ?duree_ms= may be at most a day. */
const MAX_DURATION_MS = 86_400_000;

/** The URL a heartbeat's job calls (add /start or /fail), under the service's public URL. */
export function pingUrlOf(publicUrl: string, token: string): string {
  return `${publicUrl}/api/ping/${token}`;
}

/** When a heartbeat is due at the latest, and what it means to miss it. */
export interface HeartbeatDeadline {
  /** ms since the epoch. */
  at: number;
  /** The message of the DOWN result written when it is missed (cause timeout). */
  missedMessage: string;
}

/** When the job is next expected after `after` (ms): its next cron run, or an interval later. */
function nextExpectedRun(monitor: Monitor, after: number): number {
  if (monitor.schedule) return nextCronRun(monitor.schedule.cron, monitor.schedule.timeZone, after);
  return after + monitor.intervalSeconds * 1000;
}

/** How the job is expected, as the messages of missed deadlines say it. */
function expectation(monitor: Monitor): string {
  const grace = `${monitor.graceSeconds} s of grace`;
  if (monitor.schedule) return `expected at "${monitor.schedule.cron}" (${monitor.schedule.timeZone}) + ${grace}`;
  return `expected every ${monitor.intervalSeconds} s + ${grace}`;
}

/**
 * The next deadline of a heartbeat: the run expected after its last ping (or its last change, when that is later:
 * created, resumed or edited), every interval or at the next run of its schedule, plus the grace; a run started
 * and not ended must end within the grace.
 */
export function heartbeatDeadline(monitor: Monitor, state: HeartbeatState | undefined): HeartbeatDeadline {
  const graceMs = monitor.graceSeconds * 1000;
  const lastPing = state?.lastPingAt?.getTime() ?? -Infinity;
  const since = Math.max(lastPing, monitor.updatedAt.getTime());
  const regular = nextExpectedRun(monitor, since) + graceMs;
  const started = state?.startedAt?.getTime();
  if (started !== undefined && started > lastPing && started + graceMs < regular) {
    return {
      at: started + graceMs,
      missedMessage: `started at ${new Date(started).toISOString()} and not finished within the grace of ${monitor.graceSeconds} s`,
    };
  }
  return {
    at: regular,
    missedMessage:
      lastPing === -Infinity
        ? `no ping received (${expectation(monitor)})`
        : `no ping since ${new Date(lastPing).toISOString()} (${expectation(monitor)})`,
  };
}

/** What to do with a heartbeat now: look again at `dueAt`, after writing the DOWN result of `missed` if set. */
export interface HeartbeatVerdict {
  dueAt: number;
  missed: HeartbeatDeadline | null;
}

/**
 * When a missed deadline reported at `reportedAt` is reported again if no ping comes: an interval later, or, on a
 * schedule, past the grace of the next expected run.
 */
function nextReport(monitor: Monitor, reportedAt: number): number {
  if (monitor.schedule) return nextExpectedRun(monitor, reportedAt) + monitor.graceSeconds * 1000;
  return reportedAt + monitor.intervalSeconds * 1000;
}

/**
 * A deadline passed is reported once per expected run, by whichever instance: a result stored since the deadline
 * (a DOWN written before a takeover) puts the next report at the next expected run after it.
 */
export function heartbeatVerdict(monitor: Monitor, state: HeartbeatState | undefined, now: number): HeartbeatVerdict {
  const deadline = heartbeatDeadline(monitor, state);
  if (deadline.at > now) return { dueAt: deadline.at, missed: null };
  const reported = state?.lastResultAt?.getTime();
  if (reported !== undefined && reported >= deadline.at && nextReport(monitor, reported) > now) {
    return { dueAt: nextReport(monitor, reported), missed: null };
  }
  return { dueAt: nextReport(monitor, now), missed: deadline };
}

/** The DOWN result of a missed deadline. */
export function missedHeartbeatResult(monitor: Monitor, deadline: HeartbeatDeadline, now: Date): NewCheckResult {
  return {
    monitorId: monitor.id,
    isUp: false,
    httpStatus: null,
    latencyMs: 0,
    checkedAt: now,
    target: monitor.target,
    cause: 'timeout',
    error: deadline.missedMessage,
    timings: null,
    certificateDaysLeft: null,
    certificateExpiresAt: null,
  };
}

export interface Ping {
  token: string;
  event: PingEvent;
  /** The request body, if any (cut at MAX_PING_MESSAGE). */
  message: string | null;
  /** ?duree_ms=, as given. */
  durationMs: string | null;
}

export interface HeartbeatService {
  /** Records a ping and stores its result; false when no heartbeat monitor has the token. */
  ping(ping: Ping): Promise<boolean>;
  /** A new ping token for the monitor (its old URL stops working). */
  regenerateToken(monitorId: number): Promise<string>;
}

export function parseDurationMs(value: string | null): number | null {
  if (value === null || value === '') return null;
  const duration = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || duration > MAX_DURATION_MS) {
    throw new ValidationError(`must be a number of milliseconds from 0 to ${MAX_DURATION_MS}`, 'duree_ms');
  }
  return Math.round(duration);
}

/** Pings in one statement at most (the rest wait for the next). */
const MAX_PINGS_PER_STATEMENT = 500;
/** Statements recording pings at once, at most: the API's pool serves the other requests too. */
const MAX_PING_STATEMENTS = 2;

/**
 * Records pings in batches: those that arrive while statements are under way go together in the next one, so a
 * thousand pings a second cost a few round trips, not a thousand connections' worth (the API's pool is 10).
 */
class PingBatcher {
  private readonly waiting: Array<{
    ping: NewPing;
    done: (recorded: RecordedPing | null) => void;
    fail: (error: unknown) => void;
  }> = [];
  private statements = 0;

  constructor(private readonly db: Db) {}

  record(ping: NewPing): Promise<RecordedPing | null> {
    return new Promise((done, fail) => {
      this.waiting.push({ ping, done, fail });
      if (this.statements < MAX_PING_STATEMENTS) void this.next();
    });
  }

  private async next(): Promise<void> {
    this.statements += 1;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_PINGS_PER_STATEMENT);
      try {
        const recorded = await recordPings(
          this.db,
          batch.map((item) => item.ping),
        );
        batch.forEach((item, i) => item.done(recorded[i]!));
      } catch (error) {
        for (const item of batch) item.fail(error);
      }
    }
    this.statements -= 1;
  }
}

export function createHeartbeatService(
  db: Db,
  /**
   * Hands a result to be stored (the batch writer: pings come by the thousand), as the given location's (the one
   * evaluating the heartbeat), or, when null, as this instance's.
   */
  writeResult: (result: NewCheckResult, location: string | null) => Promise<void>,
): HeartbeatService {
  const pings = new PingBatcher(db);
  return {
    async ping({ token, event, message, durationMs }) {
      const givenDuration = parseDurationMs(durationMs);
      const now = new Date();
      const text = message === null || message === '' ? null : message.slice(0, MAX_PING_MESSAGE);
      const recorded = await pings.record({ token, event, message: text, at: now });
      if (!recorded) return false;
      // A start opens a run: nothing is stored until it ends. A paused monitor keeps no results.
      if (event === 'start' || recorded.paused) return true;
      const runMs = recorded.runStartedAt ? now.getTime() - recorded.runStartedAt.getTime() : 0;
      // Not waited for: the ping is recorded (its deadline moved); its result follows in the writer's next batch.
      void writeResult(
        {
          monitorId: recorded.monitorId,
          isUp: event === 'success',
          httpStatus: null,
          latencyMs: givenDuration ?? runMs,
          checkedAt: now,
          target: recorded.target,
          cause: event === 'fail' ? 'heartbeat_fail' : null,
          error: event === 'fail' ? (text ?? 'the job reported a failure (/fail)') : null,
          timings: null,
          certificateDaysLeft: null,
          certificateExpiresAt: null,
        },
        recorded.location,
      );
      return true;
    },
    async regenerateToken(monitorId) {
      const token = await regeneratePingToken(db, monitorId);
      if (token === null) {
        throw new NotFoundError(`monitor ${monitorId} does not exist or is not a heartbeat monitor`);
      }
      return token;
    },
  };
}
