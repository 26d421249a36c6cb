// Subscriptions under stress: a burst of results, the LISTEN connection killed while subscribers wait, and a
// second server instance on the same database.
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testDbKind } from '../helpers/db.ts';
import { capturingLogger } from '../helpers/logger.ts';
import {
  collect,
  dataOf,
  resultWriter,
  startGraphQLApp,
  type Collected,
  type GraphQLTestApp,
  type ResultWriter,
} from '../helpers/graphql.ts';
import { startHttpTarget } from '../helpers/targets.ts';
import { createMonitor } from '../helpers/factories.ts';

const ALERTS = `subscription ($id: ID) { alertRaised(monitorId: $id) { id monitorId kind } }`;
const RESULTS = `subscription ($id: ID) { checkCompleted(monitorId: $id) { id } }`;
const CHANGES = `subscription { monitorStatusChanged { monitorId previous status } }`;

let app: GraphQLTestApp;
let writer: ResultWriter;
let client: Client;
const log = capturingLogger();

beforeAll(async () => {
  app = await startGraphQLApp({ logger: log.logger });
  await app.scheduler.stop(); // only the tests write results
  writer = await resultWriter(app.testDb);
  client = app.wsClient();
}, 60_000);

afterAll(async () => {
  await writer?.close();
  await app?.close();
});

async function following(target: GraphQLTestApp, count: number): Promise<void> {
  await expect.poll(() => target.events.subscriberCount, { timeout: 5000 }).toBe(count);
}

const alertIds = (collected: Collected) => collected.events.map((event) => Number(event.alertRaised.id));

async function alertIdsInDb(after = 0): Promise<number[]> {
  const { rows } = await writer.query(`SELECT id FROM monitoring.alertes WHERE id > $1 ORDER BY id`, [after]);
  return rows.map((row) => Number(row.id));
}

it('delivers a burst of 2,000 results to checkCompleted subscribers, each exactly once, in order', async () => {
  const monitors: number[] = [];
  for (let i = 0; i < 4; i++) monitors.push((await createMonitor(app.db, { name: `burst ${i}` })).id);
  const all = collect(client, RESULTS, {});
  const one = collect(client, RESULTS, { id: String(monitors[0]) });
  await following(app, 2);

  // One INSERT of 1,400 rows (more than a subscriber's buffer of 1,000 in one go), then 3 of 200; a mix of up
  // and down, so with transitions and alerts too.
  const outcomes = (count: number) => Array.from({ length: count }, (_, i) => i % 7 !== 0);
  const written: number[] = [];
  written.push(...(await writer.insert(monitors[0]!, outcomes(1400))));
  for (const monitor of monitors.slice(1)) written.push(...(await writer.insert(monitor, outcomes(200))));
  expect(written).toHaveLength(2000);

  const ids = (collected: Collected) => collected.events.map((event) => Number(event.checkCompleted.id));
  await expect.poll(() => all.errors.length > 0 || all.events.length >= 2000, { timeout: 15_000 }).toBe(true);
  expect(all.errors).toEqual([]);
  expect(ids(all)).toEqual(written);
  await expect.poll(() => ids(one), { timeout: 5000 }).toEqual(written.slice(0, 1400));
  expect(one.errors).toEqual([]);
  // Nothing arrives twice: one more result comes right after the 2,000, and nothing else.
  const last = await writer.insert(monitors[1]!, [true]);
  await expect.poll(() => ids(all), { timeout: 5000 }).toEqual([...written, ...last]);
  all.dispose();
  one.dispose();
  await following(app, 0);
}, 30_000);

// The embedded database lives in this process: there is no LISTEN connection that could be killed.
if (testDbKind === 'postgres') {
  it('keeps every alert, exactly once and in order, across a killed LISTEN connection', async () => {
    const [first, second] = [(await createMonitor(app.db)).id, (await createMonitor(app.db)).id];
    await writer.insert(first, [true]);
    await writer.insert(second, [true]);
    const [start = 0] = (await alertIdsInDb()).slice(-1);
    const all = collect(client, ALERTS, {});
    const onlyFirst = collect(client, ALERTS, { id: String(first) });
    const results = collect(client, RESULTS, { id: String(first) });
    await following(app, 3);
    log.lines.length = 0;

    const killed = await writer.query(
      `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
        WHERE application_name = 'vigie-listen' AND datname = current_database()`,
    );
    expect(killed.rows).toEqual([{ killed: true }]);
    // Written right after the kill, before the server reconnects: these notifications are lost.
    const gapResults = [...(await writer.insert(first, [false])), ...(await writer.insert(second, [false, true]))];

    const gap = await alertIdsInDb(start);
    expect(gap).toHaveLength(3);
    await expect.poll(() => alertIds(all), { timeout: 8000 }).toEqual(gap);
    expect(
      log.lines.some((line) => line.includes('catching up on events missed')),
      'the catch-up was logged',
    ).toBe(true);
    await expect
      .poll(
        async () => {
          const { rows } = await writer.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'vigie-listen' AND datname = current_database()`,
          );
          return rows[0].n;
        },
        { timeout: 5000 },
      )
      .toBe(1);

    // After the reconnect, new events arrive by notification again.
    const laterResults = await writer.insert(first, [true]);
    const everything = await alertIdsInDb(start);
    expect(everything).toHaveLength(4);
    await expect.poll(() => alertIds(all), { timeout: 3000 }).toEqual(everything);
    await expect.poll(() => alertIds(onlyFirst), { timeout: 3000 }).toEqual([everything[0], everything[3]]);
    await expect
      .poll(() => results.events.map((event) => Number(event.checkCompleted.id)), { timeout: 3000 })
      .toEqual([gapResults[0], ...laterResults]);
    expect([...all.errors, ...onlyFirst.errors, ...results.errors]).toEqual([]);
    for (const collected of [all, onlyFirst, results]) collected.dispose();
    await following(app, 0);
  }, 20_000);

  it('tells a subscriber of instance B about a transition caused through instance A', async () => {
    const target = await startHttpTarget();
    const second = await startGraphQLApp({ sharing: app.testDb });
    try {
      await second.scheduler.stop();
      const secondClient = second.wsClient();
      const alerts = collect(secondClient, ALERTS, {});
      const changes = collect(secondClient, CHANGES, {});
      await following(second, 2);

      // Neither instance schedules checks here: the only checks are the two checkNow below, sent to A.
      const monitor = dataOf(
        await app.gql(`mutation ($input: CreateMonitorInput!) { createMonitor(input: $input) { id } }`, {
          input: { name: 'across', kind: 'HTTP', target: `${target.url}/` },
        }),
      ).createMonitor;
      const checkNow = async () =>
        dataOf(await app.gql(`mutation ($id: ID!) { checkNow(id: $id) { isUp } }`, { id: monitor.id })).checkNow;
      expect(await checkNow()).toEqual({ isUp: true });
      target.setStatus(500);
      expect(await checkNow()).toEqual({ isUp: false });

      await expect
        .poll(() => alerts.events.map((event) => event.alertRaised.kind), { timeout: 5000 })
        .toEqual(['DOWN']);
      expect(alerts.events[0].alertRaised.monitorId).toBe(monitor.id);
      await expect
        .poll(() => changes.events.map(({ monitorStatusChanged: c }) => `${c.monitorId}:${c.previous}→${c.status}`), {
          timeout: 5000,
        })
        .toEqual([`${monitor.id}:PENDING→UP`, `${monitor.id}:UP→DOWN`]);
      expect([...alerts.errors, ...changes.errors]).toEqual([]);
    } finally {
      await second.close();
      await target.close();
    }
  }, 20_000);
}
