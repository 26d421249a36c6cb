// Browser requests from other sites: CORS only for allowed origins, the Host check against DNS rebinding, and
// the refusal of cross-site requests (every one with AUTH_DISABLED; logins and cookie changes with auth on),
// against the running service over real HTTP and WebSocket. The server's own origins come from its
// configuration (URL_PUBLIQUE, the listening address), never from the request's Host.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { AUTH_ON, createActors, type Actors } from '../auth/support.ts';

const EVIL = 'https://evil.example';
const OPS = 'https://ops.example.com';
const PUBLIC = 'https://vigie.example.com';

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
}

/** A request with any headers, Host included (fetch() always sends the URL's). */
function raw(
  app: TestApp,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<RawResponse> {
  const url = new URL(path, app.url);
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method, headers: { ...(text ? { 'content-type': 'application/json' } : {}), ...headers } },
      (res) => {
        let received = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (received += chunk));
        res.on('end', () => {
          const json = /application\/json/.test(res.headers['content-type'] ?? '');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: json && received ? JSON.parse(received) : received,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

/** Opens a WebSocket on /graphql with these headers: 'open', or the status of the refused upgrade. */
function upgrade(app: TestApp, headers: Record<string, string>): Promise<number | 'open'> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${app.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', { headers });
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('open', () => {
      socket.close();
      resolve('open');
    });
    socket.on('error', () => undefined);
  });
}

const port = (app: TestApp) => new URL(app.url).port;
const monitorBody = (name: string) => ({ nom: name, type: 'tcp', cible: '127.0.0.1:9', en_pause: true });
const createMonitor = (name: string) => ({
  query: 'mutation ($input: CreateMonitorInput!) { createMonitor(input: $input) { id } }',
  variables: { input: { name, kind: 'TCP', target: '127.0.0.1:9', paused: true } },
});

async function monitorsNamed(app: TestApp, name: string): Promise<number> {
  const { rows } = await app.testDb.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM monitoring.moniteurs WHERE nom = $1`,
    [name],
  );
  return rows[0]!.n;
}

describe('with AUTH_DISABLED (everyone is the local admin)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ URL_PUBLIQUE: PUBLIC });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('refuses every request from another site, reading or changing, with or without Authorization', async () => {
    const evil = { origin: EVIL, authorization: 'Bearer anything' };
    const refused: Array<[string, Promise<RawResponse>]> = [
      ['REST read', raw(app, 'GET', '/api/moniteurs', { origin: EVIL })],
      ['REST read marked cross-site', raw(app, 'GET', '/api/moniteurs', { 'sec-fetch-site': 'cross-site' })],
      ['REST read from another local port', raw(app, 'GET', '/api/moniteurs', { 'sec-fetch-site': 'same-site' })],
      [
        'REST read from a page on localhost:3000',
        raw(app, 'GET', '/api/resultats', { origin: 'http://localhost:3000' }),
      ],
      ['REST change with Authorization', raw(app, 'POST', '/api/moniteurs', evil, monitorBody('cross-site'))],
      ['GraphQL GET', raw(app, 'GET', `/graphql?query=${encodeURIComponent('{ monitors { id } }')}`, { origin: EVIL })],
      ['GraphQL POST with Authorization', raw(app, 'POST', '/graphql', evil, createMonitor('cross-site'))],
      ['CORS preflight', raw(app, 'OPTIONS', '/graphql', { origin: EVIL, 'access-control-request-method': 'POST' })],
      ['metrics', raw(app, 'GET', '/metrics', { origin: EVIL })],
      ['health', raw(app, 'GET', '/api/etat', { origin: 'null' })],
    ];
    for (const [what, pending] of refused) {
      const response = await pending;
      expect(response.status, what).toBe(403);
      expect(response.headers['access-control-allow-origin'], what).toBeUndefined();
      const message = response.body.erreur ?? response.body.errors?.[0]?.message;
      expect(message, what).toMatch(/^cross-site request refused: /);
    }
    expect(
      (await raw(app, 'GET', '/graphql?query={__typename}', { origin: EVIL })).body.errors[0].extensions.code,
    ).toBe('FORBIDDEN');
    expect((await raw(app, 'GET', '/api/moniteurs', { origin: EVIL })).body.erreur).toContain(
      `origin ${EVIL} is not allowed`,
    );
    expect(await monitorsNamed(app, 'cross-site')).toBe(0);
    expect(await upgrade(app, { origin: EVIL, authorization: 'Bearer anything' })).toBe(403);
  });

  it('serves the dashboard’s own requests, under every name of the server, and links from anywhere', async () => {
    const local = `http://localhost:${port(app)}`;
    for (const origin of [app.url, local, PUBLIC]) {
      const read = await raw(app, 'GET', '/api/moniteurs', { origin, 'sec-fetch-site': 'same-origin' });
      expect(read.status, origin).toBe(200);
      const created = await raw(app, 'POST', '/graphql', { origin }, createMonitor(`from ${origin}`));
      expect(created.status, origin).toBe(200);
      expect(created.body.data.createMonitor.id, origin).toBeTruthy();
      expect(await upgrade(app, { origin }), origin).toBe('open');
    }
    // A fetch without Origin from the dashboard, and a link followed from another site to a page.
    expect((await raw(app, 'GET', '/api/moniteurs', { 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await raw(app, 'GET', '/', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' })).status).toBe(
      200,
    );
  });

  it('refuses other Host names (DNS rebinding) over HTTP and WebSocket', async () => {
    const rebound = `rebind.evil.example:${port(app)}`;
    const asRebound = { host: rebound, origin: `http://${rebound}` };
    for (const [method, path, body] of [
      ['GET', '/api/moniteurs', undefined],
      ['POST', '/api/moniteurs', monitorBody('rebound')],
      ['POST', '/graphql', createMonitor('rebound')],
      ['GET', '/metrics', undefined],
      ['GET', '/', undefined],
    ] as const) {
      const response = await raw(app, method, path, asRebound, body);
      expect(response.status, `${method} ${path}`).toBe(421);
      const message = response.body.erreur ?? response.body.errors?.[0]?.message;
      expect(message, `${method} ${path}`).toContain(`host "${rebound}" is not this server's`);
    }
    expect((await raw(app, 'GET', '/api/moniteurs', { host: rebound })).status).toBe(421);
    expect(await monitorsNamed(app, 'rebound')).toBe(0);
    expect(await upgrade(app, asRebound)).toBe(421);
    expect(await upgrade(app, { host: rebound })).toBe(421);
    // The server's own names: the listening address, localhost, and URL_PUBLIQUE's host (a proxy forwarding Host).
    for (const host of [
      `127.0.0.1:${port(app)}`,
      `localhost:${port(app)}`,
      'vigie.example.com',
      'vigie.example.com:443',
    ]) {
      expect((await raw(app, 'GET', '/api/moniteurs', { host })).status, host).toBe(200);
    }
    expect(await upgrade(app, { host: `localhost:${port(app)}`, origin: `http://localhost:${port(app)}` })).toBe(
      'open',
    );
  });
});

describe('with authentication on', () => {
  let app: TestApp;
  let actors: Actors;
  beforeAll(async () => {
    app = await startTestApp({ ...AUTH_ON, URL_PUBLIQUE: PUBLIC, ORIGINES_AUTORISEES: OPS });
    actors = await createActors(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('gives CORS headers to allowed origins only, never reflecting another', async () => {
    const preflight = (origin: string) =>
      raw(app, 'OPTIONS', '/graphql', {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, authorization',
      });
    const foreign = await preflight(EVIL);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    expect(foreign.headers['access-control-allow-credentials']).toBeUndefined();
    for (const origin of [OPS, PUBLIC, app.url]) {
      const allowed = await preflight(origin);
      expect(allowed.headers['access-control-allow-origin'], origin).toBe(origin);
      expect(allowed.headers['access-control-allow-credentials'], origin).toBe('true');
      expect(allowed.headers['access-control-allow-headers'], origin).toMatch(/authorization/i);
    }
    const bearer = { authorization: `Bearer ${actors.viewer.token}` };
    const query = { query: '{ monitors { id } }' };
    const answer = await raw(app, 'POST', '/graphql', { ...bearer, origin: EVIL }, query);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(
      (await raw(app, 'POST', '/graphql', { ...bearer, origin: OPS }, query)).headers['access-control-allow-origin'],
    ).toBe(OPS);
  });

  it('refuses other origins with the cookie, accepts the page the Host names, and refuses what the browser marks cross-site', async () => {
    const cookie = `vigie_session=${actors.editor.token}`;
    const rebound = `rebind.evil.example:${port(app)}`;
    const crossSite = await raw(
      app,
      'POST',
      '/api/moniteurs',
      { cookie, origin: `http://${rebound}` },
      monitorBody('rebound'),
    );
    expect(crossSite.status).toBe(403);
    expect(crossSite.body.erreur).toContain(`origin http://${rebound} is not allowed`);
    // A browser sends the cookie only to the host name it was set for, so a page whose origin is the Host it
    // talks to is that host's own page: Vigie reached by an address it was not told about (a LAN address).
    const lan = `192.0.2.10:${port(app)}`;
    expect(
      (await raw(app, 'POST', '/api/moniteurs', { cookie, host: lan, origin: `http://${lan}` }, monitorBody('lan')))
        .status,
    ).toBe(201);
    const marked = await raw(app, 'GET', '/api/moniteurs', {
      authorization: `Bearer ${actors.editor.token}`,
      'sec-fetch-site': 'cross-site',
    });
    expect(marked.status).toBe(403);
    expect(marked.body.erreur).toMatch(/cross-site request refused: .*Sec-Fetch-Site/);
    expect(await monitorsNamed(app, 'rebound')).toBe(0);
    // The dashboard (own, public or allowed origin), API clients with a bearer token, and a link to a page pass.
    for (const origin of [app.url, PUBLIC, OPS]) {
      expect(
        (await raw(app, 'POST', '/api/moniteurs', { cookie, origin }, monitorBody(`cookie ${origin}`))).status,
        origin,
      ).toBe(201);
    }
    const bearer = { authorization: `Bearer ${actors.editor.token}`, origin: EVIL };
    expect((await raw(app, 'POST', '/api/moniteurs', bearer, monitorBody('bearer'))).status).toBe(201);
    expect((await raw(app, 'GET', '/api/moniteurs', { cookie, host: rebound })).status).toBe(200);
    expect((await raw(app, 'GET', '/', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' })).status).toBe(
      200,
    );
  });
});

describe('public routes (login CSRF)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ ...AUTH_ON, URL_PUBLIQUE: PUBLIC });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('refuses first-admin setup and login from another site, naming the origin', async () => {
    const admin = { email: 'admin@example.com', mot_de_passe: 'correct horse battery staple', nom: 'Admin' };
    const setup = await raw(app, 'POST', '/api/auth/installation', { origin: EVIL }, admin);
    expect(setup.status).toBe(403);
    expect(setup.body.erreur).toBe(
      `cross-site request refused: origin ${EVIL} is not allowed: it is neither URL_PUBLIQUE's nor in ORIGINES_AUTORISEES`,
    );
    expect(setup.headers['set-cookie']).toBeUndefined();
    const { rows } = await app.testDb.db.query(`SELECT 1 FROM monitoring.utilisateurs`);
    expect(rows).toHaveLength(0);
    expect((await raw(app, 'POST', '/api/auth/installation', { origin: PUBLIC }, admin)).status).toBe(201);

    const credentials = { email: admin.email, mot_de_passe: admin.mot_de_passe };
    for (const headers of [{ origin: EVIL }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }] as Array<
      Record<string, string>
    >) {
      const login = await raw(app, 'POST', '/api/auth/connexion', headers, credentials);
      expect(login.status, JSON.stringify(headers)).toBe(403);
      expect(login.headers['set-cookie'], JSON.stringify(headers)).toBeUndefined();
    }
    expect((await raw(app, 'POST', '/api/auth/connexion', { origin: PUBLIC }, credentials)).status).toBe(200);
    expect((await raw(app, 'POST', '/api/auth/connexion', { origin: app.url }, credentials)).status).toBe(200);
  });
});
