// Turns GraphQL errors into messages next to form fields (extensions.field) and general messages.
import { t } from '../i18n/index.ts';
export interface ErrorLike {
  message: string;
  extensions?: Record<string, unknown> | undefined;
}

export interface CombinedLike {
  graphQLErrors?: readonly ErrorLike[];
  networkError?: Error | undefined;
  message?: string;
  /** The HTTP response, when there was one (urql's CombinedError keeps it). */
  response?: { status?: number } | undefined;
}

export const SESSION_ENDED = (): string => t('session.ended');

/** The server no longer knows who this is (session expired, revoked, or logged out elsewhere). */
export function isUnauthenticated(error: unknown): boolean {
  const combined = (error ?? {}) as CombinedLike;
  if (combined.response?.status === 401) return true;
  return (combined.graphQLErrors ?? []).some((item) => item.extensions?.['code'] === 'UNAUTHENTICATED');
}

export interface SortedErrors {
  /** By input field path, e.g. "target", "http.keyword". */
  fields: Record<string, string>;
  general: string[];
}

/** Strips urql's "[GraphQL] " prefix and capitalises. */
export function cleanMessage(message: string): string {
  const text = message.replace(/^\[(GraphQL|Network)\]\s*/, '').trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function sortErrors(error: unknown): SortedErrors {
  const sorted: SortedErrors = { fields: {}, general: [] };
  const combined = (error ?? {}) as CombinedLike;
  if (combined.networkError && isUnauthenticated(error)) {
    sorted.general.push(SESSION_ENDED());
    return sorted;
  }
  if (combined.networkError) {
    sorted.general.push(t('app.serverUnreachable'));
    return sorted;
  }
  const errors = combined.graphQLErrors ?? [];
  for (const item of errors) {
    const field = item.extensions?.['field'];
    const code = item.extensions?.['code'];
    const message = cleanMessage(item.message);
    if (typeof field === 'string' && field && code === 'BAD_USER_INPUT') {
      const name = field.replace(/^input\./, '');
      // The server prefixes the message with the field ("target: must be ..."); next to the field that is noise.
      const bare = message.toLowerCase().startsWith(`${name.toLowerCase()}: `)
        ? message.slice(name.length + 2)
        : message;
      sorted.fields[name] ??= cleanMessage(bare);
    } else if (code === 'NOT_FOUND') {
      sorted.general.push(t('app.notFoundDeleted'));
    } else if (code === 'UNAUTHENTICATED') {
      sorted.general.push(SESSION_ENDED());
    } else {
      sorted.general.push(message);
    }
  }
  if (!errors.length)
    sorted.general.push(error instanceof Error ? cleanMessage(error.message) : t('app.somethingWrong'));
  return sorted;
}

/** One line for a toast or an inline error. */
export function errorText(error: unknown): string {
  const { fields, general } = sortErrors(error);
  const parts = [...general, ...Object.entries(fields).map(([field, message]) => `${field}: ${message}`)];
  return parts.join(' ');
}
