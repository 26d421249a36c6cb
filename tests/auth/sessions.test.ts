// Sessions end to end with authentication on: first-admin setup, login (cookie, identical answers, throttle),
// logout and password changes ending sessions and their live subscriptions, API keys, the same-origin rule,
// and passwords never leaving the server.
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { capturingLogger } from '../helpers/logger.ts';
import { call } from '../rest/support.ts';

const ADMIN = { email: 'admin@example.com', mot_de_passe: 'correct horse battery staple' };
let app: TestApp;
let logs: string[];
const clients: Client[] = [];

beforeAll(async () => {
  const captured = capturingLogger();
  logs = captured.lines;
  app = await startTestApp({ AUTH_DISABLED: 'false' }, { logger: captured.logger });
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await app?.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function login(email: string, password: string): Promise<string> {
  const response = await call(app, 'POST', '/api/auth/connexion', { email, mot_de_passe: password });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.jeton as string;
}

async function get(path: string, headers: Record<string, string>): Promise<number> {
  return (await app.request(path, { headers })).status;
}

/** A graphql-ws client; resolves with the close code once the server closes it. */
function liveClient(token: string): { client: Client; closed: Promise<number>; subscribed: Promise<void> } {
  let onClosed!: (code: number) => void;
  const closed = new Promise<number>((resolve) => (onClosed = resolve));
  const client = createClient({
    url: `${app.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${token}` },
    on: { closed: (event) => onClosed((event as { code: number }).code) },
  });
  clients.push(client);
  let onSubscribed!: () => void;
  const subscribed = new Promise<void>((resolve) => (onSubscribed = resolve));
  client.subscribe(
    { query: 'subscription { alertRaised { id } }' },
    { next: () => undefined, error: () => undefined, complete: () => undefined },
  );
  client.on('connected', () => onSubscribed());
  return { client, closed, subscribed };
}

describe('first start', () => {
  it('needs setup, creates exactly one first admin even when asked twice at once, then is closed', async () => {
    expect((await call(app, 'GET', '/api/auth')).body).toMatchObject({ installation_requise: true, utilisateur: null });
    const attempts = await Promise.all([
      call(app, 'POST', '/api/auth/installation', { ...ADMIN, nom: 'Admin' }),
      call(app, 'POST', '/api/auth/installation', {
        email: 'other@example.com',
        mot_de_passe: 'another long password',
        nom: 'Other',
      }),
    ]);
    expect(attempts.map((attempt) => attempt.status).sort()).toEqual([201, 403]);
    const { rows } = await app.testDb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM monitoring.utilisateurs');
    expect(rows[0]!.n).toBe(1);
    const again = await call(app, 'POST', '/api/auth/installation', {
      email: 'late@example.com',
      mot_de_passe: 'yet another password',
    });
    expect(again.status).toBe(403);
    expect(again.body.erreur).toMatch(/setup is closed/);
    expect((await call(app, 'GET', '/api/auth')).body.installation_requise).toBe(false);
    // Whoever won, make sure ADMIN exists for the rest of the file.
    if (attempts.find((attempt) => attempt.status === 201)!.body.utilisateur.email !== ADMIN.email) {
      const token = await login('other@example.com', 'another long password');
      const created = await app.request('/api/utilisateurs', {
        method: 'POST',
        headers: { ...bearer(token), 'content-type': 'application/json' },
        body: JSON.stringify({ ...ADMIN, nom: 'Admin', role: 'admin' }),
      });
      expect(created.status).toBe(201);
    }
  });

  it('refuses a short password and a malformed email, naming the field', async () => {
    const response = await call(app, 'POST', '/api/utilisateurs', {
      email: 'x',
      mot_de_passe: 'short',
      role: 'viewer',
    });
    expect(response.status).toBe(401);
    const token = await login(ADMIN.email, ADMIN.mot_de_passe);
    const short = await app.request('/api/utilisateurs', {
      method: 'POST',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'v@example.com', mot_de_passe: 'short', role: 'viewer' }),
    });
    expect(short.status).toBe(400);
    expect((await short.json()).erreur).toMatch(/^mot_de_passe: must be at least 10 characters/);
  });
});

describe('login', () => {
  it('sets an HttpOnly, SameSite=Strict session cookie that authenticates like the token', async () => {
    const response = await app.request('/api/auth/connexion', {
      method: 'POST',
      body: JSON.stringify({ email: ADMIN.email.toUpperCase(), mot_de_passe: ADMIN.mot_de_passe }),
    });
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^vigie_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    expect(await get('/api/moniteurs', { cookie: cookie.split(';')[0]! })).toBe(200);
    expect((await call(app, 'GET', '/api/auth')).body.utilisateur).toBeNull();
  });

  it('answers an unknown email and a wrong password identically', async () => {
    const unknown = await app.request('/api/auth/connexion', {
      method: 'POST',
      body: JSON.stringify({ email: 'nobody@example.com', mot_de_passe: 'whatever it is' }),
    });
    const wrong = await app.request('/api/auth/connexion', {
      method: 'POST',
      body: JSON.stringify({ email: ADMIN.email, mot_de_passe: 'whatever it is' }),
    });
    expect([unknown.status, await unknown.text()]).toEqual([wrong.status, await wrong.text()]);
    expect(wrong.status).toBe(401);
  });
});

describe('ending access', () => {
  let viewerPassword: string;

  beforeAll(async () => {
    viewerPassword = 'viewer password 123';
    const admin = await login(ADMIN.email, ADMIN.mot_de_passe).catch(async () => {
      throw new Error('admin login refused (throttled?)');
    });
    const created = await app.request('/api/utilisateurs', {
      method: 'POST',
      headers: { ...bearer(admin), 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'viewer@example.com', mot_de_passe: viewerPassword, role: 'viewer' }),
    });
    expect(created.status).toBe(201);
  });

  it('logout ends the session and closes its subscriptions', async () => {
    const token = await login('viewer@example.com', viewerPassword);
    const live = liveClient(token);
    await live.subscribed;
    const out = await app.request('/api/auth/deconnexion', { method: 'POST', headers: bearer(token) });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^vigie_session=; .*Max-Age=0/);
    expect(await live.closed).toBe(4401);
    const after = await call(
      { request: (path, init) => app.request(path, { ...init, headers: bearer(token) }) },
      'GET',
      '/api/moniteurs',
    );
    expect(after.status).toBe(401);
    expect(after.body.erreur).toMatch(/session has ended/);
  });

  it('a password change ends the other sessions but keeps the one that made it', async () => {
    const other = await login('viewer@example.com', viewerPassword);
    const current = await login('viewer@example.com', viewerPassword);
    const live = liveClient(other);
    await live.subscribed;
    const changed = await app.request('/api/auth/mot-de-passe', {
      method: 'PUT',
      headers: { ...bearer(current), 'content-type': 'application/json' },
      body: JSON.stringify({ mot_de_passe_actuel: viewerPassword, nouveau_mot_de_passe: 'a brand new password' }),
    });
    expect(changed.status).toBe(204);
    expect(await live.closed).toBe(4401);
    expect(await get('/api/moniteurs', bearer(other))).toBe(401);
    expect(await get('/api/moniteurs', bearer(current))).toBe(200);
    viewerPassword = 'a brand new password';
  });

  it('a revoked API key stops working and its subscriptions close; its secret is shown once', async () => {
    const token = await login('viewer@example.com', viewerPassword);
    const created = await app.request('/api/cles-api', {
      method: 'POST',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      body: JSON.stringify({ nom: 'grafana', role: 'viewer' }),
    });
    expect(created.status).toBe(201);
    const { cle, secret } = await created.json();
    expect(secret).toMatch(/^vigie_\d+_[A-Za-z0-9_-]{43}$/);
    expect(await get('/api/moniteurs', bearer(secret))).toBe(200);
    const listed = await (await app.request('/api/cles-api', { headers: bearer(token) })).text();
    // The random part is base64url, so it may itself hold '_': cut after the id, not at every '_'.
    const randomPart = secret.replace(/^vigie_\d+_/, '');
    expect(randomPart).toHaveLength(43);
    expect(listed).not.toContain(randomPart);
    expect(JSON.parse(listed).cles[0].derniere_utilisation_a).not.toBeNull();
    const live = liveClient(secret);
    await live.subscribed;
    expect((await app.request(`/api/cles-api/${cle.id}`, { method: 'DELETE', headers: bearer(token) })).status).toBe(
      200,
    );
    expect(await live.closed).toBe(4401);
    expect(await get('/api/moniteurs', bearer(secret))).toBe(401);
  });

  it('a role change closes the user’s subscriptions so they come back with the new role', async () => {
    const admin = await login(ADMIN.email, ADMIN.mot_de_passe);
    const token = await login('viewer@example.com', viewerPassword);
    const live = liveClient(token);
    await live.subscribed;
    const users = await (await app.request('/api/utilisateurs', { headers: bearer(admin) })).json();
    const viewer = users.utilisateurs.find((user: { email: string }) => user.email === 'viewer@example.com');
    const changed = await app.request(`/api/utilisateurs/${viewer.id}`, {
      method: 'PATCH',
      headers: { ...bearer(admin), 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'editor' }),
    });
    expect(changed.status).toBe(200);
    expect(await live.closed).toBe(4401);
  });
});

describe('the same-origin rule', () => {
  it('refuses a cookie-carrying change from another site, but not from the dashboard or with a bearer token', async () => {
    const token = await login(ADMIN.email, ADMIN.mot_de_passe);
    const body = JSON.stringify({ nom: 'csrf', type: 'tcp', cible: '127.0.0.1:9', en_pause: true });
    const withCookie = (origin: string) =>
      app.request('/api/moniteurs', {
        method: 'POST',
        headers: { cookie: `vigie_session=${token}`, origin, 'content-type': 'application/json' },
        body,
      });
    const foreign = await withCookie('https://evil.example');
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).erreur).toMatch(/cross-site request refused/);
    const graphql = await app.request('/graphql', {
      method: 'POST',
      headers: { cookie: `vigie_session=${token}`, origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { pauseMonitor(id: "1") { id } }' }),
    });
    expect((await graphql.json()).errors[0].extensions.code).toBe('FORBIDDEN');
    const { rows } = await app.testDb.db.query(`SELECT 1 FROM monitoring.moniteurs WHERE nom = 'csrf'`);
    expect(rows).toHaveLength(0);
    expect((await withCookie(app.url)).status).toBe(201);
    const viaBearer = await app.request('/api/moniteurs', {
      method: 'POST',
      headers: { ...bearer(token), origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ nom: 'bearer', type: 'tcp', cible: '127.0.0.1:9', en_pause: true }),
    });
    expect(viaBearer.status).toBe(201);
  });

  it('refuses a WebSocket upgrade from another site', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(`${app.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', {
        headers: { origin: 'https://evil.example' },
      });
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.on('open', () => reject(new Error('the upgrade was accepted')));
      socket.on('error', () => undefined);
    });
    expect(status).toBe(403);
  });

  it('refuses a socket without credentials at connection_init', async () => {
    const client = createClient({
      url: `${app.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    clients.push(client);
    const code = await new Promise<number>((resolve) => {
      client.on('closed', (event) => resolve((event as { code: number }).code));
      client.subscribe(
        { query: 'subscription { alertRaised { id } }' },
        { next: () => undefined, error: () => undefined, complete: () => undefined },
      );
    });
    expect(code).toBe(4403);
  });
});

describe('the login throttle', () => {
  it('slows down and then refuses an email after repeated failures, with Retry-After', async () => {
    // Its own server: the failures it piles up must not lock the other tests out.
    const own = await startTestApp({ AUTH_DISABLED: 'false' });
    try {
      const attempt = (body: object) =>
        own.request('/api/auth/connexion', { method: 'POST', body: JSON.stringify(body) });
      expect(
        (await own.request('/api/auth/installation', { method: 'POST', body: JSON.stringify(ADMIN) })).status,
      ).toBe(201);
      const statuses: number[] = [];
      const started = Date.now();
      for (let i = 0; i < 10; i++)
        statuses.push((await attempt({ email: ADMIN.email, mot_de_passe: `guess ${i} guess guess` })).status);
      expect(statuses).toEqual(Array(10).fill(401));
      // From the sixth failure on, each answer waits longer (0.25 s, doubling up to 2 s).
      expect(Date.now() - started).toBeGreaterThan(5000);
      // Even the right password does not get through for that email meanwhile.
      const refused = await attempt(ADMIN);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(800);
      expect((await refused.json()).erreur).toMatch(/too many failed logins/);
      // Another account from the same address is not locked out.
      expect((await attempt({ email: 'nobody@example.com', mot_de_passe: 'guess guess guess' })).status).toBe(401);
    } finally {
      await own.close();
    }
  }, 60_000);
});

describe('secrets', () => {
  it('never sends or logs a password', async () => {
    const passwords = [
      ADMIN.mot_de_passe,
      'viewer password 123',
      'a brand new password',
      'another long password',
      'whatever it is',
    ];
    const { rows } = await app.testDb.db.query<{ mot_de_passe: string }>(
      'SELECT mot_de_passe FROM monitoring.utilisateurs',
    );
    for (const row of rows) {
      expect(row.mot_de_passe).toMatch(/^scrypt\$/);
      for (const password of passwords) expect(row.mot_de_passe).not.toContain(password);
    }
    const token = await login(ADMIN.email, ADMIN.mot_de_passe);
    const answers = [
      await (await app.request('/api/utilisateurs', { headers: bearer(token) })).text(),
      await (await app.request('/api/auth', { headers: bearer(token) })).text(),
      await (
        await app.request('/graphql', {
          method: 'POST',
          headers: { ...bearer(token), 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ me { email } users { email role } apiKeys(everyone: true) { name } }' }),
        })
      ).text(),
    ];
    for (const text of [...answers, ...logs]) {
      for (const password of passwords) expect(text).not.toContain(password);
      expect(text).not.toMatch(/scrypt\$/);
    }
    expect(logs.length).toBeGreaterThan(0);
  });
});
