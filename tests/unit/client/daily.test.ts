// The status page's per-day bars from a daily stats series.
import { describe, expect, it } from 'vitest';
import { DAY_MS, dailyBars, dayLevel, firstDayStart } from '../../../client/src/state/daily.ts';

const at = (iso: string): number => Date.parse(iso);

describe('firstDayStart', () => {
  it('is the UTC midnight that makes `days` days with today the last', () => {
    expect(firstDayStart(90, at('2025-04-10T12:34:00Z'))).toBe(at('2025-01-11T00:00:00Z'));
    expect(firstDayStart(1, at('2025-04-10T00:00:00Z'))).toBe(at('2025-04-10T00:00:00Z'));
  });
});

describe('dailyBars', () => {
  const now = at('2025-01-10T12:00:00Z');

  it('gives one bar per UTC day, oldest first, grey (no data) where the series has no bucket', () => {
    const bars = dailyBars(
      [
        { start: '2025-01-08T00:00:00.000Z', checks: 1440, availability: 100 },
        { start: '2025-01-10T00:00:00.000Z', checks: 720, availability: 75 },
      ],
      { days: 90, now },
    );
    expect(bars).toHaveLength(90);
    expect(bars[0]!.day).toBe('2024-10-13');
    expect(bars.at(-1)).toEqual({ day: '2025-01-10', availability: 75, checks: 720 });
    expect(bars.at(-2)).toEqual({ day: '2025-01-09', availability: null, checks: 0 });
    expect(bars.at(-3)).toEqual({ day: '2025-01-08', availability: 100, checks: 1440 });
    expect(bars.map(dayLevel).slice(-3)).toEqual(['ok', 'none', 'major']);
  });

  it('leaves out buckets outside the days shown', () => {
    const bars = dailyBars([{ start: '2024-10-12T00:00:00.000Z', checks: 10, availability: 0 }], { days: 90, now });
    expect(bars.every((bar) => bar.availability === null)).toBe(true);
  });

  it('rates days by availability', () => {
    expect(dayLevel({ availability: 99.95 })).toBe('ok');
    expect(dayLevel({ availability: 99.5 })).toBe('minor');
    expect(dayLevel({ availability: 98 })).toBe('major');
    expect(dayLevel({ availability: null })).toBe('none');
    expect(DAY_MS).toBe(86_400_000);
  });
});
