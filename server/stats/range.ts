// The time range statistics cover: a named window ending now, or any from/to.
import type { SplitRange } from '../db/index.ts';
import { ValidationError } from '../errors.ts';

export type StatsWindow = 'HOUR' | 'DAY' | 'WEEK' | 'MONTH' | 'YEAR';

const HOUR_MS = 3_600_000;

export const WINDOW_MS: Record<StatsWindow, number> = {
  HOUR: HOUR_MS,
  DAY: 24 * HOUR_MS,
  WEEK: 7 * 24 * HOUR_MS,
  MONTH: 30 * 24 * HOUR_MS,
  YEAR: 365 * 24 * HOUR_MS,
};

/** Windows up to this long get exact percentiles from raw results; longer ones read the histograms. */
export const EXACT_PERCENTILES_MAX_MS = WINDOW_MS.DAY;
/** Series at most this many points long. */
export const MAX_SERIES_POINTS = 10_000;

export interface StatsRange {
  from: Date;
  to: Date;
  /** The range ends now: its current hour's rollup holds every result up to `to`, so no raw rows are read for it. */
  endsNow?: boolean;
  /**
   * Only the results checked from this location; null or absent: every location. The hourly rollups are of every
   * location, so a range of one location is read from raw results.
   */
  location?: string | null;
}

export interface RangeRequest {
  window?: StatsWindow | null;
  from?: Date | null;
  to?: Date | null;
  /** Only the results checked from this location. */
  location?: string | null;
}

/**
 * A window (default DAY) ending now, or from/to (to defaults to now). `fields` names the inputs in the
 * caller's language for error messages.
 */
export function resolveRange(
  request: RangeRequest,
  now: Date,
  fields: { window: string; from: string; to: string } = { window: 'window', from: 'from', to: 'to' },
): StatsRange {
  const { window, from, to } = request;
  const location = request.location || null;
  if (window && (from || to)) {
    throw new ValidationError(`give either ${fields.window} or ${fields.from}/${fields.to}, not both`, fields.window);
  }
  if (!from) {
    if (to) throw new ValidationError(`is required with ${fields.to}`, fields.from);
    return { from: new Date(now.getTime() - WINDOW_MS[window ?? 'DAY']), to: now, endsNow: true, location };
  }
  const end = to ?? now;
  if (end.getTime() <= from.getTime()) {
    throw new ValidationError(`must be after ${fields.from} (${from.toISOString()})`, fields.to);
  }
  return { from, to: end, endsNow: end.getTime() >= now.getTime(), location };
}

const floorHour = (ms: number): number => Math.floor(ms / HOUR_MS) * HOUR_MS;
const ceilHour = (ms: number): number => Math.ceil(ms / HOUR_MS) * HOUR_MS;

/**
 * Splits a range at whole hours (UTC), the rollups' grain; all raw when it holds no whole hour. A range
 * ending now also takes its last, current hour from the rollup, which holds every result up to now.
 */
export function splitAtHours(range: StatsRange): SplitRange {
  const to = range.to.getTime();
  const firstHour = ceilHour(range.from.getTime());
  const lastHour = range.endsNow ? ceilHour(to) : floorHour(to);
  const { from, to: end } = range;
  const location = range.location ?? null;
  if (firstHour >= lastHour || location !== null) return allRaw(range);
  return { from, to: end, firstHour: new Date(firstHour), lastHour: new Date(lastHour), location };
}

/** The whole range read from raw results. */
export function allRaw(range: StatsRange): SplitRange {
  return { from: range.from, to: range.to, firstHour: range.to, lastHour: range.to, location: range.location ?? null };
}

/** The series' default resolution: about 100 to 400 points whatever the window. */
export function defaultResolutionSeconds(range: StatsRange): number {
  const spanSeconds = (range.to.getTime() - range.from.getTime()) / 1000;
  const steps = [60, 300, 900, 3_600, 4 * 3_600, 86_400, 7 * 86_400];
  return steps.find((step) => spanSeconds / step <= 400) ?? 30 * 86_400;
}

export function checkResolution(range: StatsRange, resolutionSeconds: number, field = 'resolutionSeconds'): void {
  if (!Number.isInteger(resolutionSeconds) || resolutionSeconds < 1) {
    throw new ValidationError(`must be a whole number of seconds, at least 1, got ${resolutionSeconds}`, field);
  }
  const points = (range.to.getTime() - range.from.getTime()) / 1000 / resolutionSeconds;
  if (points > MAX_SERIES_POINTS) {
    throw new ValidationError(
      `${resolutionSeconds} s would make ${Math.ceil(points)} points; at most ${MAX_SERIES_POINTS} are allowed for this range`,
      field,
    );
  }
}
