// Locations through GraphQL: Monitor.locations and quorum (and on the inputs), CheckResult.location, results and
// statistics of one location, DOWN alerts naming the locations, and the quorum checked against the locations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertResults } from '../../server/results/index.ts';
import { result } from '../helpers/factories.ts';
import { dataOf, errorOf, startGraphQLApp, type GraphQLTestApp } from '../helpers/graphql.ts';

let app: GraphQLTestApp;

beforeAll(async () => {
  app = await startGraphQLApp();
}, 60_000);

afterAll(async () => {
  await app?.close();
});

const CREATE = `mutation ($input: CreateMonitorInput!) { createMonitor(input: $input) { id locations quorum } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateMonitorInput!) { updateMonitor(id: $id, input: $input) { locations quorum } }`;
const base = { name: 'located', kind: 'HTTP', target: 'http://127.0.0.1:9/', paused: true };

describe('locations and quorum in GraphQL', () => {
  let id: string;

  it('creates a monitor with locations and a quorum; the defaults are every location and 1', async () => {
    const monitor = dataOf(
      await app.gql(CREATE, { input: { ...base, locations: ['paris', 'tokyo'], quorum: 2 } }),
    ).createMonitor;
    expect(monitor).toMatchObject({ locations: ['paris', 'tokyo'], quorum: 2 });
    id = monitor.id;
    const plain = dataOf(await app.gql(CREATE, { input: base })).createMonitor;
    expect(plain).toMatchObject({ locations: null, quorum: 1 });
  });

  it('refuses a quorum of 0 or above the locations named, as BAD_USER_INPUT naming the field', async () => {
    const zero = errorOf(await app.gql(CREATE, { input: { ...base, quorum: 0 } }), 'BAD_USER_INPUT');
    expect(zero.message).toMatch(/quorum: must be at least 1/);
    const above = errorOf(await app.gql(UPDATE, { id, input: { locations: ['paris'] } }), 'BAD_USER_INPUT');
    expect(above.message).toMatch(/quorum: must be at most the number of locations named \(1\), got 2/);
    const twice = errorOf(await app.gql(UPDATE, { id, input: { locations: ['a', 'a'] } }), 'BAD_USER_INPUT');
    expect(twice.message).toMatch(/locations: must not name a location twice/);
  });

  it('updates the locations, null meaning every location', async () => {
    const changed = dataOf(await app.gql(UPDATE, { id, input: { locations: ['paris', 'tokyo', 'lima'] } }));
    expect(changed.updateMonitor).toMatchObject({ locations: ['paris', 'tokyo', 'lima'], quorum: 2 });
    const everywhere = dataOf(await app.gql(UPDATE, { id, input: { locations: null, quorum: 3 } }));
    expect(everywhere.updateMonitor).toMatchObject({ locations: null, quorum: 3 });
    dataOf(await app.gql(UPDATE, { id, input: { locations: ['paris', 'tokyo'], quorum: 2 } }));
  });

  it('gives each result its location, and the results, statistics and alerts of locations', async () => {
    const monitorId = Number(id);
    const now = Date.now();
    await insertResults(app.testDb.db, [
      result(monitorId, true, { location: 'paris', checkedAt: new Date(now - 4_000) }),
      result(monitorId, true, { location: 'tokyo', checkedAt: new Date(now - 4_000) }),
      result(monitorId, false, { location: 'paris', checkedAt: new Date(now - 3_000) }),
      result(monitorId, false, { location: 'tokyo', checkedAt: new Date(now - 2_000) }),
    ]);
    const data = dataOf(
      await app.gql(
        `query ($id: ID!) {
           monitor(id: $id) {
             status
             results(location: "tokyo") { nodes { location isUp } }
             stats(window: HOUR, location: "paris") { checks availability }
             alerts { kind locations cause }
           }
           results(monitorId: $id, first: 10) { nodes { location } }
         }`,
        { id },
      ),
    );
    expect(data.monitor.status).toBe('PAUSED');
    expect(data.monitor.results.nodes).toEqual([
      { location: 'tokyo', isUp: false },
      { location: 'tokyo', isUp: true },
    ]);
    expect(data.monitor.stats).toMatchObject({ checks: 2, availability: 50 });
    expect(data.monitor.alerts).toEqual([
      { kind: 'DOWN', locations: ['paris', 'tokyo'], cause: 'HTTP 500 (down from paris, tokyo)' },
    ]);
    expect(data.results.nodes.map((node: { location: string }) => node.location).sort()).toEqual([
      'paris',
      'paris',
      'tokyo',
      'tokyo',
    ]);
  });
});
