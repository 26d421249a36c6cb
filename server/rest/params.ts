// Parsing of path and query parameters shared by the routes.
import { MAX_RESULTS_LIMIT } from '../results/index.ts';
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

export function parseId(raw: string | undefined): number {
  if (!raw || !/^\d{1,9}$/.test(raw)) throw new HttpError(400, `id: expected a positive whole number, got "${raw}"`);
  return Number(raw);
}
