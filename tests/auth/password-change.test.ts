// A password change revokes the user's API keys: their own change (REST and GraphQL) and an admin's reset
// (REST and GraphQL). The keys stop working at once and the live subscriptions opened with them end, through
// the same revocation path as any other; other users' keys are untouched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.ts';
import {
  as,
  createActors,
  createApiKey,
  createUser,
  liveClient,
  login,
  startAuthApp,
  type Actor,
  type Actors,
  type LiveClient,
} from './support.ts';

let app: TestApp;
let actors: Actors;
const clients: LiveClient[] = [];

beforeAll(async () => {
  app = await startAuthApp();
  actors = await createActors(app);
});

afterAll(async () => {
  await Promise.all(clients.map((live) => live.client.dispose()));
  await app?.close();
});

const NEW_PASSWORD = 'a fresh password for this user';

/** A graphql-ws subscription opened with `secret`, connected. */
async function subscribedWith(secret: string): Promise<LiveClient> {
  const live = liveClient(app, `Bearer ${secret}`);
  clients.push(live);
  live.client.subscribe(
    { query: 'subscription { alertRaised { id } }' },
    { next: () => undefined, error: () => undefined, complete: () => undefined },
  );
  await live.connected;
  return live;
}

const statusWith = async (secret: string) => (await as(app, secret).call('GET', '/api/moniteurs')).status;

async function keysOf(owner: Actor): Promise<Array<{ id: number; revoquee_a: string | null }>> {
  const listed = await as(app, actors.admin.token).call('GET', '/api/cles-api?tous=true');
  return listed.body.cles.filter((key: { utilisateur_id: number }) => key.utilisateur_id === owner.id);
}

/** A new editor with two keys (one with a live subscription), and a bystander with a key of their own. */
async function userWithKeys() {
  const user = await createUser(app, actors.admin, 'editor');
  const keys = [await createApiKey(app, user, 'viewer'), await createApiKey(app, user, 'editor')];
  const bystander = await createApiKey(app, actors.viewer, 'viewer');
  for (const key of [...keys, bystander]) expect(await statusWith(key.secret)).toBe(200);
  const live = await subscribedWith(keys[0]!.secret);
  return { user, keys, bystander, live };
}

async function expectKeysRevoked(setup: Awaited<ReturnType<typeof userWithKeys>>): Promise<void> {
  expect(await setup.live.closed).toBe(4401);
  for (const key of setup.keys) expect(await statusWith(key.secret)).toBe(401);
  expect((await keysOf(setup.user)).every((key) => key.revoquee_a !== null)).toBe(true);
  expect(await statusWith(setup.bystander.secret)).toBe(200);
}

describe('one’s own password change', () => {
  it('over REST revokes every API key of the user and ends their subscriptions; the session that made it goes on', async () => {
    const setup = await userWithKeys();
    const other = await login(app, setup.user.email, setup.user.password);
    const changed = await as(app, setup.user.token).call('PUT', '/api/auth/mot-de-passe', {
      mot_de_passe_actuel: setup.user.password,
      nouveau_mot_de_passe: NEW_PASSWORD,
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(204);
    await expectKeysRevoked(setup);
    expect(await statusWith(other)).toBe(401);
    expect(await statusWith(setup.user.token)).toBe(200);
  });

  it('over GraphQL revokes them too', async () => {
    const setup = await userWithKeys();
    const changed = await as(app, setup.user.token).gql(
      'mutation ($current: String!, $next: String!) { changePassword(currentPassword: $current, newPassword: $next) }',
      {
        current: setup.user.password,
        next: NEW_PASSWORD,
      },
    );
    expect(changed).toMatchObject({ data: { changePassword: true } });
    expect(changed.errors).toBeUndefined();
    await expectKeysRevoked(setup);
    expect(await statusWith(setup.user.token)).toBe(200);
  });

  it('with a wrong current password revokes nothing', async () => {
    const setup = await userWithKeys();
    const refused = await as(app, setup.user.token).call('PUT', '/api/auth/mot-de-passe', {
      mot_de_passe_actuel: 'not the password',
      nouveau_mot_de_passe: NEW_PASSWORD,
    });
    expect(refused.status).toBe(400);
    for (const key of setup.keys) expect(await statusWith(key.secret)).toBe(200);
  });
});

describe('an admin’s password reset', () => {
  it('over REST revokes the user’s API keys and says how many', async () => {
    const setup = await userWithKeys();
    const reset = await as(app, actors.admin.token).call('PATCH', `/api/utilisateurs/${setup.user.id}`, {
      mot_de_passe: NEW_PASSWORD,
    });
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    expect(reset.body).toMatchObject({ utilisateur: { id: setup.user.id }, cles_api_revoquees: 2 });
    await expectKeysRevoked(setup);
    expect(await statusWith(setup.user.token)).toBe(401);
  });

  it('over GraphQL revokes them too', async () => {
    const setup = await userWithKeys();
    const reset = await as(app, actors.admin.token).gql(
      'mutation ($id: ID!) { updateUser(id: $id, input: { password: "a fresh password for this user" }) { id } }',
      {
        id: String(setup.user.id),
      },
    );
    expect(reset).toMatchObject({ data: { updateUser: { id: String(setup.user.id) } } });
    expect(reset.errors).toBeUndefined();
    await expectKeysRevoked(setup);
  });

  it('a change of name only keeps the keys', async () => {
    const setup = await userWithKeys();
    const renamed = await as(app, actors.admin.token).call('PATCH', `/api/utilisateurs/${setup.user.id}`, {
      nom: 'Renamed',
    });
    expect(renamed.body).toMatchObject({ utilisateur: { nom: 'Renamed' }, cles_api_revoquees: 0 });
    for (const key of setup.keys) expect(await statusWith(key.secret)).toBe(200);
  });
});
