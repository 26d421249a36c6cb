// Bad input at the HTTP edge: bodies, URLs for /api/verifier, limits, ids, routes and methods. Each one gets a
// 4xx {"erreur": "..."} naming the problem, writes nothing, and the server keeps answering.
import http from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startHttpTarget, type HttpTarget } from '../helpers/targets.ts';
import { createMonitor } from '../helpers/factories.ts';
import { call, counts, moniteurBody } from './support.ts';

const MIB = 1024 * 1024;

interface Rejection {
  name: string;
  method: string;
  path: string;
  /** A string is sent as is (broken JSON); anything else as JSON. */
  body?: unknown;
  status: number;
  erreur: RegExp;
}

let app: TestApp;
let target: HttpTarget;
let existingId: number;
let snapshot: Record<string, number>;

beforeAll(async () => {
  // More than a minute's allowance of one-off checks goes to /api/verifier here (the limit has its own tests).
  [app, target] = await Promise.all([startTestApp({ VERIFICATIONS_PONCTUELLES_PAR_MINUTE: '0' }), startHttpTarget()]);
  // Paused, so the scheduler writes nothing while these tests count rows.
  existingId = (await createMonitor(app.testDb.db, { name: 'rest test', target: `${target.url}/`, paused: true })).id;
});

afterAll(async () => {
  await Promise.all([app?.close(), target?.close()]);
});

/** Sends the request and checks the 4xx and its {"erreur"} body. */
async function expectRejected(c: Omit<Rejection, 'name'>): Promise<string> {
  const response = await call(app, c.method, c.path, c.body);
  expect(response.status, JSON.stringify(response.body)).toBe(c.status);
  expect(Object.keys(response.body)).toEqual(['erreur']);
  expect(response.body.erreur).toMatch(c.erreur);
  expect(response.body.erreur).not.toMatch(/\n\s+at /); // never a stack trace
  return response.body.erreur;
}

describe('rejected without side effects', () => {
  beforeEach(async () => {
    snapshot = await counts(app);
  });

  afterEach(async () => {
    expect((await call(app, 'GET', '/api/etat')).status).toBe(200);
    expect(await counts(app)).toEqual(snapshot);
  });

  const verifier = (name: string, body: unknown, erreur: RegExp, status = 400): Rejection => ({
    name,
    method: 'POST',
    path: '/api/verifier',
    body,
    status,
    erreur,
  });

  const bodies: Rejection[] = [
    verifier('invalid JSON', '{"url": "http://127.0.0.1/"', /invalid JSON/i),
    verifier('an empty body', '', /body is empty/),
    verifier('a blank body', '  \n ', /body is empty/),
    verifier('a JSON array', '[{"url": "http://127.0.0.1/"}]', /JSON object/),
    verifier('a JSON string', '"http://127.0.0.1/"', /JSON object/),
    verifier('JSON null', 'null', /JSON object/),
    verifier('a JSON number', '42', /JSON object/),
    verifier('a missing url', {}, /^url: .*required/),
    verifier('a null url', { url: null }, /^url: .*required/),
    verifier('an empty url', { url: '' }, /^url: .*required/),
    verifier('a numeric url', { url: 42 }, /^url: must be a string/),
    verifier('an object url', { url: { href: 'http://127.0.0.1/' } }, /^url: must be a string/),
    verifier('an array url', { url: ['http://127.0.0.1/'] }, /^url: must be a string/),
    verifier('a boolean url', { url: true }, /^url: must be a string/),
    {
      name: 'invalid JSON for a monitor',
      method: 'POST',
      path: '/api/moniteurs',
      body: '{nom: x}',
      status: 400,
      erreur: /invalid JSON/i,
    },
    {
      name: 'an empty monitor body',
      method: 'POST',
      path: '/api/moniteurs',
      body: '',
      status: 400,
      erreur: /body is empty/,
    },
    {
      name: 'a JSON array as a monitor',
      method: 'POST',
      path: '/api/moniteurs',
      body: [],
      status: 400,
      erreur: /JSON object/,
    },
    {
      name: 'a JSON string as a monitor',
      method: 'POST',
      path: '/api/moniteurs',
      body: '"x"',
      status: 400,
      erreur: /JSON object/,
    },
    {
      name: 'a JSON array to PATCH',
      method: 'PATCH',
      path: '/api/moniteurs/:existing',
      body: [1],
      status: 400,
      erreur: /JSON object/,
    },
  ];

  const urls: Rejection[] = [
    ...[
      'file:///etc/passwd',
      'FILE:///etc/passwd',
      'gopher://127.0.0.1:70/_x',
      'ftp://127.0.0.1/pub',
      'data:text/plain,hello',
      'javascript:alert(1)',
      'ws://127.0.0.1/',
    ].map((url) =>
      verifier(
        `the scheme of ${url}`,
        { url },
        new RegExp(`^url: URL scheme "${url.split(':')[0]!.toLowerCase()}" is not allowed`),
      ),
    ),
    ...['http://', 'https://', 'http:///', 'http://:80/', 'not a url', '//127.0.0.1/'].map((url) =>
      verifier(`a URL with no host or scheme: ${url}`, { url }, /^url: .*not a valid URL/),
    ),
    verifier('a 300-character host', { url: `http://${'a'.repeat(300)}/` }, /^url: host is longer than 253 characters/),
    verifier(
      'a 300-character dotted host',
      { url: `http://${`${'a'.repeat(59)}.`.repeat(5)}com/` },
      /^url: host is longer than 253/,
    ),
    verifier(
      'a 64-character host label',
      { url: `http://${'a'.repeat(64)}.example/` },
      /^url: host label .* longer than 63/,
    ),
    verifier('a URL over 8192 characters', { url: `http://127.0.0.1/${'a'.repeat(9000)}` }, /^url: URL is too long/),
    verifier('a NUL byte in the url', { url: 'http://127.0.0.1/\u0000' }, /^url: .*NUL byte/),
  ];

  const sizes: Rejection[] = [
    verifier('a body over 1 MiB', JSON.stringify({ url: `http://127.0.0.1/?${'a'.repeat(MIB)}` }), /too large/, 413),
    verifier('a body of 1 MiB + 1 byte', `{}${' '.repeat(MIB - 1)}`, /too large.*1048576/, 413),
    // Exactly 1 MiB is still read (and then rejected for what it says, not for its size).
    {
      name: 'a body of exactly 1 MiB',
      method: 'POST',
      path: '/api/moniteurs',
      body: `{"nom": 5}${' '.repeat(MIB - 10)}`,
      status: 400,
      erreur: /^nom: must be a string/,
    },
  ];

  const limits: Rejection[] = ['-1', '-100', 'abc', '0', '1.5', '1e3', '10abc', '0x10', ' '].flatMap((limit) => [
    {
      name: `limit=${limit}`,
      method: 'GET',
      path: `/api/resultats?limit=${encodeURIComponent(limit)}`,
      status: 400,
      erreur: /^limit: /,
    },
    {
      name: `limit=${limit} of a monitor`,
      method: 'GET',
      path: `/api/moniteurs/:existing/resultats?limit=${encodeURIComponent(limit)}`,
      status: 400,
      erreur: /^limit: /,
    },
  ]);

  const unknownId = 987654;
  const ids: Rejection[] = [
    ...[
      ['GET', ''],
      ['PUT', ''],
      ['PATCH', ''],
      ['DELETE', ''],
      ['POST', '/pause'],
      ['POST', '/reprise'],
      ['GET', '/resultats'],
    ].map(([method, suffix]) => ({
      name: `${method} an unknown monitor${suffix}`,
      method: method!,
      path: `/api/moniteurs/${unknownId}${suffix}`,
      body: method === 'PUT' || method === 'PATCH' ? moniteurBody('http://127.0.0.1:9/') : undefined,
      status: 404,
      erreur: new RegExp(`monitor ${unknownId} does not exist`),
    })),
    ...['abc', '-1', '1.5', '1e3', '0x10', '9999999999', '%20', '%2F', '%00'].map((id) => ({
      name: `the id "${id}"`,
      method: 'GET',
      path: `/api/moniteurs/${id}`,
      status: 400,
      erreur: /^id: expected a positive whole number/,
    })),
    {
      name: 'a non-numeric id to PATCH',
      method: 'PATCH',
      path: '/api/moniteurs/abc',
      body: { nom: 'x' },
      status: 400,
      erreur: /^id: /,
    },
    { name: 'a non-numeric id to DELETE', method: 'DELETE', path: '/api/moniteurs/abc', status: 400, erreur: /^id: / },
    {
      name: 'a non-numeric id to pause',
      method: 'POST',
      path: '/api/moniteurs/abc/pause',
      status: 400,
      erreur: /^id: /,
    },
    {
      name: 'a malformed percent-encoding in the id',
      method: 'GET',
      path: '/api/moniteurs/%E0%A4%A',
      status: 400,
      erreur: /^id: /,
    },
  ];

  const routes: Rejection[] = [
    { name: 'an unknown route', method: 'GET', path: '/api/nope', status: 404, erreur: /\/api\/nope/ },
    {
      name: 'an unknown route with a body',
      method: 'POST',
      path: '/api/nope',
      body: { url: 'x' },
      status: 404,
      erreur: /\/api\/nope/,
    },
    {
      name: 'an unknown monitor sub-route',
      method: 'POST',
      path: '/api/moniteurs/1/redemarrer',
      status: 404,
      erreur: /redemarrer/,
    },
    { name: '/api itself', method: 'GET', path: '/api', status: 404, erreur: /\/api/ },
    {
      name: 'PATCH /api/verifier',
      method: 'PATCH',
      path: '/api/verifier',
      body: { url: 'http://127.0.0.1/' },
      status: 405,
      erreur: /PATCH.*\/api\/verifier/,
    },
    { name: 'GET /api/verifier', method: 'GET', path: '/api/verifier', status: 405, erreur: /GET/ },
    { name: 'PUT /api/resultats', method: 'PUT', path: '/api/resultats', body: {}, status: 405, erreur: /PUT/ },
    { name: 'DELETE /api/moniteurs', method: 'DELETE', path: '/api/moniteurs', status: 405, erreur: /DELETE/ },
    { name: 'GET on pause', method: 'GET', path: '/api/moniteurs/:existing/pause', status: 405, erreur: /GET/ },
  ];

  for (const [group, cases] of Object.entries({ bodies, urls, sizes, limits, ids, routes })) {
    describe(group, () => {
      it.each(cases.map((c) => [c.name, c] as const))('rejects %s', async (_name, c) => {
        await expectRejected({ ...c, path: c.path.replace(':existing', String(existingId)) });
      });
    });
  }

  it('names the allowed methods in the Allow header of a 405', async () => {
    expect((await call(app, 'PATCH', '/api/verifier', {})).headers.get('allow')).toBe('POST');
    expect((await call(app, 'DELETE', '/api/moniteurs')).headers.get('allow')).toBe('GET, HEAD, POST');
    expect((await call(app, 'POST', `/api/moniteurs/${existingId}`)).headers.get('allow')).toBe(
      'GET, HEAD, PUT, PATCH, DELETE',
    );
  });

  it('rejects a streamed (chunked) body over 1 MiB with 413', async () => {
    let sent = 0;
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 2 * MIB) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const response = await app.request('/api/verifier', {
      method: 'POST',
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ erreur: expect.stringMatching(/too large/) });
  });

  it('keeps a connection usable after a 413 on a streamed body', async () => {
    // One keep-alive socket: the second request must travel on the connection that got the 413.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const send = (path: string, chunks: Buffer[]) =>
      new Promise<{ status: number; body: string; socket: unknown }>((resolve, reject) => {
        const req = http.request(`${app.url}${path}`, { method: 'POST', agent }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode!, body, socket: req.socket }));
        });
        req.on('error', reject);
        for (const chunk of chunks) req.write(chunk);
        req.end();
      });
    try {
      const tooLarge = await send(
        '/api/verifier',
        Array.from({ length: 40 }, () => Buffer.alloc(64 * 1024, 'x')),
      );
      expect(tooLarge.status).toBe(413);
      const next = await Promise.race([
        send('/api/verifier', [Buffer.from('{}')]),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('no answer on the reused connection')), 2000),
        ),
      ]);
      expect(next.status).toBe(400);
      expect(JSON.parse(next.body).erreur).toMatch(/^url: /);
      expect(next.socket).toBe(tooLarge.socket);
    } finally {
      agent.destroy();
    }
  });

  it('answers a PUT to an unknown monitor with 404 without creating it', async () => {
    await expectRejected({
      method: 'PUT',
      path: '/api/moniteurs/4242',
      body: moniteurBody(`${target.url}/`, { nom: 'ghost' }),
      status: 404,
      erreur: /4242/,
    });
    const { rows } = await app.testDb.db.query(`SELECT 1 FROM monitoring.moniteurs WHERE nom = 'ghost' OR id = 4242`);
    expect(rows).toHaveLength(0);
  });
});

describe('a redirect to another scheme, checked through /api/verifier', () => {
  it.each([
    'file:///etc/passwd',
    'gopher://127.0.0.1:70/',
    'ftp://127.0.0.1/',
    'data:text/plain,x',
    'javascript:alert(1)',
  ])('is not followed to %s: the result is stored as DOWN', async (location) => {
    const url = `${target.url}/redirect?to=${encodeURIComponent(location)}`;
    const requestsBefore = target.requests;
    const response = await call(app, 'POST', '/api/verifier', { url });
    expect(response.status).toBe(200);
    expect(response.body.statut).toMatchObject({ est_disponible: false, code_http: 302, url });
    expect(target.requests).toBe(requestsBefore + 1); // nothing else was fetched
    const { rows } = await app.testDb.db.query<any>(
      `SELECT est_disponible, cause, erreur, moniteur_id FROM monitoring.statuts WHERE url = $1 ORDER BY id DESC LIMIT 1`,
      [url],
    );
    const scheme = location.split(':')[0];
    expect(rows[0]).toMatchObject({ est_disponible: false, cause: 'redirect', moniteur_id: null });
    expect(rows[0].erreur).toMatch(new RegExp(`${scheme}:.*not followed`));
    expect((await call(app, 'GET', '/api/etat')).status).toBe(200);
  });
});
