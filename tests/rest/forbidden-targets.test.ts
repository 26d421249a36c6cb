// A monitor whose target is a link-local/cloud metadata IP address is refused when saved (REST and GraphQL),
// naming the field, unless RESEAUX_AUTORISES names its range. (Names are checked at each check, after DNS: see
// tests/checks/metadata-monitors.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, startGraphQLApp, type GraphQLTestApp } from '../helpers/graphql.ts';
import { call, moniteurBody } from './support.ts';

let app: GraphQLTestApp;
let allowing: GraphQLTestApp;

beforeAll(async () => {
  [app, allowing] = await Promise.all([
    startGraphQLApp(),
    startGraphQLApp({ env: { RESEAUX_AUTORISES: '169.254.0.0/16,127.0.0.0/8' } }),
  ]);
  await Promise.all([app.scheduler.stop(), allowing.scheduler.stop()]);
});

afterAll(async () => {
  await Promise.all([app?.close(), allowing?.close()]);
});

const CREATE = `mutation ($input: CreateMonitorInput!) { createMonitor(input: $input) { id target } }`;

describe('monitor targets on link-local and cloud metadata addresses', () => {
  it.each([
    ['http', 'http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ['http', 'http://2852039166/', '169.254.169.254'],
    ['http', 'http://[fd00:ec2::254]/', 'fd00:ec2::254'],
    ['tcp', '100.100.100.200:80', '100.100.100.200'],
    ['icmp', '168.63.129.16', '168.63.129.16'],
    ['icmp', 'fe80::1', 'fe80::1'],
  ])('are refused over REST (%s %s), naming cible', async (type, cible, address) => {
    const response = await call(app, 'POST', '/api/moniteurs', moniteurBody(cible, { type }));
    expect(response.status).toBe(400);
    expect(response.body.erreur).toBe(
      `cible: ${address} is a link-local/cloud metadata address not named in RESEAUX_AUTORISES; Vigie does not send requests there`,
    );
  });

  it('are refused when an update moves a monitor there', async () => {
    const created = await call(app, 'POST', '/api/moniteurs', moniteurBody('http://127.0.0.1:9/', { en_pause: true }));
    expect(created.status).toBe(201);
    const moved = await call(app, 'PATCH', `/api/moniteurs/${created.body.moniteur.id}`, {
      cible: 'http://169.254.169.254/',
    });
    expect(moved.status).toBe(400);
    expect(moved.body.erreur).toMatch(/^cible: 169\.254\.169\.254 is a link-local/);
    const update = await app.gql(
      `mutation ($id: ID!) { updateMonitor(id: $id, input: { target: "http://169.254.169.254/" }) { id } }`,
      {
        id: String(created.body.moniteur.id),
      },
    );
    expect(errorOf(update, 'BAD_USER_INPUT').extensions?.field).toBe('target');
  });

  it('are refused over GraphQL with BAD_USER_INPUT naming target', async () => {
    const response = await app.gql(CREATE, {
      input: { name: 'metadata', kind: 'HTTP', target: 'http://169.254.169.254/' },
    });
    const error = errorOf(response, 'BAD_USER_INPUT');
    expect(error.extensions?.field).toBe('target');
    expect(error.message).toMatch(/^target: 169\.254\.169\.254 is a link-local\/cloud metadata address/);
  });

  it('are accepted when RESEAUX_AUTORISES names the range', async () => {
    const response = await call(
      allowing,
      'POST',
      '/api/moniteurs',
      moniteurBody('http://169.254.169.254/latest/', { en_pause: true }),
    );
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const other = await call(
      allowing,
      'POST',
      '/api/moniteurs',
      moniteurBody('http://100.100.100.200/', { en_pause: true }),
    );
    expect(other.status).toBe(400);
  });
});
