// HTTP(S) checks against loopback targets: statuses, timeouts, bodies, keywords, redirects, TLS, timings, sockets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../server/checks/index.ts';
import type { CheckOutcome, HttpCheckSettings } from '../../server/checks/index.ts';
import {
  BIG_BODY_HEAD,
  BIG_BODY_TAIL,
  closedPort,
  startHttpsTarget,
  startHttpTarget,
  startSilentTcpTarget,
  type HttpsTarget,
  type HttpTarget,
} from '../helpers/targets.ts';

function checkUrl(url: string, http: Partial<HttpCheckSettings> = {}, timeoutMs = 3000): Promise<CheckOutcome> {
  return runCheck({ kind: 'http', target: url, timeoutMs, http });
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = performance.now();
  const result = await work();
  return { result, ms: performance.now() - start };
}

/** Waits until the target has no open connection left (the check must not leave one behind). */
async function expectNoOpenSockets(target: HttpTarget): Promise<void> {
  const until = Date.now() + 1000;
  while (target.openSockets > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(target.openSockets).toBe(0);
}

let target: HttpTarget;
let other: HttpTarget;

beforeAll(async () => {
  [target, other] = await Promise.all([startHttpTarget(), startHttpTarget()]);
});

afterAll(async () => {
  await Promise.all([target.close(), other.close()]);
});

describe('status codes', () => {
  it('is up on 200 and reports the target as given', async () => {
    const before = Date.now();
    const outcome = await checkUrl(`${target.url}/`);
    expect(outcome).toMatchObject({ isUp: true, httpStatus: 200, cause: null, error: null, target: `${target.url}/` });
    expect(Number.isInteger(outcome.latencyMs)).toBe(true);
    expect(outcome.checkedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(outcome.certificateDaysLeft).toBeNull();
    expect(outcome.certificateExpiresAt).toBeNull();
  });

  it.each([404, 500])('is down on %i with cause http_status', async (code) => {
    const outcome = await checkUrl(`${target.url}/status/${code}`);
    expect(outcome).toMatchObject({ isUp: false, httpStatus: code, cause: 'http_status', error: `HTTP ${code}` });
  });

  it('follows the status the target is set to', async () => {
    const own = await startHttpTarget();
    try {
      own.setStatus(503);
      expect(await checkUrl(own.url)).toMatchObject({ isUp: false, httpStatus: 503, error: 'HTTP 503' });
      own.setStatus(200);
      expect(await checkUrl(own.url)).toMatchObject({ isUp: true, httpStatus: 200 });
    } finally {
      await own.close();
    }
  });

  it('accepts the expected statuses given instead of 200-399', async () => {
    expect(await checkUrl(`${target.url}/status/404`, { expectedStatus: [[404, 404]] })).toMatchObject({ isUp: true });
    const only200Or204: Array<[number, number]> = [
      [200, 200],
      [204, 204],
    ];
    expect(await checkUrl(`${target.url}/status/204`, { expectedStatus: only200Or204 })).toMatchObject({ isUp: true });
    expect(await checkUrl(`${target.url}/status/201`, { expectedStatus: only200Or204 })).toMatchObject({
      isUp: false,
      cause: 'http_status',
      error: 'HTTP 201',
    });
  });

  it('rejects an invalid URL or a disallowed scheme without a request', async () => {
    expect(await checkUrl('not a url')).toMatchObject({ isUp: false, cause: 'invalid_target', httpStatus: null });
    const file = await checkUrl('file:///etc/passwd');
    expect(file).toMatchObject({ isUp: false, cause: 'invalid_target' });
    expect(file.error).toMatch(/scheme "file" is not allowed/);
  });
});

describe('timeouts', () => {
  it('is up when a slow answer comes within the timeout, with the delay in the latency', async () => {
    const outcome = await checkUrl(`${target.url}/slow/300`, {}, 2000);
    expect(outcome).toMatchObject({ isUp: true, httpStatus: 200 });
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(300);
    expect(outcome.timings?.firstByteMs).toBeGreaterThanOrEqual(290);
  });

  it('times out when the answer comes after the timeout', async () => {
    const { result, ms } = await timed(() => checkUrl(`${target.url}/slow/3000`, {}, 300));
    expect(result).toMatchObject({ isUp: false, cause: 'timeout', error: 'timeout after 0.3 s', httpStatus: null });
    expect(ms).toBeLessThan(1300);
    await expectNoOpenSockets(target);
  });

  it('times out against a server that never answers, in about the timeout', async () => {
    const { result, ms } = await timed(() => checkUrl(`${target.url}/hang`, {}, 500));
    expect(result).toMatchObject({ isUp: false, cause: 'timeout', error: 'timeout after 0.5 s' });
    expect(ms).toBeGreaterThanOrEqual(490);
    expect(ms).toBeLessThan(1500);
    expect(result.latencyMs).toBeGreaterThanOrEqual(490);
    await expectNoOpenSockets(target);
  });

  it('ends at once, closing its connection, when its signal is aborted (shutdown abandons it)', async () => {
    const abandon = new AbortController();
    setTimeout(() => abandon.abort(), 200);
    const { result, ms } = await timed(() =>
      runCheck({ kind: 'http', target: `${target.url}/hang`, timeoutMs: 5000, signal: abandon.signal }),
    );
    expect(result).toMatchObject({ isUp: false, cause: 'error', error: 'check abandoned (shutdown)' });
    expect(ms).toBeLessThan(1500);
    await expectNoOpenSockets(target);
  });

  it('times out when the connection itself never opens', async () => {
    const silent = await startSilentTcpTarget();
    try {
      const { result, ms } = await timed(() => checkUrl(`http://${silent.host}:${silent.port}/`, {}, 300));
      expect(result).toMatchObject({ isUp: false, cause: 'timeout' });
      expect(ms).toBeLessThan(1300);
    } finally {
      await silent.close();
    }
  });

  it('counts redirects against the same single deadline', async () => {
    const outcome = await checkUrl(`${target.url}/redirect?to=/slow/3000`, {}, 400);
    expect(outcome).toMatchObject({ isUp: false, cause: 'timeout', error: 'timeout after 0.4 s' });
  });
});

describe('bodies and keywords', () => {
  const page = 'status: all systems OK, version 1.2.3';
  let keywordTarget: HttpTarget;
  beforeAll(async () => {
    keywordTarget = await startHttpTarget();
    keywordTarget.setBody(page);
  });
  afterAll(() => keywordTarget.close());

  it('is up when the keyword is present and down, naming it, when it is missing', async () => {
    expect(await checkUrl(keywordTarget.url, { keyword: 'all systems OK' })).toMatchObject({ isUp: true });
    expect(await checkUrl(keywordTarget.url, { keyword: 'MISSING' })).toMatchObject({
      isUp: false,
      httpStatus: 200,
      cause: 'keyword',
      error: "keyword 'MISSING' missing",
    });
  });

  it('matches a regular expression keyword', async () => {
    expect(await checkUrl(keywordTarget.url, { keyword: 'version \\d+\\.\\d+', keywordIsRegex: true })).toMatchObject({
      isUp: true,
    });
    expect(await checkUrl(keywordTarget.url, { keyword: '^version', keywordIsRegex: true })).toMatchObject({
      isUp: false,
      cause: 'keyword',
    });
    // Not a regex unless asked: the dot is literal here.
    expect(await checkUrl(keywordTarget.url, { keyword: 'version 1x2' })).toMatchObject({ isUp: false });
  });

  it('fails when a keyword that must be absent is present', async () => {
    expect(await checkUrl(keywordTarget.url, { keyword: 'ERROR', keywordMustBeAbsent: true })).toMatchObject({
      isUp: true,
    });
    expect(await checkUrl(keywordTarget.url, { keyword: 'OK', keywordMustBeAbsent: true })).toMatchObject({
      isUp: false,
      cause: 'keyword',
      error: "keyword 'OK' present",
    });
  });

  it('reports an invalid regular expression as an invalid target', async () => {
    const outcome = await checkUrl(keywordTarget.url, { keyword: '(unclosed', keywordIsRegex: true });
    expect(outcome).toMatchObject({ isUp: false, cause: 'invalid_target' });
    expect(outcome.error).toMatch(/not a valid regular expression/);
  });

  it('searches only the first MiB of the body', async () => {
    expect(await checkUrl(`${target.url}/big`, { keyword: BIG_BODY_HEAD })).toMatchObject({ isUp: true });
    expect(await checkUrl(`${target.url}/big`, { keyword: BIG_BODY_TAIL })).toMatchObject({
      isUp: false,
      cause: 'keyword',
    });
  });

  it('stops reading an endless body at 1 MiB, quickly and without growing memory', async () => {
    const rssBefore = process.memoryUsage().rss;
    for (let i = 0; i < 3; i++) {
      const { result, ms } = await timed(() => checkUrl(`${target.url}/endless`, { keyword: 'NEEDLE' }, 10_000));
      expect(result).toMatchObject({
        isUp: false,
        httpStatus: 200,
        cause: 'keyword',
        error: "keyword 'NEEDLE' missing",
      });
      expect(ms).toBeLessThan(3000);
    }
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);
    await expectNoOpenSockets(target);
  });

  it('never reads an endless body when no keyword is set', async () => {
    const { result, ms } = await timed(() => checkUrl(`${target.url}/endless`, {}, 10_000));
    expect(result).toMatchObject({ isUp: true, httpStatus: 200 });
    expect(ms).toBeLessThan(1000);
    await expectNoOpenSockets(target);
  });
});

describe('redirects', () => {
  it('follows a redirect and judges the final response', async () => {
    const before = target.requests;
    expect(await checkUrl(`${target.url}/redirect?to=/status/200`)).toMatchObject({ isUp: true, httpStatus: 200 });
    expect(target.requests - before).toBe(2);
    expect(await checkUrl(`${target.url}/redirect?to=/status/500`)).toMatchObject({ isUp: false, httpStatus: 500 });
  });

  it('judges the redirect itself when not following', async () => {
    const outcome = await checkUrl(`${target.url}/redirect?to=/status/500`, { followRedirects: false });
    expect(outcome).toMatchObject({ isUp: true, httpStatus: 302 });
  });

  it('follows up to 10 redirects and fails on more or on a loop', async () => {
    expect(await checkUrl(`${target.url}/hops/10`)).toMatchObject({ isUp: true, httpStatus: 200 });
    const tooMany = await checkUrl(`${target.url}/hops/11`);
    expect(tooMany).toMatchObject({ isUp: false, cause: 'redirect', httpStatus: 302 });
    expect(tooMany.error).toMatch(/too many redirects/);
    const loop = await checkUrl(`${target.url}/loop`);
    expect(loop).toMatchObject({ isUp: false, cause: 'redirect' });
    expect(loop.error).toMatch(/loop/);
  });

  it.each(['file:///etc/passwd', 'javascript:alert(1)', 'data:text/plain,hi', 'ftp://127.0.0.1/'])(
    'never follows a redirect to %s',
    async (location) => {
      const outcome = await checkUrl(`${target.url}/redirect?to=${encodeURIComponent(location)}`);
      expect(outcome).toMatchObject({ isUp: false, cause: 'redirect', httpStatus: 302 });
      expect(outcome.error).toContain(new URL(location).protocol);
    },
  );

  it('turns a POST into a GET on 303 and keeps it on 307', async () => {
    await checkUrl(`${target.url}/redirect?status=303&to=/status/200`, { method: 'POST', body: 'payload' });
    expect(target.seen.at(-1)).toMatchObject({ method: 'GET', path: '/status/200', body: '' });
    await checkUrl(`${target.url}/redirect?status=307&to=/status/200`, { method: 'POST', body: 'payload' });
    expect(target.seen.at(-1)).toMatchObject({ method: 'POST', path: '/status/200', body: 'payload' });
  });

  it('sends none of the headers it was given to another origin after a redirect (another port is another origin)', async () => {
    const headers = { Authorization: 'Bearer secret', 'X-Api-Key': 'k3y', 'X-Trace': 't1' };
    const to = encodeURIComponent(`${other.url}/status/200`);
    expect(await checkUrl(`${target.url}/redirect?to=${to}`, { headers })).toMatchObject({ isUp: true });
    expect(target.seen.at(-1)?.headers).toMatchObject({
      authorization: 'Bearer secret',
      'x-api-key': 'k3y',
      'x-trace': 't1',
    });
    const arrived = other.seen.at(-1)!;
    expect(arrived.path).toBe('/status/200');
    expect(arrived.headers.authorization).toBeUndefined();
    expect(arrived.headers['x-api-key']).toBeUndefined();
    expect(arrived.headers['x-trace']).toBeUndefined();
    // Within the origin they all follow.
    await checkUrl(`${target.url}/redirect?to=${encodeURIComponent('/status/204')}`, { headers });
    expect(target.seen.at(-1)).toMatchObject({
      path: '/status/204',
      headers: { authorization: 'Bearer secret', 'x-api-key': 'k3y', 'x-trace': 't1' },
    });
  });
});

describe('requests', () => {
  it('sends the method, headers and body given', async () => {
    await checkUrl(`${target.url}/status/200`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Probe': 'vigie' },
      body: '{"ping":true}',
    });
    const seen = target.seen.at(-1);
    expect(seen).toMatchObject({ method: 'POST', path: '/status/200', body: '{"ping":true}' });
    expect(seen?.headers['x-probe']).toBe('vigie');
    expect(seen?.headers['content-type']).toBe('application/json');
    expect(seen?.headers.connection).toBe('close');
  });

  it('opens a fresh connection for every check', async () => {
    const connectionsBefore = target.connections;
    const seenBefore = target.seen.length;
    for (let i = 0; i < 3; i++) expect((await checkUrl(`${target.url}/`)).isUp).toBe(true);
    expect(target.connections - connectionsBefore).toBe(3);
    const socketIds = target.seen.slice(seenBefore).map((seen) => seen.socketId);
    expect(new Set(socketIds).size).toBe(3);
    await expectNoOpenSockets(target);
  });

  it('refuses header values that would inject a header, without sending anything', async () => {
    const before = target.connections;
    const outcome = await checkUrl(`${target.url}/`, { headers: { 'X-Evil': 'a\r\nInjected: 1' } });
    expect(outcome).toMatchObject({ isUp: false, cause: 'invalid_target' });
    expect(target.connections).toBe(before);
  });

  it('reports a refused connection', async () => {
    const port = await closedPort();
    const outcome = await checkUrl(`http://127.0.0.1:${port}/`);
    expect(outcome).toMatchObject({ isUp: false, cause: 'refused', httpStatus: null });
    expect(outcome.error).toMatch(/ECONNREFUSED/);
  });

  it('reports phase timings for plain HTTP', async () => {
    const outcome = await checkUrl(`${target.url}/`);
    expect(outcome.timings).toMatchObject({ dnsMs: null, tlsMs: null });
    expect(outcome.timings?.connectMs).toBeTypeOf('number');
    expect(outcome.timings?.firstByteMs).toBeTypeOf('number');
    expect(outcome.timings?.totalMs).toBe(outcome.latencyMs);
  });
});

describe('HTTPS', () => {
  let secure: HttpsTarget;
  let expired: HttpsTarget;
  beforeAll(async () => {
    [secure, expired] = await Promise.all([startHttpsTarget({ validDays: 30 }), startHttpsTarget({ validDays: -2 })]);
  });
  afterAll(() => Promise.all([secure.close(), expired.close()]));

  it('fails on a self-signed certificate by default, naming the OpenSSL code', async () => {
    const outcome = await checkUrl(`${secure.url}/`);
    expect(outcome).toMatchObject({ isUp: false, cause: 'tls', httpStatus: null });
    expect(outcome.error).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
    await expectNoOpenSockets(secure);
  });

  it('accepts it with ignoreTlsErrors and still reports the days left and TLS timings', async () => {
    const outcome = await checkUrl(`${secure.url}/`, { ignoreTlsErrors: true });
    expect(outcome).toMatchObject({ isUp: true, httpStatus: 200 });
    expect([29, 30]).toContain(outcome.certificateDaysLeft);
    const expiresIn = (outcome.certificateExpiresAt?.getTime() ?? 0) - Date.now();
    expect(expiresIn / 86_400_000).toBeGreaterThan(29);
    expect(expiresIn / 86_400_000).toBeLessThan(31);
    expect(outcome.timings?.connectMs).toBeTypeOf('number');
    expect(outcome.timings?.tlsMs).toBeTypeOf('number');
    expect(outcome.timings?.firstByteMs).toBeTypeOf('number');
  });

  it('reports the DNS phase when the host is a name', async () => {
    const outcome = await checkUrl(`https://localhost:${secure.port}/`, { ignoreTlsErrors: true });
    expect(outcome.isUp).toBe(true);
    expect(outcome.timings?.dnsMs).toBeTypeOf('number');
  });

  it('reports negative days left for an expired certificate', async () => {
    const outcome = await checkUrl(`${expired.url}/`, { ignoreTlsErrors: true });
    expect(outcome.isUp).toBe(true);
    expect(outcome.certificateDaysLeft).toBeLessThan(0);
  });

  it('reports a TLS failure when talking TLS to a plain HTTP port', async () => {
    const outcome = await checkUrl(`https://127.0.0.1:${target.port}/`);
    expect(outcome).toMatchObject({ isUp: false, cause: 'tls' });
  });
});
