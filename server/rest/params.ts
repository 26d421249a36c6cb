// Parsing of path and query parameters shared by the routes.
import { MAX_RESULTS_LIMIT } from '../results/index.ts';
import type { StatsWindow } from '../stats/index.ts';
import { parseIsoInstant } from '../validation.ts';
import { HttpError } from './http-error.ts';

const DEFAULT_LIMIT = 50;

/** ?limit=: 50 when absent, at least 1, clamped to MAX_RESULTS_LIMIT. */
export function parseLimit(raw: string | null): number {
  if (raw === null || raw === '') return DEFAULT_LIMIT;
  if (!/^\d+$/.test(raw.trim())) throw new HttpError(400, `limit: expected a positive whole number, got "${raw}"`);
  const limit = Number(raw);
  if (limit < 1) throw new HttpError(400, 'limit: must be at least 1');
  return Math.min(limit, MAX_RESULTS_LIMIT);
}

export function parseId(raw: string | undefined, name = 'id'): number {
  if (!raw || !/^\d{1,9}$/.test(raw))
    throw new HttpError(400, `${name}: expected a positive whole number, got "${raw}"`);
  return Number(raw);
}

/** ?emplacement=: a location to filter by (null when absent or empty). */
export function parseLocation(raw: string | null): string | null {
  if (raw === null || raw.trim() === '') return null;
  if (raw.length > 100) throw new HttpError(400, `emplacement: must be at most 100 characters, got ${raw.length}`);
  return raw.trim();
}

/** An optional query parameter that takes one of `allowed` (the first one when absent or empty). */
export function parseChoice<T extends string>(name: string, raw: string | null, allowed: readonly [T, ...T[]]): T {
  if (raw === null || raw === '') return allowed[0];
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new HttpError(400, `${name}: expected one of ${allowed.join(', ')}, got "${raw.slice(0, 100)}"`);
  }
  return raw as T;
}

/**
 * An optional ISO-8601 instant (null when absent or empty). A date alone means midnight UTC, and a time
 * without an offset is read as UTC, like every time the API shows. Days that do not exist are refused.
 */
export function parseInstant(name: string, raw: string | null): Date | null {
  if (raw === null || raw === '') return null;
  const instant = parseIsoInstant(raw);
  if (!instant) {
    throw new HttpError(
      400,
      `${name}: expected an ISO-8601 date or instant like 2025-01-10T14:30:00Z, got "${raw.slice(0, 100)}"`,
    );
  }
  return instant;
}

// French and English spellings of the windows.
const WINDOWS: Record<string, StatsWindow> = {
  '1h': 'HOUR',
  '24h': 'DAY',
  '1j': 'DAY',
  '1d': 'DAY',
  '7j': 'WEEK',
  '7d': 'WEEK',
  '30j': 'MONTH',
  '30d': 'MONTH',
  '365j': 'YEAR',
  '365d': 'YEAR',
};

/** ?fenetre= (or ?window= on badges): 1h, 24h, 7j/7d, 30j/30d, 365j/365d; null when absent. */
export function parseWindow(name: string, raw: string | null): StatsWindow | null {
  if (raw === null || raw === '') return null;
  const key = raw.trim().toLowerCase();
  const window = Object.hasOwn(WINDOWS, key) ? WINDOWS[key] : undefined;
  if (!window) throw new HttpError(400, `${name}: expected one of 1h, 24h, 7j, 30j, 365j, got "${raw.slice(0, 100)}"`);
  return window;
}
