// Session tokens (JWT, HS256) and API keys: what is handed out and how it is checked. Both only name a
// database row (a session, a key), which every request checks, so revoking the row revokes the token.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { UnauthenticatedError } from '../errors.ts';

const ISSUER = 'vigie';

export function newSessionId(): string {
  return randomUUID();
}

export async function signSessionToken(
  secret: Uint8Array,
  session: { id: string; userId: number; expiresAt: Date },
): Promise<string> {
  return new SignJWT({ sid: session.id })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(String(session.userId))
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(Math.floor(session.expiresAt.getTime() / 1000))
    .sign(secret);
}

/** The session id a token names; throws UnauthenticatedError for an expired, tampered or foreign token. */
export async function verifySessionToken(secret: Uint8Array, token: string): Promise<string> {
  try {
    const { payload } = await jwtVerify(token, secret, { issuer: ISSUER, algorithms: ['HS256'] });
    if (typeof payload.sid !== 'string') throw new UnauthenticatedError('the session token is invalid');
    return payload.sid;
  } catch (error) {
    if (error instanceof UnauthenticatedError) throw error;
    if (error instanceof joseErrors.JWTExpired) throw new UnauthenticatedError('the session has expired; log in again');
    throw new UnauthenticatedError('the session token is invalid');
  }
}

const API_KEY_PATTERN = /^vigie_(\d{1,9})_([A-Za-z0-9_-]{43})$/;

export function isApiKeyLike(token: string): boolean {
  return token.startsWith('vigie_');
}

/** A new key's secret part and the digest stored for it. */
export function newApiKeySecret(): { secret: string; digest: string } {
  const secret = randomBytes(32).toString('base64url');
  return { secret, digest: digestOf(secret) };
}

export function formatApiKey(id: number, secret: string): string {
  return `vigie_${id}_${secret}`;
}

export function parseApiKey(token: string): { id: number; secret: string } {
  const match = API_KEY_PATTERN.exec(token);
  if (!match) throw new UnauthenticatedError('the API key is malformed');
  return { id: Number(match[1]), secret: match[2]! };
}

export function apiKeyMatches(secret: string, digest: string): boolean {
  const actual = Buffer.from(digestOf(secret), 'hex');
  const expected = Buffer.from(digest, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function digestOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
