// Documents built to cost the server CPU (tests/helpers/hostile-documents.ts), sent by an anonymous client over
// HTTP, by a logged-in one over graphql-ws and as SSE subscriptions: each is refused with its code, quickly, and
// the server answers others meanwhile. `npm run bench:limits` prints the in-process figures (target < 50 ms).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActors, liveClient, type LiveClient } from '../auth/support.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { postGraphQL, type GraphQLResponse } from '../helpers/graphql.ts';
import WebSocket from 'ws';
import {
  hostileBodies,
  hostileDocuments,
  HOSTILE_BODY_BYTES,
  type HostileDocument,
} from '../helpers/hostile-documents.ts';

/** Wall time around each request on loopback: generous for two loaded cores, far below the seconds of before. */
const MAX_MS = 250;

let app: TestApp;
let live: LiveClient;

beforeAll(async () => {
  app = await startTestApp({ AUTH_DISABLED: 'false' });
  const { viewer } = await createActors(app);
  live = liveClient(app, `Bearer ${viewer.token}`);
}, 60_000);

afterAll(async () => {
  await live?.client.dispose();
  await app?.close();
});

const anonymous = (query: string, variables?: Record<string, unknown>) =>
  postGraphQL((path, init) => app.request(path, init), query, variables);

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await run();
  return { value, ms: performance.now() - started };
}

/** The errors a graphql-ws operation ended with (an answer's errors, or the refusal of the operation). */
function overWebSocket(query: string, variables?: Record<string, unknown>): Promise<unknown[]> {
  return new Promise((resolve) => {
    const errors: unknown[] = [];
    live.client.subscribe(
      { query, variables },
      {
        next: (value) => void errors.push(...(value.errors ?? [])),
        error: (error) => resolve(Array.isArray(error) ? error : [error]),
        complete: () => resolve(errors),
      },
    );
  });
}

/** The distinct codes of errors (the standard validation reports up to 100 errors of one kind). */
const codes = (errors: readonly unknown[] | undefined) => [
  ...new Set((errors ?? []).map((error) => (error as { extensions?: { code?: string } }).extensions?.code)),
];

const refused = hostileDocuments().filter((document) => document.code !== 'none');

it('every document fits in a request body', () => {
  for (const document of hostileDocuments()) {
    expect(JSON.stringify({ query: document.query, variables: document.variables }).length).toBeLessThanOrEqual(
      HOSTILE_BODY_BYTES + 1024,
    );
  }
});

describe('over HTTP, anonymous', () => {
  it.each(refused.map((document) => [document.name, document] as const))(
    'refuses %s quickly',
    async (_, document: HostileDocument) => {
      await anonymous(document.query, document.variables); // the first request of a shape warms the code paths
      const { value, ms } = await timed(() => anonymous(document.query, document.variables));
      expect(value.data ?? null).toBeNull();
      expect(codes(value.errors), JSON.stringify(value.errors).slice(0, 500)).toEqual([document.code]);
      expect([200, 400]).toContain(value.status);
      expect(ms, `${document.name} took ${ms.toFixed(0)} ms`).toBeLessThan(MAX_MS);
    },
  );

  it('answers the largest harmless shape quickly', async () => {
    for (const document of hostileDocuments().filter((each) => each.code === 'none')) {
      await anonymous(document.query);
      const { value, ms } = await timed(() => anonymous(document.query));
      expect(value.errors).toBeUndefined();
      expect(ms, `${document.name} took ${ms.toFixed(0)} ms`).toBeLessThan(MAX_MS);
    }
  });

  it('keeps answering /api/etat while hostile documents arrive', async () => {
    const storm = Promise.all(refused.slice(0, 6).map((document) => anonymous(document.query, document.variables)));
    const { value, ms } = await timed(() => app.request('/api/etat'));
    expect(value.status).toBe(200);
    await storm;
    expect(ms).toBeLessThan(MAX_MS * 4);
  });
});

describe('over graphql-ws', () => {
  it.each(refused.map((document) => [document.name, document] as const))(
    'refuses %s quickly',
    async (_, document: HostileDocument) => {
      await overWebSocket(document.query, document.variables);
      const { value, ms } = await timed(() => overWebSocket(document.query, document.variables));
      expect(codes(value), JSON.stringify(value).slice(0, 500)).toEqual([document.code]);
      expect(ms, `${document.name} took ${ms.toFixed(0)} ms`).toBeLessThan(MAX_MS);
    },
  );
});

/** Subscriptions the same way: their fragments, their depth, their cost. */
const SUBSCRIPTIONS: HostileDocument[] = [
  {
    name: 'fragments doubling under a subscription',
    query: `subscription { alertRaised { ...F24 } }\nfragment F0 on Alert { id kind }\n${Array.from(
      { length: 24 },
      (_, i) => `fragment F${i + 1} on Alert { ...F${i} ...F${i} }`,
    ).join('\n')}`,
    code: 'QUERY_TOO_COSTLY',
  },
  {
    name: 'a costly subscription',
    query:
      'subscription { alertRaised { monitor { alerts(first: 500) { monitor { results(first: 1000) { nodes { id isUp latencyMs checkedAt httpStatus } } } } } } }',
    code: 'QUERY_TOO_COSTLY',
  },
  {
    name: 'a deep subscription',
    query: `subscription { alertRaised { ${'monitor { alerts { '.repeat(6)} id ${'} } '.repeat(6)} } }`,
    code: 'QUERY_TOO_DEEP',
  },
];

describe('subscriptions', () => {
  it.each(SUBSCRIPTIONS.map((document) => [document.name, document] as const))(
    'refuses %s over graphql-ws',
    async (_, document) => {
      const { value, ms } = await timed(() => overWebSocket(document.query));
      expect(codes(value), JSON.stringify(value).slice(0, 500)).toEqual([document.code]);
      expect(ms).toBeLessThan(MAX_MS);
    },
  );

  it.each(SUBSCRIPTIONS.map((document) => [document.name, document] as const))(
    'refuses %s over SSE, anonymous',
    async (_, document) => {
      const { value, ms } = await timed(async () => {
        const response = await app.request('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
          body: JSON.stringify({ query: document.query }),
        });
        return { status: response.status, text: await response.text() };
      });
      const events = value.text
        .split('\n')
        .filter((line) => line.startsWith('data:') && line.length > 6)
        .map((line) => JSON.parse(line.slice(5)) as GraphQLResponse);
      expect(codes(events.flatMap((event) => event.errors ?? [])), value.text.slice(0, 500)).toEqual([document.code]);
      expect(ms).toBeLessThan(MAX_MS);
    },
  );
});

describe('JSON bodies that V8 parses slowly', () => {
  const post = (path: string, body: string) =>
    timed(async () => {
      const response = await app.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      return { status: response.status, json: (await response.json()) as { erreur?: string; errors?: unknown[] } };
    });

  it.each(hostileBodies().map((each) => [each.name, each.body] as const))(
    'refuses %s on /graphql, on REST and over graphql-ws',
    async (_, body) => {
      expect(body.length).toBeLessThanOrEqual(HOSTILE_BODY_BYTES);
      const graphql = await post('/graphql', body);
      expect(graphql.value.status).toBe(400);
      expect(codes(graphql.value.json.errors)).toEqual(['BAD_REQUEST']);
      expect(graphql.ms).toBeLessThan(MAX_MS);

      const login = await post('/api/auth/connexion', body);
      expect(login.value.status).toBe(400);
      expect(login.value.json.erreur).toMatch(/^request body refused: JSON /);
      expect(login.ms).toBeLessThan(MAX_MS);

      const socket = new WebSocket(`${app.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      const { value: closed, ms } = await timed(
        () =>
          new Promise<{ code: number; reason: string }>((resolve) => {
            socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
            socket.send(body);
          }),
      );
      expect(closed.code).toBe(4400);
      expect(closed.reason).toMatch(/^message refused: JSON /);
      expect(ms).toBeLessThan(MAX_MS);
    },
  );
});
