// Down periods from DOWN/UP alerts and the status page's per-day availability bars.
import { describe, expect, it } from 'vitest';
import { DAY_MS, dailyBars, dayLevel, downPeriods } from '../../../client/src/state/daily.ts';

const at = (iso: string): number => Date.parse(iso);

describe('downPeriods', () => {
  it('pairs each DOWN with the next UP, in time order, ignoring other kinds', () => {
    const periods = downPeriods(
      [
        { kind: 'UP', at: at('2025-01-10T10:05:00Z') },
        { kind: 'SLOW', at: at('2025-01-10T09:00:00Z') },
        { kind: 'DOWN', at: at('2025-01-10T10:00:00Z'), cause: 'HTTP 500' },
        { kind: 'DOWN', at: at('2025-01-10T12:00:00Z'), cause: 'timeout' },
      ],
      at('2025-01-01T00:00:00Z'),
      'DOWN',
    );
    expect(periods).toEqual([
      { from: at('2025-01-10T10:00:00Z'), to: at('2025-01-10T10:05:00Z'), cause: 'HTTP 500' },
      { from: at('2025-01-10T12:00:00Z'), to: null, cause: 'timeout' },
    ]);
  });

  it('counts a monitor that started down (no DOWN alert for a first result) from the start', () => {
    const since = at('2025-01-10T00:00:00Z');
    expect(downPeriods([{ kind: 'UP', at: at('2025-01-10T01:00:00Z') }], since, 'UP')).toEqual([
      { from: since, to: at('2025-01-10T01:00:00Z'), cause: null },
    ]);
    expect(downPeriods([], since, 'DOWN')).toEqual([{ from: since, to: null, cause: null }]);
    expect(downPeriods([], since, 'UP')).toEqual([]);
  });
});

describe('dailyBars', () => {
  const now = at('2025-01-10T12:00:00Z');

  it('gives one bar per UTC day, oldest first, with no data before the monitor existed', () => {
    const bars = dailyBars([], { days: 90, now, since: at('2025-01-08T06:00:00Z') });
    expect(bars).toHaveLength(90);
    expect(bars.at(-1)!.day).toBe('2025-01-10');
    expect(bars.at(-3)!).toEqual({ day: '2025-01-08', availability: 100, downMs: 0 });
    expect(bars.at(-4)!.availability).toBeNull();
    expect(dayLevel(bars.at(-4)!)).toBe('none');
  });

  it('spreads a down period over the days it touches, counting today only up to now', () => {
    const periods = [{ from: at('2025-01-09T23:00:00Z'), to: at('2025-01-10T03:00:00Z'), cause: null }];
    const bars = dailyBars(periods, { days: 2, now, since: 0 });
    expect(bars[0]).toMatchObject({ day: '2025-01-09', downMs: 3_600_000 });
    expect(bars[0]!.availability).toBeCloseTo(100 * (1 - 1 / 24));
    expect(bars[1]).toMatchObject({ day: '2025-01-10', downMs: 3 * 3_600_000, availability: 75 });
    expect(dayLevel(bars[1]!)).toBe('major');
  });

  it('counts an ongoing outage up to now', () => {
    const bars = dailyBars([{ from: now - 60_000, to: null, cause: null }], { days: 1, now, since: 0 });
    expect(bars[0]!.downMs).toBe(60_000);
    expect(dayLevel(bars[0]!)).toBe('minor'); // 99.86 %
  });

  it('rates days by availability', () => {
    expect(dayLevel({ day: 'd', availability: 99.95, downMs: 1 })).toBe('ok');
    expect(dayLevel({ day: 'd', availability: 99.5, downMs: 1 })).toBe('minor');
    expect(dayLevel({ day: 'd', availability: 98, downMs: 1 })).toBe('major');
    expect(DAY_MS).toBe(86_400_000);
  });
});
