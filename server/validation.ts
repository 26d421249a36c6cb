// Input validation at the edges: a zod schema's first problem becomes a ValidationError naming the field.
import type { z } from 'zod';
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
