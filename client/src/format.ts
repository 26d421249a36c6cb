// Formatting of latencies, percentages, times and durations for display in the page's language (pure; no DOM).
import type { AlertKind, MonitorStatus } from './api/types.ts';
import { formatNumber, intlLocale, labels, language, t, type MessageKey } from './i18n/index.ts';

export const STATUS_LABEL: Readonly<Record<MonitorStatus, string>> = labels({
  UP: 'status.UP',
  DOWN: 'status.DOWN',
  DEGRADED: 'status.DEGRADED',
  PENDING: 'status.PENDING',
  PAUSED: 'status.PAUSED',
  MAINTENANCE: 'status.MAINTENANCE',
});

export const ALERT_LABEL: Readonly<Record<AlertKind, string>> = labels({
  DOWN: 'alertKind.DOWN',
  UP: 'alertKind.UP',
  SLOW: 'alertKind.SLOW',
  CERTIFICATE: 'alertKind.CERTIFICATE',
  FLAPPING: 'alertKind.FLAPPING',
  REMINDER: 'alertKind.REMINDER',
  CHECKER_DEGRADED: 'alertKind.CHECKER_DEGRADED',
});

const DASH = '—';

export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  if (ms < 10) return t('unit.ms', { value: Math.max(0, Math.round(ms * 10) / 10) });
  if (ms < 1000) return t('unit.ms', { value: Math.round(ms) });
  if (ms < 10_000) return t('unit.s', { value: formatNumber(ms / 1000, 2) });
  return t('unit.s', { value: formatNumber(ms / 1000, 1) });
}

/** 100 %, 99.95 %, 87.3 %: more digits near 100 where they matter; never rounds a failure up to 100. */
export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  if (value >= 100) return t('unit.percent', { value: 100 });
  if (value >= 99) return t('unit.percent', { value: formatNumber(Math.floor(value * 100) / 100, 2) });
  return t('unit.percent', { value: formatNumber(Math.floor(value * 10) / 10, 1) });
}

const DURATION_UNITS: Array<[MessageKey, number]> = [
  ['duration.d', 86_400],
  ['duration.h', 3600],
  ['duration.min', 60],
  ['duration.s', 1],
];

/** "3 min 20 s", "2 h 5 min", "4 d 3 h": the two largest units. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return DASH;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return t('duration.s', { count: seconds });
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, size] of DURATION_UNITS) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) parts.push(t(unit, { count }));
    if (parts.length === 2 || (parts.length === 1 && count === 0)) break;
  }
  return parts.join(' ');
}

/** "just now", "12 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function formatAgo(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return t('ago.never');
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return DASH;
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 5) return t('ago.justNow');
  if (seconds < 60) return t('ago.s', { count: seconds });
  if (seconds < 3600) return t('ago.min', { count: Math.floor(seconds / 60) });
  if (seconds < 86_400) return t('ago.h', { count: Math.floor(seconds / 3600) });
  return t('ago.d', { count: Math.floor(seconds / 86_400) });
}

const pad = (value: number): string => String(value).padStart(2, '0');

let dateTimeFormat: { locale: string; format: Intl.DateTimeFormat } | null = null;

/**
 * In English the local "2025-01-10 14:30:05" (unambiguous and sortable); in French the locale's own
 * "10/01/2025 14:30:05".
 */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return DASH;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return DASH;
  if (language() === 'en') {
    return (
      `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
      `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
    );
  }
  const locale = intlLocale();
  if (dateTimeFormat?.locale !== locale) {
    const options: Intl.DateTimeFormatOptions = { dateStyle: 'short', timeStyle: 'medium', hourCycle: 'h23' };
    dateTimeFormat = { locale, format: new Intl.DateTimeFormat(locale, options) };
  }
  return dateTimeFormat.format.format(date);
}

/**
 * A calendar day given as "YYYY-MM-DD" (a UTC day, as the daily bars count them): as is in English, the page's
 * language's short date otherwise ("30/11/2026").
 */
export function formatDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (language() === 'en' || Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'short', timeZone: 'UTC' }).format(date);
}

/** A time of today as "14:30"; of another day, formatDateTime's date and time. */
export function formatClock(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) return DASH;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return DASH;
  const sameDay =
    date.getFullYear() === now.getFullYear() && date.getMonth() === now.getMonth() && date.getDate() === now.getDate();
  return sameDay ? `${pad(date.getHours())}:${pad(date.getMinutes())}` : formatDateTime(iso);
}

/** The page title: "2 down · Vigie" while anything is down. */
export function pageTitle(downCount: number, base = t('app.name')): string {
  return downCount > 0 ? t('app.titleDown', { count: downCount, base }) : base;
}

/** A check's outcome in words: "HTTP 500 (http_status): expected 200-399", "Timeout", "OK". */
export function describeResult(result: {
  isUp: boolean;
  httpStatus: number | null;
  cause: string | null;
  error: string | null;
}): string {
  const http = result.httpStatus === null ? '' : `HTTP ${result.httpStatus}`;
  if (result.isUp) return http || t('result.ok');
  const head = [http, result.cause ? `(${result.cause})` : ''].filter(Boolean).join(' ');
  // The error often repeats the status ("HTTP 500"): say it once.
  const error = result.error && result.error !== http ? result.error : null;
  return [head, error].filter(Boolean).join(': ') || t('result.failed');
}

const MINUTE_S = 60;
const HOUR_S = 3600;
const DAY_S = 86_400;
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A date in the current locale with these Intl options (formats kept per locale and options). */
function formatDateParts(date: Date, options: Intl.DateTimeFormatOptions): string {
  const locale = intlLocale();
  const key = `${locale} ${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    dateFormats.set(key, format);
  }
  return format.format(date);
}

const YEAR: Intl.DateTimeFormatOptions = { year: 'numeric' };
const DAY_MONTH: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short' };
const DAY_MONTH_YEAR: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric' };

/**
 * The labels of a chart's time axis at these ticks (Unix seconds), `step` seconds apart, in the page's language:
 * hours "3 PM" / "15 h", minutes "3:05 PM" / "15:05", days "Nov 30" / "30 nov.", months "Nov" / "nov.". Under the
 * first tick, and wherever it changes, a second line gives the day (or the year) the times are in.
 */
export function timeAxisLabels(ticks: readonly number[], step: number): string[] {
  let previous: Date | null = null;
  return ticks.map((tick) => {
    const date = new Date(tick * 1000);
    const before: Date | null = previous;
    previous = date;
    const newYear = before === null || before.getFullYear() !== date.getFullYear();
    const newDay = newYear || before.getMonth() !== date.getMonth() || before.getDate() !== date.getDate();
    const under = (options: Intl.DateTimeFormatOptions): string => `\n${formatDateParts(date, options)}`;
    if (step >= 365 * DAY_S) return formatDateParts(date, YEAR);
    if (step >= 28 * DAY_S) return formatDateParts(date, { month: 'short' }) + (newYear ? under(YEAR) : '');
    if (step >= DAY_S) return formatDateParts(date, DAY_MONTH) + (newYear ? under(YEAR) : '');
    const time: Intl.DateTimeFormatOptions =
      step >= HOUR_S
        ? { hour: 'numeric' }
        : step >= MINUTE_S
          ? { hour: 'numeric', minute: '2-digit' }
          : { hour: 'numeric', minute: '2-digit', second: '2-digit' };
    const label = formatDateParts(date, time);
    if (newYear) return label + under(DAY_MONTH_YEAR);
    return newDay ? label + under(DAY_MONTH) : label;
  });
}
