// JSON calls to /api (logging in and out set or clear the session cookie, so they are REST, not GraphQL), and
// their errors: {"erreur": "mot_de_passe: must be ..."} names the field in French; the forms use English names.
import { cleanMessage } from './errors.ts';
import { t } from '../i18n/index.ts';

/** The REST names of the fields the login, setup and password forms send. */
const FIELD_NAMES: Record<string, string> = {
  email: 'email',
  mot_de_passe: 'password',
  nom: 'name',
  role: 'role',
  mot_de_passe_actuel: 'currentPassword',
  nouveau_mot_de_passe: 'newPassword',
};

export class RestError extends Error {
  constructor(
    message: string,
    /** 0 when the server could not be reached. */
    readonly status: number,
    /** The form field the message is about (English name), if the server named one. */
    readonly field: string | null = null,
    /** Seconds to wait before trying again (429). */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'RestError';
  }
}

/** Splits "mot_de_passe: must be ..." into the field and its message. */
export function restErrorFrom(status: number, text: string, retryAfter: string | null = null): RestError {
  const match = /^([a-z_]+): (.+)$/s.exec(text);
  const field = match ? (FIELD_NAMES[match[1]!] ?? null) : null;
  const message = cleanMessage(field ? match![2]! : text);
  const seconds = retryAfter !== null && /^\d+$/.test(retryAfter) ? Number(retryAfter) : null;
  return new RestError(message, status, field, seconds);
}

export async function restCall<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch {
    throw new RestError(t('app.serverUnreachable'), 0);
  }
  if (response.status === 204) return null as T;
  const data = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  if (!response.ok) {
    const text = typeof data?.['erreur'] === 'string' ? data['erreur'] : `the server answered ${response.status}`;
    throw restErrorFrom(response.status, text, response.headers.get('retry-after'));
  }
  return data as T;
}
