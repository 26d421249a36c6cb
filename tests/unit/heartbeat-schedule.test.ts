// A heartbeat on a cron schedule: its deadline is the next expected run (in the schedule's time zone) plus the
// grace, and a deadline missed is reported again at the next run's, not every interval.
import { describe, expect, it } from 'vitest';
import { heartbeatDeadline, heartbeatVerdict, type Monitor } from '../../server/monitors/index.ts';

const at = (iso: string) => new Date(iso);

function scheduled(cron: string, timeZone: string, overrides: Partial<Monitor> = {}): Monitor {
  return {
    kind: 'push',
    intervalSeconds: 60,
    graceSeconds: 600,
    schedule: { cron, timeZone },
    updatedAt: at('2026-01-01T00:00:00Z'),
    ...overrides,
  } as Monitor;
}

const state = (lastPingAt: string | null, lastResultAt: string | null = null) => ({
  monitorId: 1,
  lastPingAt: lastPingAt === null ? null : at(lastPingAt),
  startedAt: null,
  lastResultAt: lastResultAt === null ? null : at(lastResultAt),
});

describe('heartbeat deadlines on a cron schedule', () => {
  it('are the next run after the last ping, in the time zone of the schedule, plus the grace', () => {
    const paris = scheduled('0 3 * * *', 'Europe/Paris');
    // Summer: 03:00 in Paris is 01:00 UTC.
    expect(new Date(heartbeatDeadline(paris, state('2026-07-01T00:30:00Z')).at).toISOString()).toBe(
      '2026-07-01T01:10:00.000Z',
    );
    // Winter: 02:00 UTC. A ping just after the run (within its grace) waits for the next day's.
    expect(new Date(heartbeatDeadline(paris, state('2026-01-15T02:05:00Z')).at).toISOString()).toBe(
      '2026-01-16T02:10:00.000Z',
    );
    // The same expression in UTC.
    const utc = scheduled('0 3 * * *', 'UTC');
    expect(new Date(heartbeatDeadline(utc, state('2026-07-01T00:30:00Z')).at).toISOString()).toBe(
      '2026-07-01T03:10:00.000Z',
    );
  });

  it('count from the last change when no ping came since, and say what was expected when missed', () => {
    const monitor = scheduled('30 6 * * 1-5', 'America/New_York', { updatedAt: at('2026-03-06T12:00:00Z') });
    // Friday noon UTC → next weekday run: Monday 06:30 in New York (EDT from March 8: 10:30 UTC).
    const deadline = heartbeatDeadline(monitor, state(null));
    expect(new Date(deadline.at).toISOString()).toBe('2026-03-09T10:40:00.000Z');
    expect(deadline.missedMessage).toBe(
      'no ping received (expected at "30 6 * * 1-5" (America/New_York) + 600 s of grace)',
    );
  });

  it('a missed run is reported once, then again past the next run and its grace', () => {
    const monitor = scheduled('0 3 * * *', 'UTC');
    const lastPing = '2026-07-01T03:01:00Z';
    const now = Date.parse('2026-07-02T03:10:01Z');
    const first = heartbeatVerdict(monitor, state(lastPing), now);
    expect(first.missed).not.toBeNull();
    expect(new Date(first.dueAt).toISOString()).toBe('2026-07-03T03:10:00.000Z');
    // Reported (a DOWN stored at now) by another instance: not reported again before the next run's deadline.
    const after = heartbeatVerdict(monitor, state(lastPing, '2026-07-02T03:10:01Z'), now + 5_000);
    expect(after).toEqual({ dueAt: Date.parse('2026-07-03T03:10:00Z'), missed: null });
  });
});
