// The headers every answer carries (API, GraphQL, metrics, files, errors, 404s), the dashboard pages' and
// GraphiQL's own Content-Security-Policy, and files' caching.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';

const EVERY_ANSWER = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

let app: TestApp;
let clientDir: string;

beforeAll(async () => {
  clientDir = mkdtempSync(join(tmpdir(), 'vigie-client-'));
  mkdirSync(join(clientDir, 'assets'));
  writeFileSync(
    join(clientDir, 'index.html'),
    '<!doctype html><title>Vigie</title><script type="module" src="/assets/main-1a2b3c.js"></script>',
  );
  writeFileSync(join(clientDir, 'status.html'), '<!doctype html><title>Status</title>');
  writeFileSync(join(clientDir, 'assets', 'main-1a2b3c.js'), 'console.log("vigie");');
  app = await startTestApp({}, { app: { clientDir } });
});

afterAll(async () => {
  await app?.close();
  rmSync(clientDir, { recursive: true, force: true });
});

function headersOf(response: Response): Record<string, string> {
  return Object.fromEntries(response.headers);
}

const graphqlPost = (query: string) =>
  app.request('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });

describe('security headers', () => {
  it.each([
    ['GET /api/etat', () => app.request('/api/etat'), 200],
    ['GET /api/moniteurs', () => app.request('/api/moniteurs'), 200],
    ['an unknown API endpoint', () => app.request('/api/nothing-here'), 404],
    ['a method a route does not take', () => app.request('/api/verifier', { method: 'PATCH' }), 405],
    ['an invalid body', () => app.request('/api/moniteurs', { method: 'POST', body: '{' }), 400],
    ['an unknown file', () => app.request('/nothing-here.txt'), 404],
    ['a GraphQL query', () => graphqlPost('{ health { ok } }'), 200],
    ['a GraphQL error', () => graphqlPost('{ nothing }'), 200],
    ['GET /metrics', () => app.request('/metrics'), 200],
    ['POST /metrics', () => app.request('/metrics', { method: 'POST' }), 405],
  ] as Array<[string, () => Promise<Response>, number]>)(
    '%s: nosniff, no framing, no referrer, no-store',
    async (_name, send, status) => {
      const response = await send();
      await response.arrayBuffer();
      expect(response.status).toBe(status);
      const headers = headersOf(response);
      expect(headers).toMatchObject({ ...EVERY_ANSWER, 'cache-control': 'no-store' });
      expect(headers['content-security-policy']).toBe(
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      );
    },
  );

  it('gives the dashboard pages their own policy, which forbids framing too', async () => {
    for (const path of ['/', '/monitors/7', '/status']) {
      const response = await app.request(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const headers = headersOf(response);
      expect(headers).toMatchObject({ ...EVERY_ANSWER, 'cache-control': 'no-cache' });
      const policy = headers['content-security-policy']!;
      expect(policy).toContain("script-src 'self'");
      expect(policy).toContain("connect-src 'self'");
      expect(policy).toContain("frame-ancestors 'none'");
    }
  });

  it('lets hashed assets be cached for good, still with the common headers', async () => {
    const response = await app.request('/assets/main-1a2b3c.js');
    expect(await response.text()).toBe('console.log("vigie");');
    expect(headersOf(response)).toMatchObject({
      ...EVERY_ANSWER,
      'cache-control': 'public, max-age=31536000, immutable',
    });
    const again = await app.request('/assets/main-1a2b3c.js', {
      headers: { 'if-none-match': response.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
    expect(headersOf(again)).toMatchObject(EVERY_ANSWER);
  });

  it('lets GraphiQL run its inline page, and only GraphiQL', async () => {
    const page = await app.request('/graphql', { headers: { accept: 'text/html' } });
    expect(await page.text()).toContain('renderYogaGraphiQL');
    const headers = headersOf(page);
    expect(headers).toMatchObject(EVERY_ANSWER);
    const policy = headers['content-security-policy']!;
    expect(policy).toContain("script-src 'unsafe-inline';");
    // Nothing from another origin (GraphiQL comes from the installed package).
    expect(policy).not.toMatch(/https?:/);
    expect(policy).toContain("frame-ancestors 'none'");
    // the same path answering JSON keeps the strict policy
    const json = await app.request(`/graphql?query=${encodeURIComponent('{ health { ok } }')}`);
    expect(json.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
  });

  it('sends them with the 400 answer to a request that is not HTTP', async () => {
    const url = new URL(app.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString('latin1')));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toContain('X-Frame-Options: DENY\r\n');
    expect(answer).toContain('X-Content-Type-Options: nosniff\r\n');
  });
});
