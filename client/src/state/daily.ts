// Down periods (incidents) from the DOWN/UP alerts, and per-day availability bars computed from them.
//
// The API has no per-day availability query; a DOWN alert starts a down period and the next UP alert ends it
// (the database writes exactly one alert per transition), so time-based availability per day follows from them.
import type { MonitorStatus } from '../api/types.ts';

export const DAY_MS = 86_400_000;

export interface Transition {
  kind: string;
  /** ms since the epoch */
  at: number;
  cause?: string | null;
}

export interface DownPeriod {
  from: number;
  /** null while still down */
  to: number | null;
  cause: string | null;
}

/**
 * Down periods, oldest first. The first result of a monitor sets its state without an alert, so an UP
 * with no DOWN before it means it was down since `since` (its creation, or the start of the alerts we have);
 * no transition at all and a DOWN status means down since then too.
 */
export function downPeriods(transitions: readonly Transition[], since: number, status: MonitorStatus): DownPeriod[] {
  const ordered = transitions.filter((t) => t.kind === 'DOWN' || t.kind === 'UP').sort((a, b) => a.at - b.at);
  const periods: DownPeriod[] = [];
  let open: DownPeriod | null = null;
  const first = ordered[0];
  if ((first && first.kind === 'UP') || (!first && status === 'DOWN')) open = { from: since, to: null, cause: null };
  for (const transition of ordered) {
    if (transition.kind === 'DOWN' && !open) open = { from: transition.at, to: null, cause: transition.cause ?? null };
    else if (transition.kind === 'UP' && open) {
      periods.push({ ...open, to: transition.at });
      open = null;
    }
  }
  if (open) periods.push(open);
  return periods;
}

export interface DayBar {
  /** UTC day, YYYY-MM-DD */
  day: string;
  /** percentage of the observed part of the day the monitor was up; null when not monitored that day */
  availability: number | null;
  downMs: number;
}

/** The last `days` UTC days ending today, oldest first. */
export function dailyBars(periods: readonly DownPeriod[], options: { days: number; now: number; since: number }): DayBar[] {
  const { days, now, since } = options;
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const bars: DayBar[] = [];
  for (let index = days - 1; index >= 0; index--) {
    const dayStart = today - index * DAY_MS;
    const start = Math.max(dayStart, since);
    const end = Math.min(dayStart + DAY_MS, now);
    const day = new Date(dayStart).toISOString().slice(0, 10);
    if (end <= start) {
      bars.push({ day, availability: null, downMs: 0 });
      continue;
    }
    let downMs = 0;
    for (const period of periods) {
      const overlap = Math.min(end, period.to ?? now) - Math.max(start, period.from);
      if (overlap > 0) downMs += overlap;
    }
    bars.push({ day, availability: 100 * (1 - Math.min(downMs, end - start) / (end - start)), downMs });
  }
  return bars;
}

/** The colour band of a day: ok ≥ 99.9 %, minor ≥ 99 %, major below; none without data. */
export function dayLevel(bar: DayBar): 'none' | 'ok' | 'minor' | 'major' {
  if (bar.availability === null) return 'none';
  if (bar.availability >= 99.9) return 'ok';
  if (bar.availability >= 99) return 'minor';
  return 'major';
}
