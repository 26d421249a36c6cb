// Parsing of ID arguments and pagination cursors into the domain's values, with clear input errors.
import { ValidationError } from '../errors.ts';

export function parseNumericId(value: string | number, field: string): number {
  const text = String(value);
  if (!/^\d{1,15}$/.test(text)) throw new ValidationError(`expected a numeric id, got "${text}"`, field);
  return Number(text);
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
