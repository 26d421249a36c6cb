// Revocation reaches every live channel: subscriptions over SSE end like WebSockets on logout, key revocation,
// user deletion and role change; a live channel ends at its session's expiry; a revocation sent while the LISTEN
// connection is down still closes it (caught up from the tables); a password change with hundreds of sessions
// succeeds and closes all their sockets.
import { randomUUID } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSessionToken } from '../../server/auth/tokens.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { testDbKind } from '../helpers/db.ts';
import { resultWriter, type ResultWriter } from '../helpers/graphql.ts';
import {
  as,
  AUTH_ON,
  createActors,
  createApiKey,
  createUser,
  liveClient,
  type Actor,
  type Actors,
  type LiveClient,
} from './support.ts';
import { createMonitor } from '../helpers/factories.ts';

const SESSION_SECRET = 'a session secret for the live access tests, long enough';
const SUBSCRIPTION = 'subscription { alertRaised { id } }';
// Well under the 30 s safety re-check: an end this fast came from the notification or the catch-up.
const PROMPTLY_MS = 4000;

let app: TestApp;
let actors: Actors;
let writer: ResultWriter;
const clients: Client[] = [];
const streams: AbortController[] = [];

beforeAll(async () => {
  app = await startTestApp({ ...AUTH_ON, SESSION_SECRET });
  actors = await createActors(app);
  writer = await resultWriter(app.testDb);
});

afterAll(async () => {
  for (const stream of streams) stream.abort();
  await Promise.all(clients.map((client) => client.dispose()));
  await writer?.close();
  await app?.close();
});

interface SseStream {
  /** What the server sent so far. */
  text(): string;
  /** Resolves with everything the server sent, once it ended the stream. */
  ended: Promise<string>;
  /** The client goes away. */
  close(): void;
}

/** A subscription over SSE (POST /graphql, Accept: text/event-stream), once the server started streaming it. */
async function sseSubscription(token: string, query = SUBSCRIPTION): Promise<SseStream> {
  const controller = new AbortController();
  streams.push(controller);
  const response = await app.request('/graphql', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  // The first chunk (a keep-alive comment) comes once the subscription is running.
  let text = (await reader.read()).value ?? '';
  const ended = (async () => {
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) return text;
      text += chunk.value;
    }
  })();
  ended.catch(() => undefined);
  return { text: () => text, ended, close: () => controller.abort() };
}

/** A graphql-ws client subscribed as `token`, once the server acknowledged it. */
async function liveSocket(token: string): Promise<LiveClient> {
  const live = liveClient(app, `Bearer ${token}`);
  clients.push(live.client);
  live.client.subscribe(
    { query: SUBSCRIPTION },
    { next: () => undefined, error: () => undefined, complete: () => undefined },
  );
  await live.connected;
  return live;
}

/** Resolves with what the promise gives, or rejects when it takes longer than `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const late = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: still open after ${ms} ms`)), ms)),
  );
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** The stream ended with one UNAUTHENTICATED error and a completion, not just a dropped connection. */
function expectEndedUnauthenticated(text: string): void {
  const data = [...text.matchAll(/^event: next\ndata: (.+)$/gm)].map((match) => JSON.parse(match[1]!));
  expect(data.at(-1)?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  expect(text).toMatch(/event: complete\n/);
}

const fresh = (role: Actor['role'] = 'viewer') => createUser(app, actors.admin, role);

describe('subscriptions over SSE', () => {
  it('deliver events, then end on logout', async () => {
    const user = await fresh();
    const monitorId = (await createMonitor(app.testDb.db, { name: 'sse', paused: true })).id;
    const stream = await sseSubscription(
      user.token,
      `subscription { checkCompleted(monitorId: "${monitorId}") { monitorId isUp } }`,
    );
    await writer.insert(monitorId, [true]);
    await expect.poll(stream.text).toContain(`{"data":{"checkCompleted":{"monitorId":"${monitorId}","isUp":true}}}`);
    expect((await as(app, user.token).call('POST', '/api/auth/deconnexion')).status).toBe(204);
    expectEndedUnauthenticated(await within(stream.ended, PROMPTLY_MS, 'SSE after logout'));
  });

  it('end when their API key is revoked, and only those', async () => {
    const user = await fresh();
    const revokedKey = await createApiKey(app, user, 'viewer');
    const keptKey = await createApiKey(app, user, 'viewer');
    const stream = await sseSubscription(revokedKey.secret);
    const kept = await sseSubscription(keptKey.secret);
    expect((await as(app, user.token).call('DELETE', `/api/cles-api/${revokedKey.id}`)).status).toBe(200);
    expectEndedUnauthenticated(await within(stream.ended, PROMPTLY_MS, 'SSE after key revocation'));
    const stillOpen = await Promise.race([
      kept.ended.then(() => false),
      new Promise((resolve) => setTimeout(() => resolve(true), 300)),
    ]);
    expect(stillOpen).toBe(true);
    // A client that leaves frees its place in the event hub.
    kept.close();
    await expect.poll(() => app.events.subscriberCount).toBe(0);
  });

  it('end when their user is deleted (session and API key alike)', async () => {
    const user = await fresh();
    const key = await createApiKey(app, user, 'viewer');
    const bySession = await sseSubscription(user.token);
    const byKey = await sseSubscription(key.secret);
    expect((await as(app, actors.admin.token).call('DELETE', `/api/utilisateurs/${user.id}`)).status).toBe(204);
    expectEndedUnauthenticated(await within(bySession.ended, PROMPTLY_MS, 'SSE (session) after user deletion'));
    expectEndedUnauthenticated(await within(byKey.ended, PROMPTLY_MS, 'SSE (key) after user deletion'));
  });

  it('end when their user is given another role', async () => {
    const user = await fresh();
    const stream = await sseSubscription(user.token);
    expect(
      (await as(app, actors.admin.token).call('PATCH', `/api/utilisateurs/${user.id}`, { role: 'editor' })).status,
    ).toBe(200);
    expectEndedUnauthenticated(await within(stream.ended, PROMPTLY_MS, 'SSE after role change'));
  });
});

describe('session expiry', () => {
  it('closes a WebSocket and ends an SSE stream when their session expires', async () => {
    const user = await fresh();
    // The shortest configurable session is an hour: make this one end in two seconds.
    await app.testDb.db.query(
      `UPDATE monitoring.sessions SET expire_a = now() + interval '2 seconds' WHERE utilisateur_id = $1`,
      [user.id],
    );
    const socket = await liveSocket(user.token);
    const stream = await sseSubscription(user.token);
    expect(await within(socket.closed, PROMPTLY_MS, 'WebSocket past its session expiry')).toBe(4401);
    expectEndedUnauthenticated(await within(stream.ended, PROMPTLY_MS, 'SSE past its session expiry'));
    expect((await as(app, user.token).call('GET', '/api/cles-api')).status).toBe(401);
  });
});

// The embedded database runs in-process: it has no LISTEN connection that could be lost.
describe.runIf(testDbKind === 'postgres')('a LISTEN reconnect', () => {
  it('still closes the sockets of a session revoked while the LISTEN connection was down', async () => {
    const user = await fresh();
    const socket = await liveSocket(user.token);
    const stream = await sseSubscription(user.token);
    // Wait until the backend is gone, so the logout's NOTIFY reaches no one; the server reconnects 100 ms later.
    const { rows } = await app.testDb.db.query<{ terminated: boolean }>(
      `SELECT pg_terminate_backend(pid, 5000) AS terminated FROM pg_stat_activity
        WHERE application_name = 'vigie-listen' AND datname = current_database()`,
    );
    expect(rows.map((row) => row.terminated)).toEqual([true]);
    expect((await as(app, user.token).call('POST', '/api/auth/deconnexion')).status).toBe(204);
    expect(await within(socket.closed, PROMPTLY_MS, 'WebSocket revoked during a LISTEN reconnect')).toBe(4401);
    expectEndedUnauthenticated(await within(stream.ended, PROMPTLY_MS, 'SSE revoked during a LISTEN reconnect'));
  });
});

describe('a password change with many sessions', () => {
  it('answers, revokes all 300 other sessions and closes all their sockets', async () => {
    const user = await fresh();
    // 299 more sessions, as if logged in from 299 places (300 logins would spend 15 s hashing passwords).
    const expiresAt = new Date(Date.now() + 3_600_000);
    const ids = Array.from({ length: 300 }, () => randomUUID());
    await app.testDb.db.query(
      `INSERT INTO monitoring.sessions (id, utilisateur_id, expire_a) SELECT id, $2, $3 FROM unnest($1::uuid[]) AS id`,
      [ids, user.id, expiresAt],
    );
    const secret = new TextEncoder().encode(SESSION_SECRET);
    const tokens = await Promise.all(ids.map((id) => signSessionToken(secret, { id, userId: user.id, expiresAt })));
    const sockets = await Promise.all(tokens.map((token) => liveSocket(token)));
    const changed = await as(app, user.token).call('PUT', '/api/auth/mot-de-passe', {
      mot_de_passe_actuel: user.password,
      nouveau_mot_de_passe: 'a new password after 300 sessions',
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(204);
    const codes = await within(
      Promise.all(sockets.map((socket) => socket.closed)),
      PROMPTLY_MS * 2,
      'sockets after the password change',
    );
    expect(new Set(codes)).toEqual(new Set([4401]));
    const { rows } = await app.testDb.db.query<{ live: number }>(
      `SELECT count(*)::int AS live FROM monitoring.sessions WHERE utilisateur_id = $1 AND revoquee_a IS NULL`,
      [user.id],
    );
    expect(rows[0]!.live).toBe(1);
    const after = await as(app, user.token).call('GET', '/api/cles-api');
    expect(after.status, JSON.stringify(after.body)).toBe(200);
  }, 30_000);
});
