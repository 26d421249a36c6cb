// When a monitor newly scheduled on this instance is first due.
import type { Monitor } from '../monitors/index.ts';

/** A heartbeat whose ping state could not be read (database away, leases not known valid) is looked at again after this. */
export const HEARTBEAT_RETRY_MS = 1_000;

export interface FirstDueOptions {
  /** The first load at start: monitors found overdue are spread over startSpreadMs. */
  starting: boolean;
  startSpreadMs: number;
  takeoverSpreadMs: number;
}

/**
 * At start, as dueAtStart says. Later (taken over from another instance, or handed over): one interval after its
 * last stored check, whoever made it. Created, resumed or edited since its last check: now, as a single instance
 * always did.
 *
 * Overdue ones (their holder died, or they were handed over before their first check there) are spread out, not
 * all checked at once: a crowd due together stays a crowd, late at every interval, since each keeps its rhythm.
 * Each is spread over the time left until two intervals after its last check (the bound on a taken-over monitor's
 * gap), at most an interval, or over takeoverSpreadMs when less time is left.
 */
export function firstDueAt(monitor: Monitor, now: number, options: FirstDueOptions): number {
  // A heartbeat's deadline is read from its ping state when it is first looked at (soon, not all at once).
  if (monitor.kind === 'push') return now + Math.random() * HEARTBEAT_RETRY_MS;
  if (options.starting) return dueAtStart(monitor, now, options.startSpreadMs);
  if (!monitor.lastCheckedAt || monitor.updatedAt > monitor.lastCheckedAt) return now;
  const intervalMs = monitor.intervalSeconds * 1000;
  const lastCheckedAt = monitor.lastCheckedAt.getTime();
  const shortSpreadMs = Math.min(intervalMs, options.takeoverSpreadMs);
  const dueAt = lastCheckedAt + intervalMs;
  if (dueAt >= now) return Math.max(dueAt, now + Math.random() * shortSpreadMs);
  // Two intervals after its last check, less the short spread as room for the check to start.
  const boundIn = dueAt + intervalMs - shortSpreadMs - now;
  const spreadMs = boundIn > shortSpreadMs ? Math.min(intervalMs, boundIn) : shortSpreadMs;
  return now + Math.random() * spreadMs;
}

/** A monitor checked recently keeps its rhythm; an overdue one gets a random start within the spread. */
function dueAtStart(monitor: Monitor, now: number, startSpreadMs: number): number {
  const intervalMs = monitor.intervalSeconds * 1000;
  const spreadMs = Math.min(intervalMs, startSpreadMs);
  const jittered = now + Math.random() * spreadMs;
  if (!monitor.lastCheckedAt) return jittered;
  return Math.max(monitor.lastCheckedAt.getTime() + intervalMs, jittered);
}

/**
 * After a check that started at `startedAt`: keep the rhythm, but a check that outlived its interval delays the
 * next one instead of piling up, and one that started more than half an interval late is followed by the next half
 * an interval later at the soonest (a slow moment must not check a monitor twice in a row).
 */
export function nextDueAt(dueAt: number, startedAt: number, intervalMs: number, now: number): number {
  return Math.max(dueAt + intervalMs, startedAt + intervalMs / 2, now);
}
