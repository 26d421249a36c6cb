// An email channel refused by a self-signed SMTP server: the error says which settings to change, named as the
// caller's API names them: "parametres.ignoreTlsErrors" over REST, "settings.ignoreTlsErrors" over GraphQL, in
// the test send's answer and in the delivery log alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMonitor, raiseDownAlert } from '../helpers/factories.ts';
import { dataOf, startGraphQLApp, type GraphQLTestApp } from '../helpers/graphql.ts';
import { startSmtpServer, type SmtpReceiver } from '../helpers/receivers.ts';
import { call } from './support.ts';

let app: GraphQLTestApp;
let smtp: SmtpReceiver;
let channelId: number;

beforeAll(async () => {
  [app, smtp] = await Promise.all([
    startGraphQLApp({ env: { NOTIFICATION_DELAI_GROUPAGE_MS: '0', TIMEOUT_NOTIFICATION_SECONDES: '2' } }),
    startSmtpServer({ security: 'starttls' }),
  ]);
  const created = await call(app, 'POST', '/api/canaux', {
    nom: 'ops mail',
    type: 'email',
    par_defaut: true,
    parametres: {
      host: '127.0.0.1',
      port: smtp.port,
      security: 'starttls',
      from: 'vigie@example.test',
      to: ['ops@example.test'],
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  channelId = created.body.canal.id;
});
afterAll(async () => {
  await app?.close();
  await smtp?.close();
});

const REST_NAMES = /check parametres\.security, or set parametres\.ignoreTlsErrors to accept a self-signed certificate/;
const GRAPHQL_NAMES = /check settings\.security, or set settings\.ignoreTlsErrors to accept a self-signed certificate/;

describe('a delivery error names the channel settings as the caller’s API does', () => {
  it('in a test send: parametres.… over REST, settings.… over GraphQL', async () => {
    const rest = await call(app, 'POST', `/api/canaux/${channelId}/test`);
    expect(rest.status).toBe(200);
    expect(rest.body.envoye).toBe(false);
    expect(rest.body.erreur).toMatch(/certificate/);
    expect(rest.body.erreur).toMatch(REST_NAMES);
    expect(rest.body.erreur).not.toMatch(/settings\./);

    const graphql = dataOf(
      await app.gql('mutation ($id: ID!) { testChannel(id: $id) { ok error } }', { id: String(channelId) }),
    );
    expect(graphql.testChannel.ok).toBe(false);
    expect(graphql.testChannel.error).toMatch(GRAPHQL_NAMES);
    expect(graphql.testChannel.error).not.toMatch(/parametres/);
    expect(smtp.messages).toHaveLength(0);
  });

  it('in the delivery log of an alert: derniere_erreur over REST, lastError over GraphQL', async () => {
    const monitor = await createMonitor(app.testDb.db, { name: 'shop', paused: true });
    await raiseDownAlert(app.testDb.db, monitor.id);
    const ofChannel = async () =>
      (await call(app, 'GET', `/api/livraisons?canal=${channelId}`)).body.livraisons as Array<Record<string, any>>;
    // The TLS refusal is final: no retry.
    await expect.poll(async () => (await ofChannel())[0]?.statut, { timeout: 10_000 }).toBe('echouee');
    const [failed] = await ofChannel();
    expect(failed!.derniere_erreur).toMatch(REST_NAMES);
    expect(failed!.derniere_erreur).not.toMatch(/settings\./);

    const graphql = dataOf(
      await app.gql('query ($id: ID) { deliveries(channelId: $id) { status lastError } }', { id: String(channelId) }),
    );
    expect(graphql.deliveries).toHaveLength(1);
    expect(graphql.deliveries[0].status).toBe('FAILED');
    expect(graphql.deliveries[0].lastError).toMatch(GRAPHQL_NAMES);
    expect(graphql.deliveries[0].lastError).not.toMatch(/parametres/);
  });
});
