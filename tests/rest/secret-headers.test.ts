// Credential headers of HTTP monitors are write-only: shown as a placeholder by REST and GraphQL, kept when
// the placeholder is sent back, still sent to the target by checks, and never carried over to another origin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, errorOf, startGraphQLApp, type GraphQLTestApp } from '../helpers/graphql.ts';
import { startHttpTarget, type HttpTarget } from '../helpers/targets.ts';
import { call, moniteurBody } from './support.ts';

let app: GraphQLTestApp;
// Two loopback servers on different ports: two origins.
let first: HttpTarget;
let second: HttpTarget;

beforeAll(async () => {
  [app, first, second] = await Promise.all([startGraphQLApp(), startHttpTarget(), startHttpTarget()]);
  await app.scheduler.stop();
});

afterAll(async () => {
  await Promise.all([app?.close(), first?.close(), second?.close()]);
});

async function storedHeaders(id: number): Promise<Record<string, string>> {
  const { rows } = await app.testDb.db.query<{ h: Record<string, string> }>(
    `SELECT parametres_http->'headers' AS h FROM monitoring.moniteurs WHERE id = $1`,
    [id],
  );
  return rows[0]!.h;
}

describe('credential headers of a monitor', () => {
  it('are never shown, survive an edit that sends the placeholder back, and can be replaced', async () => {
    const headers = { Authorization: 'Bearer s3cr3t-t0ken', 'X-Api-Key': 'k3y-value', Accept: 'application/json' };
    const created = await call(
      app,
      'POST',
      '/api/moniteurs',
      moniteurBody('http://127.0.0.1:9/', { en_pause: true, parametres_http: { entetes: headers } }),
    );
    expect(created.status).toBe(201);
    const id = created.body.moniteur.id as number;
    const shown = { Authorization: '********', 'X-Api-Key': '********', Accept: 'application/json' };
    expect(created.body.moniteur.parametres_http.entetes).toEqual(shown);
    expect((await call(app, 'GET', `/api/moniteurs/${id}`)).body.moniteur.parametres_http.entetes).toEqual(shown);
    const listed = JSON.stringify((await call(app, 'GET', '/api/moniteurs')).body);
    expect(listed).not.toContain('s3cr3t');
    const graphql = dataOf(
      await app.gql(`query ($id: ID!) { monitor(id: $id) { http { headers { name value } } } }`, { id: String(id) }),
    );
    expect(JSON.stringify(graphql)).not.toContain('s3cr3t');
    expect(JSON.stringify(graphql)).not.toContain('k3y-value');

    // An editor form sends everything back as shown: the stored values stay.
    const edited = await call(app, 'PATCH', `/api/moniteurs/${id}`, {
      nom: 'renamed',
      parametres_http: { entetes: shown },
    });
    expect(edited.status).toBe(200);
    expect(await storedHeaders(id)).toEqual(headers);
    // A new value replaces it; a header left out is removed.
    await call(app, 'PATCH', `/api/moniteurs/${id}`, { parametres_http: { entetes: { Authorization: 'Bearer n3w' } } });
    expect(await storedHeaders(id)).toEqual({ Authorization: 'Bearer n3w' });
    // GraphQL updates follow the same rule.
    const viaGraphQL = await app.gql(
      `mutation ($id: ID!) { updateMonitor(id: $id, input: { http: { headers: [{ name: "authorization", value: "********" }] } }) { id } }`,
      { id: String(id) },
    );
    expect(viaGraphQL.errors).toBeUndefined();
    expect(await storedHeaders(id)).toEqual({ authorization: 'Bearer n3w' });
  });

  it('refuses the placeholder for a header that has no stored value', async () => {
    const created = await call(app, 'POST', '/api/moniteurs', moniteurBody('http://127.0.0.1:9/', { en_pause: true }));
    const response = await call(app, 'PATCH', `/api/moniteurs/${created.body.moniteur.id}`, {
      parametres_http: { entetes: { Authorization: '********' } },
    });
    expect(response.status).toBe(400);
    expect(response.body.erreur).toMatch(/^parametres_http\.entetes\.Authorization: /);
  });
});

describe('secret headers when the target moves to another origin', () => {
  const secrets = { Authorization: 'Bearer s3cr3t', 'X-Api-Key': 'k3y-value', Accept: 'text/plain' };

  async function monitorOn(target: HttpTarget): Promise<number> {
    const created = await call(
      app,
      'POST',
      '/api/moniteurs',
      moniteurBody(`${target.url}/`, { en_pause: true, parametres_http: { entetes: secrets } }),
    );
    expect(created.status).toBe(201);
    return created.body.moniteur.id as number;
  }

  /** Runs the monitor's check now and returns the headers the target received. */
  async function headersSentTo(id: number, target: HttpTarget) {
    const before = target.requests;
    dataOf(await app.gql(`mutation ($id: ID!) { checkNow(id: $id) { isUp } }`, { id: String(id) }));
    expect(target.requests).toBe(before + 1);
    return target.seen.at(-1)!.headers;
  }

  it('drops them when only the target changes (REST PATCH), so the new host never gets them', async () => {
    const id = await monitorOn(first);
    expect(await headersSentTo(id, first)).toMatchObject({ authorization: 'Bearer s3cr3t', 'x-api-key': 'k3y-value' });
    const moved = await call(app, 'PATCH', `/api/moniteurs/${id}`, { cible: `${second.url}/health` });
    expect(moved.status).toBe(200);
    expect(moved.body.moniteur.parametres_http.entetes).toEqual({ Accept: 'text/plain' });
    expect(await storedHeaders(id)).toEqual({ Accept: 'text/plain' });
    const received = await headersSentTo(id, second);
    expect(received.authorization).toBeUndefined();
    expect(received['x-api-key']).toBeUndefined();
    expect(received.accept).toBe('text/plain');
  });

  it('refuses the placeholder for a new origin (PATCH and PUT), and keeps what was stored', async () => {
    const id = await monitorOn(first);
    const shown = { Authorization: '********', 'X-Api-Key': '********', Accept: 'text/plain' };
    const patched = await call(app, 'PATCH', `/api/moniteurs/${id}`, {
      cible: `${second.url}/`,
      parametres_http: { entetes: shown },
    });
    expect(patched.status).toBe(400);
    expect(patched.body.erreur).toMatch(/^parametres_http\.entetes\.Authorization: .*send its value/);
    const replaced = await call(
      app,
      'PUT',
      `/api/moniteurs/${id}`,
      moniteurBody(`${second.url}/`, { parametres_http: { entetes: shown } }),
    );
    expect(replaced.status).toBe(400);
    expect(await storedHeaders(id)).toEqual(secrets);
  });

  it('sends new values given with the move, and keeps the stored ones on the same origin', async () => {
    const id = await monitorOn(first);
    const samePlace = await call(app, 'PATCH', `/api/moniteurs/${id}`, { cible: `${first.url}/other/path` });
    expect(samePlace.status).toBe(200);
    expect(await storedHeaders(id)).toEqual(secrets);
    const moved = await call(app, 'PATCH', `/api/moniteurs/${id}`, {
      cible: `${second.url}/`,
      parametres_http: { entetes: { Authorization: 'Bearer for-second' } },
    });
    expect(moved.status).toBe(200);
    expect(await headersSentTo(id, second)).toMatchObject({ authorization: 'Bearer for-second' });
  });

  it('follows the same rule through GraphQL updateMonitor', async () => {
    const id = await monitorOn(first);
    const update = `mutation ($id: ID!, $input: UpdateMonitorInput!) { updateMonitor(id: $id, input: $input) { id } }`;
    const withPlaceholder = await app.gql(update, {
      id: String(id),
      input: { target: `${second.url}/`, http: { headers: [{ name: 'Authorization', value: '********' }] } },
    });
    expect(errorOf(withPlaceholder, 'BAD_USER_INPUT').message).toMatch(/^http\.headers\.Authorization: /);
    expect(await storedHeaders(id)).toEqual(secrets);
    expect((await app.gql(update, { id: String(id), input: { target: `${second.url}/` } })).errors).toBeUndefined();
    expect(await storedHeaders(id)).toEqual({ Accept: 'text/plain' });
    expect((await headersSentTo(id, second)).authorization).toBeUndefined();
  });
});
