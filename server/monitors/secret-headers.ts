// Request headers of HTTP monitors that carry credentials (Authorization, cookies, API keys, tokens) are
// write-only: the API shows a placeholder, and a placeholder sent back keeps the stored value, for the same origin.
import { ValidationError } from '../errors.ts';
import type { MonitorInput } from './types.ts';

export const SECRET_PLACEHOLDER = '********';

const SECRET_HEADER = /^(authorization|proxy-authorization|cookie)$|token|secret|passw|api[-_]?key|auth/i;

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name);
}

/** The headers as the API shows them. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, isSecretHeader(name) ? SECRET_PLACEHOLDER : value]),
  );
}

/** Puts back the stored value of every header sent as the placeholder. */
export function restoreSecretHeaders(
  headers: Record<string, string>,
  stored: Record<string, string>,
): Record<string, string> {
  const byName = new Map(Object.entries(stored).map(([name, value]) => [name.toLowerCase(), value]));
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => {
      if (value !== SECRET_PLACEHOLDER) return [name, value];
      const kept = byName.get(name.toLowerCase());
      if (kept === undefined) {
        throw new ValidationError(
          `"${SECRET_PLACEHOLDER}" stands for a stored value, and this header has none: send its value`,
          `http.headers.${name}`,
        );
      }
      return [name, kept];
    }),
  );
}

export function withoutSecretHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !isSecretHeader(name)));
}

/** Whether input (a full or partial monitor input) leaves the monitor on the origin (scheme, host, port) it has. */
export function sameOrigin(
  input: Partial<Pick<MonitorInput, 'kind' | 'target'>>,
  current: Pick<MonitorInput, 'kind' | 'target'>,
): boolean {
  const kind = input.kind ?? current.kind;
  const target = input.target ?? current.target ?? '';
  return kind === current.kind && originOf(kind, target) === originOf(current.kind, current.target ?? '');
}

function originOf(kind: MonitorInput['kind'], target: string): string {
  const text = target.trim();
  if (kind !== 'http') return text;
  try {
    return new URL(text).origin;
  } catch {
    return text;
  }
}
