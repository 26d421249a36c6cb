// The certificate an HTTPS check saw: its days left and its expiry date, stored with the result and shown by
// GraphQL (certificateExpiresAt) and REST (expiration_certificat on a monitor's results).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, startGraphQLApp, type GraphQLTestApp } from '../helpers/graphql.ts';
import { startHttpsTarget, type HttpsTarget } from '../helpers/targets.ts';

const DAY_MS = 86_400_000;
let app: GraphQLTestApp;
let target: HttpsTarget;

beforeAll(async () => {
  [app, target] = await Promise.all([startGraphQLApp(), startHttpsTarget({ validDays: 30 })]);
  await app.scheduler.stop();
});

afterAll(() => Promise.all([app?.close(), target?.close()]));

describe('certificate expiry of a result', () => {
  it('stores when the certificate expires, read back by GraphQL and REST', async () => {
    const created = dataOf(
      await app.gql(`mutation($input: CreateMonitorInput!) { createMonitor(input: $input) { id } }`, {
        input: {
          name: 'tls',
          kind: 'HTTP',
          target: `${target.url}/`,
          paused: true,
          http: { ignoreTlsErrors: true },
        },
      }),
    ).createMonitor;
    const checked = dataOf(
      await app.gql(`mutation($id: ID!) { checkNow(id: $id) { isUp certificateDaysLeft certificateExpiresAt } }`, {
        id: created.id,
      }),
    ).checkNow;
    expect(checked.isUp).toBe(true);
    const expiresIn = Date.parse(checked.certificateExpiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(29 * DAY_MS);
    expect(expiresIn).toBeLessThan(31 * DAY_MS);
    expect(Math.floor(expiresIn / DAY_MS)).toBeLessThanOrEqual(checked.certificateDaysLeft);

    const stored = dataOf(
      await app.gql(`query($id: ID!) { monitor(id: $id) { results(first: 1) { nodes { certificateExpiresAt } } } }`, {
        id: created.id,
      }),
    ).monitor.results.nodes;
    expect(stored).toEqual([{ certificateExpiresAt: checked.certificateExpiresAt }]);

    const rest = await app.request(`/api/moniteurs/${created.id}/resultats`);
    const body = (await rest.json()) as { resultats: Array<Record<string, unknown>> };
    expect(body.resultats[0]).toMatchObject({
      jours_certificat: checked.certificateDaysLeft,
      expiration_certificat: checked.certificateExpiresAt,
    });
  });
});
