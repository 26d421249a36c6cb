// Credential headers of HTTP monitors are write-only: shown as a placeholder by REST and GraphQL, kept when
// the placeholder is sent back, and still sent to the target by checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, startGraphQLApp, type GraphQLTestApp } from '../helpers/graphql.ts';
import { call, moniteurBody } from './support.ts';

let app: GraphQLTestApp;

beforeAll(async () => {
  app = await startGraphQLApp();
  await app.scheduler.stop();
});

afterAll(async () => {
  await app?.close();
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
    const created = await call(app, 'POST', '/api/moniteurs', moniteurBody('http://127.0.0.1:9/', { en_pause: true, parametres_http: { entetes: headers } }));
    expect(created.status).toBe(201);
    const id = created.body.moniteur.id as number;
    const shown = { Authorization: '********', 'X-Api-Key': '********', Accept: 'application/json' };
    expect(created.body.moniteur.parametres_http.entetes).toEqual(shown);
    expect((await call(app, 'GET', `/api/moniteurs/${id}`)).body.moniteur.parametres_http.entetes).toEqual(shown);
    const listed = JSON.stringify((await call(app, 'GET', '/api/moniteurs')).body);
    expect(listed).not.toContain('s3cr3t');
    const graphql = dataOf(await app.gql(`query ($id: ID!) { monitor(id: $id) { http { headers { name value } } } }`, { id: String(id) }));
    expect(JSON.stringify(graphql)).not.toContain('s3cr3t');
    expect(JSON.stringify(graphql)).not.toContain('k3y-value');

    // An editor form sends everything back as shown: the stored values stay.
    const edited = await call(app, 'PATCH', `/api/moniteurs/${id}`, { nom: 'renamed', parametres_http: { entetes: shown } });
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
