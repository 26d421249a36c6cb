// Request headers of HTTP monitors that carry credentials (Authorization, cookies, API keys, tokens) are
// write-only: the API shows a placeholder, and a placeholder sent back keeps the stored value.
import { ValidationError } from '../errors.ts';

export const SECRET_PLACEHOLDER = '********';

const SECRET_HEADER = /^(authorization|proxy-authorization|cookie)$|token|secret|passw|api[-_]?key|auth/i;

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name);
}

/** The headers as the API shows them. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, isSecretHeader(name) ? SECRET_PLACEHOLDER : value]));
}

/** Puts back the stored value of every header sent as the placeholder. */
export function restoreSecretHeaders(headers: unknown, stored: Record<string, string>): unknown {
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) return headers;
  const byName = new Map(Object.entries(stored).map(([name, value]) => [name.toLowerCase(), value]));
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => {
      if (value !== SECRET_PLACEHOLDER) return [name, value];
      const kept = byName.get(name.toLowerCase());
      if (kept === undefined) {
        throw new ValidationError(`"${SECRET_PLACEHOLDER}" stands for a stored value, and this header has none: send its value`, `http.headers.${name}`);
      }
      return [name, kept];
    }),
  );
}
