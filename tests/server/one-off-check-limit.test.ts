// One-off checks (POST /api/verifier, GraphQL checkUrl) are limited per client address, both APIs drawing on
// one allowance: X-Forwarded-For names that address only when a trusted proxy sends it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startHttpTarget, type HttpTarget } from '../helpers/targets.ts';

let target: HttpTarget;
const apps: TestApp[] = [];

beforeAll(async () => {
  target = await startHttpTarget();
});

afterAll(async () => {
  await Promise.all([...apps.map((app) => app.close()), target?.close()]);
});

async function start(env: Record<string, string> = {}): Promise<TestApp> {
  const app = await startTestApp(env);
  apps.push(app);
  return app;
}

function verify(app: TestApp, forwardedFor?: string): Promise<Response> {
  const headers: Record<string, string> = forwardedFor ? { 'x-forwarded-for': forwardedFor } : {};
  return app.request('/api/verifier', { method: 'POST', headers, body: JSON.stringify({ url: `${target.url}/` }) });
}

async function checkUrl(
  app: TestApp,
): Promise<{ data: any; errors?: Array<{ message: string; extensions: Record<string, unknown> }> }> {
  const response = await app.request('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation ($url: String!) { checkUrl(url: $url) { isUp } }',
      variables: { url: `${target.url}/` },
    }),
  });
  return response.json();
}

describe('the one-off check limit', () => {
  it('allows 30 a minute from one address by default, REST and GraphQL together, then answers 429 with Retry-After', async () => {
    const app = await start();
    expect(app.config.oneOffChecksPerMinute).toBe(30);
    const requestsBefore = target.requests;
    for (let i = 0; i < 29; i++) expect((await verify(app)).status).toBe(200);
    expect((await checkUrl(app)).data).toEqual({ checkUrl: { isUp: true } });
    expect(target.requests - requestsBefore).toBe(30);

    const refused = await verify(app);
    expect(refused.status).toBe(429);
    const seconds = Number(refused.headers.get('retry-after'));
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(await refused.json()).toEqual({
      erreur: expect.stringMatching(/^too many one-off checks: at most 30 per minute; try again in \d+ s$/),
    });

    const graphql = await checkUrl(app);
    expect(graphql.data).toBeNull();
    expect(graphql.errors?.[0]).toMatchObject({
      extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) },
    });
    expect(graphql.errors?.[0]?.message).toMatch(/too many one-off checks/);
    // refused checks send nothing
    expect(target.requests - requestsBefore).toBe(30);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy: a spoofed address gets no fresh allowance', async () => {
    const app = await start({ VERIFICATIONS_PONCTUELLES_PAR_MINUTE: '2' });
    expect((await verify(app, '203.0.113.1')).status).toBe(200);
    expect((await verify(app, '203.0.113.2')).status).toBe(200);
    expect((await verify(app, '203.0.113.3')).status).toBe(429);
    expect((await verify(app)).status).toBe(429);
  });

  it('believes X-Forwarded-For from a trusted proxy: each client behind it has its own allowance', async () => {
    const app = await start({ VERIFICATIONS_PONCTUELLES_PAR_MINUTE: '2', PROXIES_DE_CONFIANCE: '127.0.0.1' });
    for (const client of ['203.0.113.1', '203.0.113.1']) expect((await verify(app, client)).status).toBe(200);
    expect((await verify(app, '203.0.113.1')).status).toBe(429);
    // a client's own X-Forwarded-For in front of the proxy's hop changes nothing: the proxy's last hop counts
    expect((await verify(app, '198.51.100.7, 203.0.113.1')).status).toBe(429);
    expect((await verify(app, '203.0.113.2')).status).toBe(200);
  });

  it('is off with VERIFICATIONS_PONCTUELLES_PAR_MINUTE=0', async () => {
    const app = await start({ VERIFICATIONS_PONCTUELLES_PAR_MINUTE: '0' });
    const statuses = await Promise.all(
      Array.from({ length: 35 }, () => verify(app).then((response) => response.status)),
    );
    expect(statuses.every((status) => status === 200)).toBe(true);
  });
});
