// Credentials of an HTTP request (Authorization: Bearer, or the session cookie) and the same-origin rule that
// keeps another site from using the cookie (CSRF; cross-site WebSocket hijacking).
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { ForbiddenError } from '../errors.ts';
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
 * Refuses a browser request from another site: its Origin (or Referer) must be the server's own origin (as
 * the request's Host names it), the public URL's, or one allowed in the configuration. Requests without
 * either header are not from a browser page, and pass.
 */
export function checkSameOrigin(headers: IncomingHttpHeaders, allowedOrigins: readonly string[]): void {
  const claimed = headers.origin ?? refererOrigin(headers.referer);
  if (!claimed) return;
  const host = headers.host;
  const own = host ? [`http://${host}`, `https://${host}`] : [];
  if (![...own, ...allowedOrigins].includes(claimed)) {
    throw new ForbiddenError(`cross-site request refused: origin ${claimed.slice(0, 200)} is not allowed`);
  }
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who is making an HTTP request (null: nobody logged in). A request that changes something and carries no
 * Authorization header (so relies on the cookie, or on nothing when auth is disabled) must come from an
 * allowed origin: that stops other sites from posting through the user's browser.
 */
export function requestAuthenticator(auth: AuthService, allowedOrigins: readonly string[]) {
  return async (req: IncomingMessage): Promise<Principal | null> => {
    if (!SAFE_METHODS.has(req.method ?? 'GET') && !req.headers.authorization) checkSameOrigin(req.headers, allowedOrigins);
    return auth.authenticate(credentialsOf(req.headers).token);
  };
}

export type RequestAuthenticator = ReturnType<typeof requestAuthenticator>;
