// The monitor list's maintenance badges, worked out from the maintenance windows as Monitor.maintenance is: a
// window covers the monitors it names, those with one of its tags, or every monitor; open now (ending last) wins over the next one (starting first).
import { describe, expect, it } from 'vitest';
import {
  badgeKey,
  maintenanceBadges,
  nextBadgeChange,
  type WindowTimes,
} from '../../../client/src/state/maintenance-badges.ts';
import { formatClock } from '../../../client/src/format.ts';

const window = (input: Partial<WindowTimes>): WindowTimes => ({
  name: 'w',
  monitorIds: [],
  tags: [],
  activeUntil: null,
  nextOccurrences: [],
  ...input,
});

const monitor = (id: string, tags: string[] = []) => ({ id, tags });

describe('maintenanceBadges', () => {
  it('gives none without windows, or with windows of other monitors', () => {
    expect(maintenanceBadges([])(monitor('1'))).toBeNull();
    const badgeOf = maintenanceBadges([window({ monitorIds: ['2'], activeUntil: '2026-12-01T10:00:00Z' })]);
    expect(badgeOf(monitor('1'))).toBeNull();
    expect(badgeOf(monitor('2'))).toEqual({ kind: 'active', until: '2026-12-01T10:00:00Z', name: 'w' });
  });

  it('prefers the window open now, ending last, over the next one; windows for every monitor count too', () => {
    const badgeOf = maintenanceBadges([
      window({ name: 'all', nextOccurrences: [{ startsAt: '2026-12-02T03:00:00Z' }] }),
      window({ name: 'own soon', monitorIds: ['1'], nextOccurrences: [{ startsAt: '2026-12-01T20:00:00Z' }] }),
      window({ name: 'short', monitorIds: ['3'], activeUntil: '2026-12-01T10:00:00Z' }),
      window({ name: 'long', activeUntil: '2026-12-01T12:00:00Z' }),
    ]);
    expect(badgeOf(monitor('1'))).toEqual({ kind: 'active', until: '2026-12-01T12:00:00Z', name: 'long' });
    expect(badgeOf(monitor('3'))).toEqual({ kind: 'active', until: '2026-12-01T12:00:00Z', name: 'long' });
    const withoutOpen = maintenanceBadges([
      window({ name: 'all', nextOccurrences: [{ startsAt: '2026-12-02T03:00:00Z' }] }),
      window({ name: 'own soon', monitorIds: ['1'], nextOccurrences: [{ startsAt: '2026-12-01T20:00:00Z' }] }),
    ]);
    expect(withoutOpen(monitor('1'))).toEqual({ kind: 'next', startsAt: '2026-12-01T20:00:00Z', name: 'own soon' });
    expect(withoutOpen(monitor('2'))).toEqual({ kind: 'next', startsAt: '2026-12-02T03:00:00Z', name: 'all' });
    expect(badgeKey(withoutOpen(monitor('1')))).not.toBe(badgeKey(withoutOpen(monitor('2'))));
    expect(badgeKey(null)).toBe('');
  });

  it('counts the windows for a tag of the monitor, and not those for other tags', () => {
    const badgeOf = maintenanceBadges([
      window({ name: 'db upgrade', tags: ['database'], activeUntil: '2026-12-01T10:00:00Z' }),
      window({ name: 'web deploy', tags: ['web'], nextOccurrences: [{ startsAt: '2026-12-01T20:00:00Z' }] }),
      window({
        name: 'api and eu',
        monitorIds: ['9'],
        tags: ['eu'],
        nextOccurrences: [{ startsAt: '2026-12-01T18:00:00Z' }],
      }),
    ]);
    expect(badgeOf(monitor('1', ['database', 'eu']))).toEqual({
      kind: 'active',
      until: '2026-12-01T10:00:00Z',
      name: 'db upgrade',
    });
    expect(badgeOf(monitor('2', ['web', 'eu']))).toEqual({
      kind: 'next',
      startsAt: '2026-12-01T18:00:00Z',
      name: 'api and eu',
    });
    expect(badgeOf(monitor('9'))).toEqual({ kind: 'next', startsAt: '2026-12-01T18:00:00Z', name: 'api and eu' });
    expect(badgeOf(monitor('3', ['cache']))).toBeNull();
  });

  it('says when the badges change by themselves: the first end or start after now', () => {
    const now = Date.parse('2026-12-01T09:00:00Z');
    const windows = [
      window({ activeUntil: '2026-12-01T10:00:00Z', nextOccurrences: [{ startsAt: '2026-12-02T09:00:00Z' }] }),
      window({ monitorIds: ['4'], nextOccurrences: [{ startsAt: '2026-12-01T09:30:00Z' }] }),
    ];
    expect(nextBadgeChange(windows, now)).toBe(Date.parse('2026-12-01T09:30:00Z'));
    expect(nextBadgeChange([], now)).toBeNull();
  });
});

describe('formatClock', () => {
  it('shows the time alone today, the date too on another day', () => {
    const now = new Date(2026, 11, 1, 9, 0);
    expect(formatClock(new Date(2026, 11, 1, 14, 5).toISOString(), now)).toBe('14:05');
    expect(formatClock(new Date(2026, 11, 2, 14, 5).toISOString(), now)).toBe('2026-12-02 14:05:00');
    expect(formatClock(null, now)).toBe('—');
  });
});
