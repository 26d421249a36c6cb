// The time range the monitor page shows: a window ending now (live), or a custom from/to typed by the user.

import { type MessageKey, t } from '../i18n/index.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The windows of the stats cards and the chart. The chart draws every result of the last hour; longer windows
 * draw buckets of the stats series (`resolutionSeconds`): 43,200 results of a 1-minute monitor over 30 days
 * would be 44 pages to read, and more points than the chart has pixels.
 */
export const WINDOWS = [
  { key: 'hour', count: 1, unit: 'duration.h', ms: HOUR_MS, resolutionSeconds: null },
  { key: 'day', count: 24, unit: 'duration.h', ms: DAY_MS, resolutionSeconds: 300 },
  { key: 'week', count: 7, unit: 'duration.d', ms: 7 * DAY_MS, resolutionSeconds: 3600 },
  { key: 'month', count: 30, unit: 'duration.d', ms: 30 * DAY_MS, resolutionSeconds: 4 * 3600 },
  { key: 'year', count: 365, unit: 'duration.d', ms: 365 * DAY_MS, resolutionSeconds: 86_400 },
] as const satisfies ReadonlyArray<{
  key: string;
  count: number;
  unit: MessageKey;
  ms: number;
  resolutionSeconds: number | null;
}>;
export type WindowKey = (typeof WINDOWS)[number]['key'];

/** A window's name on its button: 24 h, 7 d (7 j in French). */
export function windowLabel(window: (typeof WINDOWS)[number]): string {
  return t(window.unit, { count: window.count });
}

export interface ShownRange {
  key: WindowKey | 'custom';
  /** ms since the epoch */
  from: number;
  /** null: now (the range slides along and grows live). */
  to: number | null;
  /** Bucket size of the chart; null: every result is drawn. */
  resolutionSeconds: number | null;
}

/** A custom range reads at most this far back (the 365-day window's reach, and some). */
export const MAX_CUSTOM_SPAN_MS = 400 * DAY_MS;
const MIN_CUSTOM_SPAN_MS = 60_000;
/** Bucket sizes a custom range picks from, so that its chart has at most about 400 points. */
const RESOLUTIONS = [60, 300, 900, 3600, 4 * 3600, 12 * 3600, 86_400];

export function windowRange(key: WindowKey, now = Date.now()): ShownRange {
  const window = WINDOWS.find((candidate) => candidate.key === key)!;
  return { key, from: now - window.ms, to: null, resolutionSeconds: window.resolutionSeconds };
}

/** Every result up to an hour; beyond, the smallest bucket giving at most about 400 points. */
export function resolutionFor(spanMs: number): number | null {
  if (spanMs <= HOUR_MS) return null;
  return RESOLUTIONS.find((seconds) => spanMs / (seconds * 1000) <= 400) ?? 86_400;
}

export type RangeCheck = { range: ShownRange } | { field: 'from' | 'to'; message: string };

/** A custom range from two datetime-local values (local time), or what is wrong with one of them. */
export function customRange(fromText: string, toText: string, now = Date.now()): RangeCheck {
  const from = parseLocal(fromText);
  const to = parseLocal(toText);
  if (from === null) return { field: 'from', message: t('range.startRequired') };
  if (to === null) return { field: 'to', message: t('range.endRequired') };
  if (from >= now) return { field: 'from', message: t('range.startInPast') };
  if (to <= from) return { field: 'to', message: t('range.endAfterStart') };
  if (to - from < MIN_CUSTOM_SPAN_MS) return { field: 'to', message: t('range.atLeastMinute') };
  if (now - from > MAX_CUSTOM_SPAN_MS) return { field: 'from', message: t('range.startWithin') };
  const end = Math.min(to, now);
  return { range: { key: 'custom', from, to: end, resolutionSeconds: resolutionFor(end - from) } };
}

function parseLocal(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(text.trim())) return null;
  const ms = new Date(text.trim()).getTime();
  return Number.isNaN(ms) ? null : ms;
}

/** "2025-01-10T14:30" in local time, as a datetime-local input takes it. */
export function localInputValue(ms: number): string {
  const date = new Date(ms);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The range's ends as the API takes them (to: null is now). */
export function rangeVariables(range: ShownRange): { from: string; to: string | null } {
  return { from: new Date(range.from).toISOString(), to: range.to === null ? null : new Date(range.to).toISOString() };
}
