// Credentials of an HTTP request (Authorization: Bearer, or the session cookie) and the session cookie itself.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Principal } from './roles.ts';
import type { AuthService } from './service.ts';

export const SESSION_COOKIE = 'vigie_session';

export interface RequestCredentials {
  token: string | null;
  /** True when the token came from the cookie, which a browser sends on its own. */
  fromCookie: boolean;
}

export function credentialsOf(headers: IncomingHttpHeaders): RequestCredentials {
  const authorization = headers.authorization?.trim();
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    return { token: match ? match[1]! : authorization, fromCookie: false };
  }
  return { token: cookieValue(headers.cookie, SESSION_COOKIE), fromCookie: true };
}

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=') || null;
  }
  return null;
}

export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
}

/**
 * Who is making an HTTP request (null: nobody logged in). Whether a browser page of another site may make it
 * at all is decided before, for every request, by the OriginPolicy (origin-policy.ts).
 */
export function requestAuthenticator(auth: AuthService) {
  return async (req: IncomingMessage): Promise<Principal | null> => auth.authenticate(credentialsOf(req.headers).token);
}

export type RequestAuthenticator = ReturnType<typeof requestAuthenticator>;
