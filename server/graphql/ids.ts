// Parsing of ID arguments and pagination cursors into the domain's values, with clear input errors.
import { ValidationError } from '../errors.ts';
import { MAX_RECORD_ID } from '../validation.ts';

/** The largest id of the tables keyed by bigint (results, alerts) this API can carry exactly. */
export const MAX_BIGINT_ID = Number.MAX_SAFE_INTEGER;

/** An id argument: a whole number up to `max` (of an integer key unless said), else an input error. */
export function parseNumericId(value: string | number, field: string, max = MAX_RECORD_ID): number {
  const text = String(value);
  const id = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
  if (!(id >= 0 && id <= max)) {
    throw new ValidationError(`expected a numeric id of at most ${max}, got "${text.slice(0, 40)}"`, field);
  }
  return id;
}

export interface ResultCursor {
  checkedAt: Date;
  id: number;
}

export function encodeResultCursor(cursor: ResultCursor): string {
  return Buffer.from(`${cursor.checkedAt.toISOString()}|${cursor.id}`).toString('base64url');
}

export function decodeResultCursor(value: string): ResultCursor {
  const [time, id] = Buffer.from(value, 'base64url').toString('utf8').split('|');
  const checkedAt = new Date(time ?? '');
  if (!id || !/^\d+$/.test(id) || Number.isNaN(checkedAt.getTime())) {
    throw new ValidationError('is not a cursor returned by this API', 'after');
  }
  return { checkedAt, id: Number(id) };
}

/** first: 1..max, default when absent. */
export function pageSize(first: number | null | undefined, fallback: number, max: number): number {
  if (first == null) return fallback;
  if (!Number.isInteger(first) || first < 1 || first > max) {
    throw new ValidationError(`must be between 1 and ${max}, got ${first}`, 'first');
  }
  return first;
}
