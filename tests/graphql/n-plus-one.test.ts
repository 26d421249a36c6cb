// No N+1: listing 1,000 monitors with their last result and 24 h availability costs a bounded number of
// SQL statements, whatever the number of monitors.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { insertResults } from '../../server/results/index.ts';
import { createMonitor, result } from '../helpers/factories.ts';
import { dataOf, startGraphQLApp, type GraphQLTestApp } from '../helpers/graphql.ts';

const MONITORS = 1000;
/** monitors + last results + stats, with room for one more batch; an N+1 would be about 1,000. */
const MAX_STATEMENTS = 5;

let app: GraphQLTestApp;

beforeAll(async () => {
  app = await startGraphQLApp();
  // Paused monitors are not scheduled, so the scheduler leaves them (and the database) alone.
  for (let n = 1; n <= MONITORS; n++)
    await createMonitor(app.testDb.db, { name: `bulk ${n}`, target: `http://127.0.0.1:9/${n}`, paused: true });
  // One result each, the odd ones down; monitors 5, 15, 25... also have an older up result.
  const { rows: monitors } = await app.testDb.db.query<{ id: number; cible: string }>(
    `SELECT id, cible FROM monitoring.moniteurs`,
  );
  const now = Date.now();
  const seen = (id: number, isUp: boolean, latencyMs: number, minutesAgo: number, target: string) =>
    result(id, isUp, {
      httpStatus: 200,
      latencyMs,
      checkedAt: new Date(now - minutesAgo * 60_000),
      target,
      cause: null,
      error: null,
    });
  await insertResults(app.testDb.db, [
    ...monitors.filter(({ id }) => id % 10 === 5).map(({ id, cible }) => seen(id, true, 7, 10, cible)),
    ...monitors.map(({ id, cible }) => seen(id, id % 2 === 0, id, 5, cible)),
  ]);
}, 120_000);

afterAll(async () => {
  await app?.close();
});

it(`lists ${MONITORS} monitors with last result and availability in at most ${MAX_STATEMENTS} SQL statements`, async () => {
  app.resetStatements();
  const started = performance.now();
  const response = await app.gql(
    `{ monitors { id name status lastResult { isUp latencyMs } stats { availability } } }`,
  );
  const elapsedMs = performance.now() - started;
  const statements = app.graphqlStatements();
  const { monitors } = dataOf(response);

  expect(monitors).toHaveLength(MONITORS);
  for (const monitor of monitors) {
    const id = Number(monitor.id);
    expect(monitor.status).toBe('PAUSED');
    // The latest result, not the older one of monitors 5, 15, 25...
    expect(monitor.lastResult).toEqual({ isUp: id % 2 === 0, latencyMs: id });
    const expected = id % 2 === 0 ? 100 : id % 10 === 5 ? 50 : 0;
    expect(monitor.stats.availability, `monitor ${id}`).toBe(expected);
  }
  expect(statements.length, `statements sent:\n${statements.join('\n---\n')}`).toBeLessThanOrEqual(MAX_STATEMENTS);
  // Generous: the point is a bounded count, but 1,000 monitors should not take seconds either.
  expect(elapsedMs).toBeLessThan(10_000);
}, 20_000);

it('keeps the same bound when a query asks for the same loaders twice under aliases', async () => {
  app.resetStatements();
  const response = await app.gql(`{
    monitors { lastResult { isUp } day: stats { availability } hour: stats(window: HOUR) { checks } }
  }`);
  expect(dataOf(response).monitors).toHaveLength(MONITORS);
  // monitors + last results + one stats batch per window.
  const statements = app.graphqlStatements();
  expect(statements.length, statements.join('\n---\n')).toBeLessThanOrEqual(MAX_STATEMENTS);
}, 20_000);

it('batches the first page of each monitor’s results and its alerts (the dashboard’s bar of recent checks)', async () => {
  app.resetStatements();
  const response = await app.gql(`{
    monitors { id results(first: 50) { nodes { isUp } pageInfo { hasNextPage } } alerts(first: 5) { id } }
  }`);
  const { monitors } = dataOf(response);
  expect(monitors).toHaveLength(MONITORS);
  for (const monitor of monitors) {
    const id = Number(monitor.id);
    const expected = id % 10 === 5 ? [id % 2 === 0, true] : [id % 2 === 0];
    expect(
      monitor.results.nodes.map((node: { isUp: boolean }) => node.isUp),
      `monitor ${id}`,
    ).toEqual(expected);
    expect(monitor.results.pageInfo.hasNextPage).toBe(false);
    // Monitors 5, 15, 25... went from up to down: one DOWN alert each.
    expect(monitor.alerts, `monitor ${id}`).toHaveLength(id % 10 === 5 ? 1 : 0);
  }
  // monitors (+ their maintenance windows) + one batch of results + one batch of alerts.
  const statements = app.graphqlStatements();
  expect(statements.length, statements.join('\n---\n')).toBeLessThanOrEqual(4);
}, 20_000);
