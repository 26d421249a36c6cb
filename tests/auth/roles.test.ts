// The cases of the access policy one by one: missing, expired, tampered and revoked credentials, a role too
// low for what it asks, API keys bounded by their owner's role, and the last administrator kept. Each refusal
// has the right HTTP status or GraphQL code and leaves the database as it was.
import { decodeJwt, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.ts';
import { raiseDownAlert } from '../helpers/factories.ts';
import {
  as,
  codesOf,
  createActors,
  createApiKey,
  createUser,
  liveClient,
  startAuthApp,
  unchanged,
  type Actor,
  type Actors,
  type LiveClient,
} from './support.ts';

const TARGET = 'http://127.0.0.1:9/';
const CREATE_MONITOR = 'mutation ($input: CreateMonitorInput!) { createMonitor(input: $input) { id } }';
const NEW_MONITOR = { input: { name: 'refused', kind: 'HTTP', target: TARGET, intervalSeconds: 60, paused: true } };
const MONITOR_BODY = { nom: 'refused', type: 'http', cible: TARGET, intervalle_secondes: 60, en_pause: true };

let app: TestApp;
let actors: Actors;
let monitorId: number;
const clients: LiveClient[] = [];

beforeAll(async () => {
  app = await startAuthApp();
  actors = await createActors(app);
  const monitor = await as(app, actors.admin.token).call('POST', '/api/moniteurs', { ...MONITOR_BODY, nom: 'roles' });
  expect(monitor.status, JSON.stringify(monitor.body)).toBe(201);
  monitorId = monitor.body.moniteur.id;
});

afterAll(async () => {
  await Promise.all(clients.map((live) => live.client.dispose()));
  await app?.close();
});

/** Opens a socket with these credentials and subscribes; resolves with the close code if the server closes it. */
async function socketCloseCode(authorization?: string): Promise<number> {
  const live = liveClient(app, authorization);
  clients.push(live);
  live.client.subscribe(
    { query: `subscription ($id: ID) { checkCompleted(monitorId: $id) { id } }`, variables: { id: String(monitorId) } },
    { next: () => undefined, error: () => undefined, complete: () => undefined },
  );
  return live.closed;
}

/** A request that must be refused with `status` and an {"erreur"} body (matching `message` when given). */
async function refusedRest(
  token: string | null,
  method: string,
  path: string,
  body: unknown,
  status: number,
  message?: RegExp,
): Promise<void> {
  const response = await as(app, token).call(method, path, body);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
  expect(response.body).toEqual({ erreur: expect.any(String) });
  if (message) expect(response.body.erreur).toMatch(message);
}

/** A GraphQL operation that must fail with exactly one error of `code` (its message matching `message`). */
async function refusedGraphQL(
  token: string | null,
  query: string,
  variables: Record<string, unknown>,
  code: string,
  message?: RegExp,
): Promise<void> {
  const response = await as(app, token).gql(query, variables);
  expect(codesOf(response), JSON.stringify(response)).toEqual([code]);
  if (message) expect(response.errors![0]!.message).toMatch(message);
}

/** The secret that signs session tokens, as the server keeps it when SESSION_SECRET is not set. */
async function sessionSecret(): Promise<Uint8Array> {
  const { rows } = await app.testDb.db.query<{ valeur: string }>(
    `SELECT valeur FROM monitoring.parametres WHERE cle = 'secret_sessions'`,
  );
  expect(rows).toHaveLength(1);
  return new TextEncoder().encode(rows[0]!.valeur);
}

/** A session token for a real session, signed with the server's secret, expiring at `expiresAt`. */
async function forgeToken(sessionToken: string, expiresAt: Date): Promise<string> {
  const { sid, sub, iss } = decodeJwt(sessionToken);
  const expiry = Math.floor(expiresAt.getTime() / 1000);
  return new SignJWT({ sid })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub!)
    .setIssuer(iss!)
    .setIssuedAt(expiry - 3600)
    .setExpirationTime(expiry)
    .sign(await sessionSecret());
}

/** The token with one character changed in the middle of one of its three parts. */
function flipped(token: string, part: 0 | 1 | 2): string {
  const parts = token.split('.');
  const text = parts[part]!;
  const at = Math.floor(text.length / 2);
  parts[part] = text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
  return parts.join('.');
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('no credentials', () => {
  it('REST answers 401 and GraphQL UNAUTHENTICATED, for reads and writes, changing nothing', async () => {
    await unchanged(app, 'anonymous requests', async () => {
      await refusedRest(null, 'GET', '/api/moniteurs', undefined, 401, /authentication required/);
      await refusedRest(null, 'POST', '/api/moniteurs', MONITOR_BODY, 401);
      await refusedRest(null, 'DELETE', `/api/moniteurs/${monitorId}`, undefined, 401);
      await refusedGraphQL(null, '{ monitors { id } }', {}, 'UNAUTHENTICATED');
      await refusedGraphQL(null, CREATE_MONITOR, NEW_MONITOR, 'UNAUTHENTICATED');
      await refusedGraphQL(
        null,
        'mutation ($id: ID!) { deleteMonitor(id: $id) }',
        { id: String(monitorId) },
        'UNAUTHENTICATED',
      );
    });
  });

  it('a subscription without credentials is refused at connection_init (4403)', async () => {
    await unchanged(app, 'an anonymous subscription', async () => {
      expect(await socketCloseCode()).toBe(4403);
      expect(await socketCloseCode('')).toBe(4403);
    });
    expect(app.events.subscriberCount).toBe(0);
  });
});

describe('an expired session token', () => {
  it('is refused everywhere as expired, even though its session still exists', async () => {
    // Control: the same forging with a future expiry is accepted, so the refusal below is the expiry alone.
    const valid = await forgeToken(actors.editor.token, new Date(Date.now() + 3_600_000));
    expect((await as(app, valid).call('GET', '/api/moniteurs')).status).toBe(200);

    const expired = await forgeToken(actors.editor.token, new Date(Date.now() - 60_000));
    const { rows } = await app.testDb.db.query(
      `SELECT 1 FROM monitoring.sessions WHERE id = $1 AND revoquee_a IS NULL`,
      [decodeJwt(expired).sid],
    );
    expect(rows).toHaveLength(1);
    await unchanged(app, 'an expired token', async () => {
      await refusedRest(expired, 'GET', '/api/moniteurs', undefined, 401, /expired/);
      await refusedRest(expired, 'POST', '/api/moniteurs', MONITOR_BODY, 401, /expired/);
      await refusedGraphQL(expired, CREATE_MONITOR, NEW_MONITOR, 'UNAUTHENTICATED', /expired/);
      expect(await socketCloseCode(`Bearer ${expired}`)).toBe(4403);
    });
  });
});

describe('a tampered session token', () => {
  it('is refused when a character of its signature or of its payload changes', async () => {
    const token = actors.editor.token;
    expect((await as(app, token).call('GET', '/api/moniteurs')).status).toBe(200);
    await unchanged(app, 'tampered tokens', async () => {
      for (const tampered of [flipped(token, 2), flipped(token, 1)]) {
        expect(tampered).not.toBe(token);
        await refusedRest(tampered, 'POST', '/api/moniteurs', MONITOR_BODY, 401, /invalid/);
        await refusedGraphQL(tampered, CREATE_MONITOR, NEW_MONITOR, 'UNAUTHENTICATED', /invalid/);
        expect(await socketCloseCode(`Bearer ${tampered}`)).toBe(4403);
      }
    });
  });

  it('is refused when its payload names another session (an admin’s), or when it claims no signature', async () => {
    const [header, , signature] = actors.viewer.token.split('.');
    const adminClaims = decodeJwt(actors.admin.token);
    const borrowed = `${header}.${base64url(adminClaims)}.${signature}`;
    const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(adminClaims)}.`;
    await unchanged(app, 'forged admin tokens', async () => {
      for (const forged of [borrowed, unsigned]) {
        await refusedRest(forged, 'GET', '/api/utilisateurs', undefined, 401, /invalid/);
        await refusedRest(
          forged,
          'POST',
          '/api/utilisateurs',
          { email: 'forged@example.com', mot_de_passe: 'forged password 123', role: 'admin' },
          401,
        );
        await refusedGraphQL(forged, '{ users { id } }', {}, 'UNAUTHENTICATED');
      }
    });
  });
});

describe('a revoked API key', () => {
  it('is refused over REST, GraphQL and WebSocket', async () => {
    const key = await createApiKey(app, actors.editor, 'editor');
    expect((await as(app, key.secret).call('POST', `/api/moniteurs/${monitorId}/pause`)).status).toBe(200);
    const revoked = await as(app, actors.editor.token).call('DELETE', `/api/cles-api/${key.id}`);
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    expect(revoked.body.cle.revoquee_a).not.toBeNull();
    await unchanged(app, 'a revoked key', async () => {
      await refusedRest(key.secret, 'GET', '/api/moniteurs', undefined, 401, /unknown or revoked/);
      await refusedRest(key.secret, 'POST', '/api/moniteurs', MONITOR_BODY, 401, /unknown or revoked/);
      await refusedGraphQL(key.secret, CREATE_MONITOR, NEW_MONITOR, 'UNAUTHENTICATED', /unknown or revoked/);
      expect(await socketCloseCode(`Bearer ${key.secret}`)).toBe(4403);
    });
  });
});

describe('a role too low', () => {
  it('a viewer calling a mutation gets 403 / FORBIDDEN', async () => {
    const viewer = actors.viewer.token;
    const alertId = await raiseDownAlert(app.testDb.db, monitorId);
    await unchanged(app, 'a viewer’s mutations', async () => {
      await refusedRest(viewer, 'POST', '/api/moniteurs', MONITOR_BODY, 403, /needs the editor role; you are viewer/);
      await refusedRest(viewer, 'PATCH', `/api/moniteurs/${monitorId}`, { nom: 'renamed' }, 403);
      await refusedRest(viewer, 'DELETE', `/api/moniteurs/${monitorId}`, undefined, 403);
      await refusedRest(viewer, 'POST', `/api/alertes/${alertId}/acquitter`, undefined, 403);
      await refusedGraphQL(viewer, CREATE_MONITOR, NEW_MONITOR, 'FORBIDDEN');
      await refusedGraphQL(
        viewer,
        'mutation ($id: ID!) { deleteMonitor(id: $id) }',
        { id: String(monitorId) },
        'FORBIDDEN',
      );
      await refusedGraphQL(
        viewer,
        'mutation ($id: ID!) { acknowledgeAlert(id: $id) { id } }',
        { id: alertId },
        'FORBIDDEN',
      );
    });
  });

  it('an editor managing users gets 403 / FORBIDDEN, promoting themselves included', async () => {
    const editor = actors.editor.token;
    await unchanged(app, 'an editor managing users', async () => {
      await refusedRest(editor, 'GET', '/api/utilisateurs', undefined, 403, /needs the admin role; you are editor/);
      await refusedRest(
        editor,
        'POST',
        '/api/utilisateurs',
        { email: 'new@example.com', mot_de_passe: 'new user password', role: 'viewer' },
        403,
      );
      await refusedRest(editor, 'PATCH', `/api/utilisateurs/${actors.editor.id}`, { role: 'admin' }, 403);
      await refusedRest(editor, 'DELETE', `/api/utilisateurs/${actors.viewer.id}`, undefined, 403);
      await refusedGraphQL(editor, '{ users { id } }', {}, 'FORBIDDEN');
      await refusedGraphQL(
        editor,
        'mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }',
        { input: { email: 'new@example.com', password: 'new user password', role: 'VIEWER' } },
        'FORBIDDEN',
      );
      await refusedGraphQL(
        editor,
        'mutation ($id: ID!) { updateUser(id: $id, input: { role: ADMIN }) { id } }',
        { id: String(actors.editor.id) },
        'FORBIDDEN',
      );
      await refusedGraphQL(
        editor,
        'mutation ($id: ID!) { deleteUser(id: $id) }',
        { id: String(actors.viewer.id) },
        'FORBIDDEN',
      );
    });
  });
});

describe('API keys act with at most their owner’s role', () => {
  it('a key created by an editor with the viewer role acts as a viewer', async () => {
    const key = await createApiKey(app, actors.editor, 'viewer');
    expect((await as(app, key.secret).call('GET', '/api/moniteurs')).status).toBe(200);
    expect((await as(app, key.secret).call('GET', '/api/auth')).body.role).toBe('viewer');
    await unchanged(app, 'a viewer key', async () => {
      await refusedRest(key.secret, 'POST', '/api/moniteurs', MONITOR_BODY, 403, /you are viewer/);
      await refusedRest(key.secret, 'POST', `/api/moniteurs/${monitorId}/pause`, undefined, 403);
      await refusedGraphQL(key.secret, CREATE_MONITOR, NEW_MONITOR, 'FORBIDDEN');
    });
  });

  it('a viewer cannot create a key with the editor or admin role', async () => {
    await unchanged(app, 'a viewer creating keys above their role', async () => {
      await refusedRest(
        actors.viewer.token,
        'POST',
        '/api/cles-api',
        { nom: 'escalation', role: 'editor' },
        403,
        /you are viewer/,
      );
      await refusedRest(actors.viewer.token, 'POST', '/api/cles-api', { nom: 'escalation', role: 'admin' }, 403);
      await refusedGraphQL(
        actors.viewer.token,
        'mutation { createApiKey(name: "escalation", role: EDITOR) { secret } }',
        {},
        'FORBIDDEN',
      );
    });
  });

  it('after an admin lowers its owner to viewer, an editor key acts as a viewer', async () => {
    const owner = await createUser(app, actors.admin, 'editor');
    const key = await createApiKey(app, owner, 'editor');
    expect((await as(app, key.secret).call('POST', `/api/moniteurs/${monitorId}/pause`)).status).toBe(200);
    const lowered = await as(app, actors.admin.token).call('PATCH', `/api/utilisateurs/${owner.id}`, {
      role: 'viewer',
    });
    expect(lowered.status, JSON.stringify(lowered.body)).toBe(200);
    expect(lowered.body.utilisateur.role).toBe('viewer');
    const { rows } = await app.testDb.db.query<{ role: string }>(`SELECT role FROM monitoring.cles_api WHERE id = $1`, [
      key.id,
    ]);
    expect(rows[0]!.role).toBe('editor');

    expect((await as(app, key.secret).call('GET', '/api/moniteurs')).status).toBe(200);
    expect((await as(app, key.secret).call('GET', '/api/auth')).body.role).toBe('viewer');
    await unchanged(app, 'a lowered user’s editor key', async () => {
      await refusedRest(key.secret, 'POST', `/api/moniteurs/${monitorId}/pause`, undefined, 403, /you are viewer/);
      await refusedRest(owner.token, 'POST', `/api/moniteurs/${monitorId}/pause`, undefined, 403, /you are viewer/);
      await refusedGraphQL(
        key.secret,
        'mutation ($id: ID!) { pauseMonitor(id: $id) { id } }',
        { id: String(monitorId) },
        'FORBIDDEN',
      );
    });
  });
});

describe('the last administrator', () => {
  it('cannot be demoted or deleted (409), over REST or GraphQL', async () => {
    const admin = actors.admin;
    await unchanged(app, 'demoting or deleting the last admin', async () => {
      await refusedRest(
        admin.token,
        'PATCH',
        `/api/utilisateurs/${admin.id}`,
        { role: 'editor' },
        409,
        /last administrator/,
      );
      await refusedRest(admin.token, 'DELETE', `/api/utilisateurs/${admin.id}`, undefined, 409, /last administrator/);
      await refusedGraphQL(
        admin.token,
        'mutation ($id: ID!) { updateUser(id: $id, input: { role: VIEWER }) { id } }',
        { id: String(admin.id) },
        'CONFLICT',
        /last administrator/,
      );
      await refusedGraphQL(
        admin.token,
        'mutation ($id: ID!) { deleteUser(id: $id) }',
        { id: String(admin.id) },
        'CONFLICT',
        /last administrator/,
      );
    });
  });

  it('can step down once another admin exists, who then is the last one', async () => {
    const second = await createUser(app, actors.admin, 'admin');
    const lowered = await as(app, second.token).call('PATCH', `/api/utilisateurs/${actors.admin.id}`, {
      role: 'editor',
    });
    expect(lowered.status, JSON.stringify(lowered.body)).toBe(200);
    await unchanged(app, 'demoting the new last admin', async () => {
      await refusedRest(
        second.token,
        'PATCH',
        `/api/utilisateurs/${second.id}`,
        { role: 'viewer' },
        409,
        /last administrator/,
      );
      await refusedRest(second.token, 'DELETE', `/api/utilisateurs/${second.id}`, undefined, 409, /last administrator/);
    });
    const restored = await as(app, second.token).call('PATCH', `/api/utilisateurs/${actors.admin.id}`, {
      role: 'admin',
    });
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
  });

  // Two admins remove each other at once, a few rounds over (the first round, on a cold server, often runs the
  // two requests one after the other). In each round a new pair are the only admins: everyone else, the
  // bootstrap admin included once it has created the pair, is an editor.
  async function raceBetweenTwoAdmins(
    act: (app: TestApp, by: Actor, target: Actor) => Promise<number>,
  ): Promise<Array<{ statuses: number[]; admins: number }>> {
    // Its own server: if the rule breaks, no admin is left, and the other tests must not depend on that.
    const own = await startAuthApp();
    // Raw SQL: every user's role reset at once between rounds, which the API only does one user at a time.
    const roles = (sql: string, params: unknown[] = []) =>
      own.testDb.db.query(`UPDATE monitoring.utilisateurs SET ${sql}`, params);
    const admins = async () =>
      (
        await own.testDb.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM monitoring.utilisateurs WHERE role = 'admin'`,
        )
      ).rows[0]!.n;
    try {
      const bootstrap = (await createActors(own)).admin;
      const rounds = [];
      for (let round = 0; round < 4; round++) {
        await roles(`role = CASE WHEN id = $1 THEN 'admin' ELSE 'editor' END`, [bootstrap.id]);
        const [first, second] = [await createUser(own, bootstrap, 'admin'), await createUser(own, bootstrap, 'admin')];
        await roles(`role = 'editor' WHERE id = $1`, [bootstrap.id]);
        const statuses = await Promise.all([act(own, first, second), act(own, second, first)]);
        rounds.push({ statuses, admins: await admins() });
      }
      return rounds;
    } finally {
      await own.close();
    }
  }

  it('survives two admins demoting each other at the same time', async () => {
    const rounds = await raceBetweenTwoAdmins(
      async (own, by, target) =>
        (await as(own, by.token).call('PATCH', `/api/utilisateurs/${target.id}`, { role: 'viewer' })).status,
    );
    // One wins; the other is refused as no longer an admin (403) or as the last one (409).
    expect(rounds).toEqual(
      rounds.map(() => ({ statuses: expect.arrayContaining([200, expect.toBeOneOf([403, 409])]), admins: 1 })),
    );
  }, 60_000);

  it('survives two admins deleting each other at the same time', async () => {
    const rounds = await raceBetweenTwoAdmins(
      async (own, by, target) => (await as(own, by.token).call('DELETE', `/api/utilisateurs/${target.id}`)).status,
    );
    // One wins; the other is refused as deleted (401) or as the last admin (409).
    expect(rounds).toEqual(
      rounds.map(() => ({ statuses: expect.arrayContaining([204, expect.toBeOneOf([401, 409])]), admins: 1 })),
    );
  }, 60_000);
});
