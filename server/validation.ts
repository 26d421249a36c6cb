// Input validation at the edges: a zod schema's first problem becomes a ValidationError naming the field.
import { z } from 'zod';
import { ValidationError } from './errors.ts';

/** A JSON object, as opposed to null, an array or a scalar. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const joinPath = (...parts: Array<string | number>) => parts.filter((part) => part !== '').join('.');

/** PostgreSQL text cannot hold a NUL byte: refuse it with the field named rather than fail at the database. */
export function rejectNulBytes(value: unknown, path = ''): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw new ValidationError('cannot contain a NUL byte', path || undefined);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => rejectNulBytes(item, joinPath(path, index)));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) rejectNulBytes(item, joinPath(path, key));
  }
}

/** Parses input with a schema; `root` prefixes the field names (e.g. "settings"). */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown, root = ''): T {
  rejectNulBytes(input, root);
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = joinPath(root, ...issue.path.map(String)) || undefined;
  if (issue.code === 'unrecognized_keys') {
    throw new ValidationError(`unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`, field);
  }
  // A bad record key (e.g. a header name) carries its own message inside; zod's outer one is generic.
  const message = issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
  throw new ValidationError(message, field);
}

/** The largest id of a table keyed by integer (monitors, channels, pages...): PostgreSQL's int4. */
export const MAX_RECORD_ID = 2_147_483_647;

/** The id of a row of a table keyed by integer, with `message` for anything else. */
export const recordId = (message: string) =>
  z.number({ error: message }).int(message).positive(message).max(MAX_RECORD_ID, message);

// Date, or date and time with optional seconds and fraction, and an offset (Z, +hh:mm, -hhmm). A "+" sent
// unencoded in a query string arrives as a space, so a space before the offset is read as "+".
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:(Z)|([+\- ])(\d{2}):?(\d{2}))?)?$/i;

/**
 * An ISO-8601 date or instant (years 0001 to 9999), or null when it is not one. A date alone means midnight UTC,
 * and a time without an offset is read as UTC. Days that do not exist (2026-02-30) are not dates.
 */
export function parseIsoInstant(raw: string): Date | null {
  const match = ISO_INSTANT.exec(raw.trim());
  if (!match) return null;
  const [
    ,
    year,
    month,
    day,
    hours = '0',
    minutes = '0',
    seconds = '0',
    fraction = '',
    ,
    sign,
    offsetHours,
    offsetMinutes,
  ] = match;
  const parts = [year, month, day, hours, minutes, seconds].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (parts[0] < 1) return null;
  const date = new Date(0);
  date.setUTCFullYear(parts[0], parts[1] - 1, parts[2]);
  date.setUTCHours(parts[3], parts[4], parts[5], Number(fraction.padEnd(3, '0').slice(0, 3)));
  const roundTrips =
    date.getUTCFullYear() === parts[0] &&
    date.getUTCMonth() === parts[1] - 1 &&
    date.getUTCDate() === parts[2] &&
    date.getUTCHours() === parts[3] &&
    date.getUTCMinutes() === parts[4] &&
    date.getUTCSeconds() === parts[5];
  if (!roundTrips || Number(offsetHours ?? 0) > 23 || Number(offsetMinutes ?? 0) > 59) return null;
  const offsetMs = (Number(offsetHours ?? 0) * 60 + Number(offsetMinutes ?? 0)) * 60_000;
  return new Date(date.getTime() - (sign === '-' ? -offsetMs : offsetMs));
}

/**
 * An instant given as an ISO-8601 string (REST) or a Date (GraphQL's DateTime), within years 0001 to 9999;
 * `message` for anything else (numbers and booleans are not dates).
 */
export const isoInstant = (message: string) =>
  z.union([z.date(), z.string()], { error: message }).transform((value, context) => {
    const instant = typeof value === 'string' ? parseIsoInstant(value) : value;
    const year = instant?.getUTCFullYear();
    if (!instant || Number.isNaN(instant.getTime()) || year! < 1 || year! > 9999) {
      context.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return instant;
  });
