// The login throttle over real HTTP: a burst of parallel attempts counts in full (each attempt is reserved before
// its password is checked), a success still clears its email, and IPv6 clients are counted per /64 (their
// address comes from X-Forwarded-For, sent by the loopback proxy the app trusts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LOGIN_THROTTLE } from '../../server/auth/index.ts';
import type { TestApp } from '../helpers/app.ts';
import { startTestApp } from '../helpers/app.ts';
import { AUTH_ON } from './support.ts';

const ADMIN = { email: 'admin@example.com', mot_de_passe: 'correct horse battery staple' };
const { maxFailuresPerEmail, maxFailuresPerAddress } = DEFAULT_LOGIN_THROTTLE;

// One server for the file: each test uses emails and client addresses of its own.
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ ...AUTH_ON, PROXIES_DE_CONFIANCE: '127.0.0.1/32' });
  expect((await app.request('/api/auth/installation', { method: 'POST', body: JSON.stringify(ADMIN) })).status).toBe(
    201,
  );
});

afterAll(async () => {
  await app?.close();
});

let next = 0;
/** A client of its own (an IPv4 address from TEST-NET-3), unless `from` names one. */
function attempt(body: object, from = `203.0.113.${++next}`): Promise<Response> {
  return app.request('/api/auth/connexion', {
    method: 'POST',
    headers: { 'x-forwarded-for': from },
    body: JSON.stringify(body),
  });
}

const tally = (statuses: number[]) =>
  statuses.reduce<Record<number, number>>((counts, status) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {});

describe('a burst of parallel attempts', () => {
  it('lets at most the per-email limit reach the password check; the rest get 429 with Retry-After', async () => {
    const email = 'burst@example.com';
    const from = '198.51.100.10';
    const responses = await Promise.all(
      Array.from({ length: maxFailuresPerEmail + 15 }, (_, i) =>
        attempt({ email, mot_de_passe: `guess ${i} guess guess` }, from),
      ),
    );
    expect(tally(responses.map((response) => response.status))).toEqual({ 401: maxFailuresPerEmail, 429: 15 });
    const refused = responses.find((response) => response.status === 429)!;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(800);
    expect((await refused.json()).erreur).toMatch(/too many failed logins/);
    // The email stays locked, even with the right password; another email from elsewhere is not.
    expect((await attempt({ email, mot_de_passe: 'the right one, maybe' })).status).toBe(429);
    expect((await attempt({ email: 'someone-else@example.com', mot_de_passe: 'guess guess guess' })).status).toBe(401);
  }, 30_000);

  it('counts a successful login like today: it clears its email’s failures and uses up nothing of its address', async () => {
    const from = '198.51.100.20';
    const failures = await Promise.all(
      Array.from({ length: maxFailuresPerEmail - 1 }, (_, i) =>
        attempt({ email: ADMIN.email, mot_de_passe: `wrong ${i} wrong wrong` }, from),
      ),
    );
    expect(failures.map((response) => response.status)).toEqual(Array(maxFailuresPerEmail - 1).fill(401));
    // The last attempt left gets through; its success clears the email's failures...
    expect((await attempt(ADMIN, from)).status).toBe(200);
    // ...and successes take their reservation back: rounds of parallel logins, more than the address's
    // allowance in all, never lock the address out.
    for (let round = 0; round * maxFailuresPerEmail <= maxFailuresPerAddress; round++) {
      const successes = await Promise.all(Array.from({ length: maxFailuresPerEmail }, () => attempt(ADMIN, from)));
      expect(successes.map((response) => response.status)).toEqual(Array(maxFailuresPerEmail).fill(200));
    }
    // The email starts afresh: a full allowance of failures again before the refusal.
    const again = await Promise.all(
      Array.from({ length: maxFailuresPerEmail + 1 }, (_, i) =>
        attempt({ email: ADMIN.email, mot_de_passe: `again ${i} again` }, `198.51.100.${30 + i}`),
      ),
    );
    expect(tally(again.map((response) => response.status))).toEqual({ 401: maxFailuresPerEmail, 429: 1 });
  }, 30_000);
});

describe('client addresses', () => {
  it('counts every IPv6 address of one /64 as one client, and another /64 apart', async () => {
    // One email per attempt: only the address's allowance applies.
    const responses = await Promise.all(
      Array.from({ length: maxFailuresPerAddress + 5 }, (_, i) =>
        attempt(
          { email: `v6-${i}@example.com`, mot_de_passe: 'guess guess guess' },
          `2001:db8:1:2:${(i + 1).toString(16)}::${i + 7}`,
        ),
      ),
    );
    expect(tally(responses.map((response) => response.status))).toEqual({ 401: maxFailuresPerAddress, 429: 5 });
    expect(
      (
        await attempt(
          { email: 'v6-late@example.com', mot_de_passe: 'guess guess guess' },
          '2001:db8:1:2:ffff:ffff:ffff:fffe',
        )
      ).status,
    ).toBe(429);
    expect(
      (await attempt({ email: 'v6-late@example.com', mot_de_passe: 'guess guess guess' }, '2001:db8:1:3::1')).status,
    ).toBe(401);
  }, 30_000);

  it('counts an IPv4-mapped IPv6 address as its IPv4 address', async () => {
    const responses = await Promise.all(
      Array.from({ length: maxFailuresPerAddress }, (_, i) =>
        attempt(
          { email: `v4-${i}@example.com`, mot_de_passe: 'guess guess guess' },
          i % 2 ? '192.0.2.77' : '::ffff:192.0.2.77',
        ),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(maxFailuresPerAddress).fill(401));
    expect(
      (await attempt({ email: 'v4-late@example.com', mot_de_passe: 'guess guess guess' }, '::ffff:c000:24d')).status,
    ).toBe(429);
    expect(
      (await attempt({ email: 'v4-late@example.com', mot_de_passe: 'guess guess guess' }, '192.0.2.77')).status,
    ).toBe(429);
  }, 30_000);
});
