// Subscriptions over WebSocket (graphql-ws) fed by PostgreSQL NOTIFY: rows written by another connection reach
// subscribers exactly once, in order, filtered by monitor; disconnecting subscribers free their resources.
import type { Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testDbKind } from '../helpers/db.ts';
import {
  collect,
  dataOf,
  resultWriter,
  startGraphQLApp,
  type Collected,
  type GraphQLTestApp,
  type ResultWriter,
} from '../helpers/graphql.ts';
import { createMonitor } from '../helpers/factories.ts';

const ALERTS = `subscription ($id: ID) { alertRaised(monitorId: $id) { id monitorId kind cause } }`;
const RESULTS = `subscription ($id: ID) { checkCompleted(monitorId: $id) { id monitorId isUp } }`;
const CHANGES = `subscription ($id: ID) {
  monitorStatusChanged(monitorId: $id) { monitorId previous status monitor { name } }
}`;

let app: GraphQLTestApp;
let writer: ResultWriter;
let client: Client;
const open: Collected[] = [];

beforeAll(async () => {
  app = await startGraphQLApp();
  // Only the tests write results: the monitors here point nowhere and must not be checked.
  await app.scheduler.stop();
  writer = await resultWriter(app.testDb);
  client = app.wsClient();
}, 60_000);

afterAll(async () => {
  await writer?.close();
  await app?.close();
});

/** Subscribes, and waits until the server follows `count` subscriptions in all (events start from then). */
async function subscribe(query: string, variables: Record<string, unknown>, count: number): Promise<Collected> {
  const collected = collect(client, query, variables);
  open.push(collected);
  await expect.poll(() => app.events.subscriberCount, { timeout: 5000 }).toBe(count);
  return collected;
}

afterEach(async () => {
  for (const collected of open.splice(0)) collected.dispose();
  // Every unsubscribe frees its place in the event hub.
  await expect.poll(() => app.events.subscriberCount, { timeout: 5000 }).toBe(0);
});

async function alertRows(): Promise<Array<{ id: string; monitorId: string; kind: string }>> {
  const { rows } = await app.testDb.db.query<{ id: number; moniteur_id: number; type: string }>(
    `SELECT id, moniteur_id, type FROM monitoring.alertes ORDER BY id`,
  );
  return rows.map((row) => ({ id: String(row.id), monitorId: String(row.moniteur_id), kind: row.type }));
}

describe('alertRaised', () => {
  it(`receives alerts written by ${testDbKind === 'postgres' ? 'another pg connection' : 'the same process'}, filtered by monitor`, async () => {
    const [first, second] = [
      (await createMonitor(app.db, { name: 'first' })).id,
      (await createMonitor(app.db, { name: 'second' })).id,
    ];
    const before = (await alertRows()).length;
    const all = await subscribe(ALERTS, {}, 1);
    const onlyFirst = await subscribe(ALERTS, { id: String(first) }, 2);
    const onlySecond = await subscribe(ALERTS, { id: String(second) }, 3);

    await writer.insert(first, [true, false]); // DOWN
    await writer.insert(second, [true, false, true]); // DOWN, UP
    await writer.insert(first, [true]); // UP

    const expected = (await alertRows()).slice(before);
    expect(expected.map((alert) => [alert.monitorId, alert.kind])).toEqual([
      [String(first), 'DOWN'],
      [String(second), 'DOWN'],
      [String(second), 'UP'],
      [String(first), 'UP'],
    ]);
    const shape = (collected: Collected) =>
      collected.events.map((event) => {
        const { id, monitorId, kind } = event.alertRaised;
        return { id, monitorId, kind };
      });
    await expect.poll(() => shape(all), { timeout: 5000 }).toEqual(expected);
    await expect.poll(() => shape(onlyFirst)).toEqual(expected.filter((alert) => alert.monitorId === String(first)));
    await expect.poll(() => shape(onlySecond)).toEqual(expected.filter((alert) => alert.monitorId === String(second)));
    expect(all.events[0].alertRaised.cause).toBe('HTTP 500');
    expect([...all.errors, ...onlyFirst.errors, ...onlySecond.errors]).toEqual([]);
  });

  it('refuses a monitorId that is not a number with BAD_USER_INPUT', async () => {
    const bad = collect(client, ALERTS, { id: 'abc' });
    open.push(bad);
    await expect.poll(() => bad.errors.length, { timeout: 5000 }).toBeGreaterThan(0);
    expect(bad.errors[0]).toMatchObject({
      message: expect.stringMatching(/monitorId/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(bad.events).toEqual([]);
  });

  it('applies the depth limit to subscriptions too', async () => {
    let selection = 'id';
    for (let level = 10; level >= 2; level--)
      selection = `${level % 2 === 0 ? 'monitor' : 'alerts(first: 1)'} { ${selection} }`;
    const deep = collect(client, `subscription { alertRaised { ${selection} } }`);
    open.push(deep);
    await expect.poll(() => deep.errors.length, { timeout: 5000 }).toBeGreaterThan(0);
    expect(deep.errors[0]).toMatchObject({ extensions: { code: 'QUERY_TOO_DEEP' } });
  });
});

describe('checkCompleted', () => {
  it('receives every new result in order, for one monitor or for all', async () => {
    const [watched, other] = [(await createMonitor(app.db)).id, (await createMonitor(app.db)).id];
    const one = await subscribe(RESULTS, { id: String(watched) }, 1);
    const all = await subscribe(RESULTS, {}, 2);
    const watchedIds = await writer.insert(watched, [true, true, false]);
    const otherIds = await writer.insert(other, [true]);
    const moreIds = await writer.insert(watched, [true]);

    const ids = (collected: Collected) => collected.events.map((event) => Number(event.checkCompleted.id));
    await expect.poll(() => ids(all), { timeout: 5000 }).toEqual([...watchedIds, ...otherIds, ...moreIds]);
    await expect.poll(() => ids(one)).toEqual([...watchedIds, ...moreIds]);
    expect(one.events.map((event) => event.checkCompleted.isUp)).toEqual([true, true, false, true]);
    expect(new Set(one.events.map((event) => event.checkCompleted.monitorId))).toEqual(new Set([String(watched)]));
  });

  it('does not replay what was written before the subscription', async () => {
    const monitor = (await createMonitor(app.db)).id;
    await writer.insert(monitor, [true, true]);
    const late = await subscribe(RESULTS, { id: String(monitor) }, 1);
    const [fresh] = await writer.insert(monitor, [false]);
    await expect
      .poll(() => late.events.map((event) => Number(event.checkCompleted.id)), { timeout: 5000 })
      .toEqual([fresh]);
  });
});

describe('monitorStatusChanged', () => {
  it('receives PENDING→UP, UP→DOWN, pause and resume, once each and in order', async () => {
    const monitor = (await createMonitor(app.db, { name: 'changing' })).id;
    const other = (await createMonitor(app.db, { name: 'other' })).id;
    const changes = await subscribe(CHANGES, { id: String(monitor) }, 1);
    const all = await subscribe(CHANGES, {}, 2);

    await writer.insert(monitor, [true]);
    await writer.insert(other, [false]);
    await writer.insert(monitor, [true, false]);
    const mutate = async (name: string) =>
      dataOf(await app.gql(`mutation ($id: ID!) { ${name}(id: $id) { status } }`, { id: String(monitor) }));
    expect(await mutate('pauseMonitor')).toEqual({ pauseMonitor: { status: 'PAUSED' } });
    expect(await mutate('resumeMonitor')).toEqual({ resumeMonitor: { status: 'DOWN' } });

    const steps = (collected: Collected) =>
      collected.events.map(({ monitorStatusChanged: c }) => `${c.monitorId}:${c.previous}→${c.status}`);
    const mine = ['PENDING→UP', 'UP→DOWN', 'DOWN→PAUSED', 'PAUSED→DOWN'].map((step) => `${monitor}:${step}`);
    await expect.poll(() => steps(changes), { timeout: 5000 }).toEqual(mine);
    await expect.poll(() => steps(all)).toEqual([mine[0], `${other}:PENDING→DOWN`, ...mine.slice(1)]);
    expect(changes.events[0].monitorStatusChanged.monitor).toEqual({ name: 'changing' });
  });
});

describe('resources', () => {
  it('frees a subscriber whose connection drops without unsubscribing', async () => {
    const dropping = app.wsClient();
    for (const query of [ALERTS, RESULTS, CHANGES]) collect(dropping, query, {});
    await expect.poll(() => app.events.subscriberCount, { timeout: 5000 }).toBe(3);
    // Closes the socket at once, without the protocol's goodbye.
    dropping.terminate();
    await expect.poll(() => app.events.subscriberCount, { timeout: 5000 }).toBe(0);
    // The server still serves the others.
    const still = await subscribe(RESULTS, {}, 1);
    const ids = await writer.insert((await createMonitor(app.db)).id, [true]);
    await expect
      .poll(() => still.events.map((event) => Number(event.checkCompleted.id)), { timeout: 5000 })
      .toEqual(ids);
  });
});
