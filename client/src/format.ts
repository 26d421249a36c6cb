// Formatting of latencies, percentages, times and durations for display (pure; no DOM).
import type { AlertKind, MonitorStatus } from './api/types.ts';

export const STATUS_LABEL: Record<MonitorStatus, string> = {
  UP: 'Up',
  DOWN: 'Down',
  DEGRADED: 'Degraded',
  PENDING: 'Pending',
  PAUSED: 'Paused',
  MAINTENANCE: 'Maintenance',
};

export const ALERT_LABEL: Record<AlertKind, string> = {
  DOWN: 'Down',
  UP: 'Back up',
  SLOW: 'Slow',
  CERTIFICATE: 'Certificate',
  FLAPPING: 'Flapping',
  REMINDER: 'Still down',
  CHECKER_DEGRADED: 'Checker degraded',
};

const DASH = '—';

export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  if (ms < 10) return `${Math.max(0, Math.round(ms * 10) / 10)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** 100 %, 99.95 %, 87.3 %: more digits near 100 where they matter; never rounds a failure up to 100. */
export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  if (value >= 100) return '100 %';
  if (value >= 99) return `${(Math.floor(value * 100) / 100).toFixed(2)} %`;
  return `${(Math.floor(value * 10) / 10).toFixed(1)} %`;
}

/** "3 min 20 s", "2 h 5 min", "4 d 3 h": the two largest units. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return DASH;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const units: Array<[string, number]> = [
    ['d', 86_400],
    ['h', 3600],
    ['min', 60],
    ['s', 1],
  ];
  const parts: string[] = [];
  let rest = seconds;
  for (const [name, size] of units) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || parts.length > 0) parts.push(`${count} ${name}`);
    if (parts.length === 2) break;
  }
  return parts.filter((part) => !part.startsWith('0 ')).join(' ');
}

/** "just now", "12 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function formatAgo(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return 'never';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return DASH;
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

const pad = (value: number): string => String(value).padStart(2, '0');

/** Local "2025-01-10 14:30:05" (unambiguous and sortable). */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return DASH;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return DASH;
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

/** The page title: "2 down · Vigie" while anything is down. */
export function pageTitle(downCount: number, base = 'Vigie'): string {
  return downCount > 0 ? `${downCount} down · ${base}` : base;
}

/** A check's outcome in words: "HTTP 500 (http_status): expected 200-399", "Timeout", "OK". */
export function describeResult(result: {
  isUp: boolean;
  httpStatus: number | null;
  cause: string | null;
  error: string | null;
}): string {
  const http = result.httpStatus === null ? '' : `HTTP ${result.httpStatus}`;
  if (result.isUp) return http || 'OK';
  const head = [http, result.cause ? `(${result.cause})` : ''].filter(Boolean).join(' ');
  // The error often repeats the status ("HTTP 500"): say it once.
  const error = result.error && result.error !== http ? result.error : null;
  return [head, error].filter(Boolean).join(': ') || 'Failed';
}
