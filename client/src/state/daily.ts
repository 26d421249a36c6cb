// The public status page's per-day bars, from each monitor's daily stats series (one bucket per UTC day).
import type { DailyPoint } from '../api/types.ts';

export const DAY_MS = 86_400_000;

export interface DayBar {
  /** UTC day, YYYY-MM-DD */
  day: string;
  /** percentage of the day's checks that succeeded; null without any check that day */
  availability: number | null;
  checks: number;
}

/** Start (ms since the epoch) of the first of the last `days` UTC days, today included. */
export function firstDayStart(days: number, now: number): number {
  return (Math.floor(now / DAY_MS) - (days - 1)) * DAY_MS;
}

/** The last `days` UTC days ending today, oldest first; a day the series leaves out had no checks. */
export function dailyBars(points: readonly DailyPoint[], options: { days: number; now: number }): DayBar[] {
  const byDay = new Map(points.map((point) => [Math.floor(Date.parse(point.start) / DAY_MS), point]));
  const first = firstDayStart(options.days, options.now);
  const bars: DayBar[] = [];
  for (let index = 0; index < options.days; index++) {
    const dayStart = first + index * DAY_MS;
    const point = byDay.get(dayStart / DAY_MS);
    const checks = point?.checks ?? 0;
    bars.push({
      day: new Date(dayStart).toISOString().slice(0, 10),
      availability: checks ? (point?.availability ?? null) : null,
      checks,
    });
  }
  return bars;
}

/** The colour band of a day: ok ≥ 99.9 %, minor ≥ 99 %, major below; none without data. */
export function dayLevel(bar: Pick<DayBar, 'availability'>): 'none' | 'ok' | 'minor' | 'major' {
  if (bar.availability === null) return 'none';
  if (bar.availability >= 99.9) return 'ok';
  if (bar.availability >= 99) return 'minor';
  return 'major';
}
