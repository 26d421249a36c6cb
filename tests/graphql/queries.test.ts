// GraphQL queries end to end over HTTP: monitors with status, last result and stats, result pagination
// (boundaries, time range, bad arguments), alerts, health, and GraphiQL.
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertResults } from '../../server/db/index.ts';
import { testDbKind } from '../helpers/db.ts';
import { createMonitor, result } from '../helpers/factories.ts';
import { dataOf, errorOf, startGraphQLApp, type GraphQLTestApp } from '../helpers/graphql.ts';

let app: GraphQLTestApp;

beforeAll(async () => {
  app = await startGraphQLApp();
  // Queries only read what the tests insert: no check may add results behind their back.
  await app.scheduler.stop();
}, 60_000);

afterAll(async () => {
  await app?.close();
});

const MINUTE = 60_000;

describe('monitors and monitor(id)', () => {
  it('shows status, last result and 24 h stats computed from the stored results', async () => {
    // Paused monitors are not scheduled, so the results below are the only ones.
    const monitor = { id: (await createMonitor(app.db, { name: 'stats', paused: true, slowThresholdMs: 1000 })).id };
    const now = Date.now();
    await insertResults(app.testDb.db, [
      result(monitor.id, true, { checkedAt: new Date(now - 4 * MINUTE), latencyMs: 100 }),
      result(monitor.id, false, { checkedAt: new Date(now - 3 * MINUTE) }),
      result(monitor.id, true, { checkedAt: new Date(now - 2 * MINUTE), latencyMs: 300 }),
      result(monitor.id, true, { checkedAt: new Date(now - 1 * MINUTE), latencyMs: 200 }),
    ]);
    const data = dataOf(
      await app.gql(
        `query ($id: ID!) {
          monitor(id: $id) {
            id name kind status paused lastCheckedAt
            lastResult { isUp httpStatus latencyMs checkedAt monitorId }
            stats { availability checks failures incidents latency { min max avg } }
            hour: stats(window: HOUR) { checks }
          }
          monitors { id status }
        }`,
        { id: String(monitor.id) },
      ),
    );
    expect(data.monitor).toMatchObject({
      id: String(monitor.id),
      name: 'stats',
      kind: 'HTTP',
      status: 'PAUSED',
      paused: true,
      lastCheckedAt: new Date(now - MINUTE).toISOString(),
      lastResult: { isUp: true, httpStatus: 200, latencyMs: 200, monitorId: String(monitor.id) },
      // Its failure raised a DOWN alert, but a paused monitor is never shown DOWN: paused time holds no incident.
      stats: { availability: 75, checks: 4, failures: 1, incidents: 0, latency: { min: 100, max: 300, avg: 200 } },
      hour: { checks: 4 },
    });
    expect(data.monitors).toContainEqual({ id: String(monitor.id), status: 'PAUSED' });
  });

  it('filters monitors by status and tag, and a monitor without results has PENDING, no last result, null availability', async () => {
    const fresh = { id: (await createMonitor(app.db, { name: 'fresh', tags: ['fresh-tag'] })).id };
    const data = dataOf(
      await app.gql(`{
        tagged: monitors(tag: "fresh-tag") { id status lastResult { id } stats { availability checks } }
        pending: monitors(status: PENDING) { id }
        paused: monitors(status: PAUSED) { id }
      }`),
    );
    expect(data.tagged).toEqual([
      { id: String(fresh.id), status: 'PENDING', lastResult: null, stats: { availability: null, checks: 0 } },
    ]);
    expect(data.pending.map((m: { id: string }) => m.id)).toContain(String(fresh.id));
    expect(data.paused.map((m: { id: string }) => m.id)).not.toContain(String(fresh.id));
  });

  it('answers NOT_FOUND for an unknown monitor and BAD_USER_INPUT for an id that is not a number', async () => {
    const missing = errorOf(await app.gql(`{ monitor(id: "987654") { id } }`), 'NOT_FOUND');
    expect(missing.message).toBe('monitor 987654 does not exist');
    expect(missing.path).toEqual(['monitor']);
    const bad = errorOf(await app.gql(`{ monitor(id: "abc") { id } }`), 'BAD_USER_INPUT');
    expect(bad.message).toMatch(/^id: .*numeric id.*"abc"/);
    errorOf(await app.gql(`{ monitorStats(id: "987654") { checks } }`), 'NOT_FOUND');
  });
});

describe('results pagination', () => {
  let monitorId: number;
  /** The 7 results' ids and times, newest first. */
  let newestFirst: Array<{ id: string; checkedAt: string }>;

  beforeAll(async () => {
    monitorId = (await createMonitor(app.db, { name: 'pages', paused: true })).id;
    const start = Date.parse('2025-03-01T00:00:00Z');
    await insertResults(
      app.testDb.db,
      Array.from({ length: 7 }, (_, i) => result(monitorId, i % 3 !== 0, { checkedAt: new Date(start + i * MINUTE) })),
    );
    const { rows } = await app.testDb.db.query<{ id: number; verifie_a: Date }>(
      `SELECT id, verifie_a FROM monitoring.statuts WHERE moniteur_id = $1 ORDER BY verifie_a DESC`,
      [monitorId],
    );
    newestFirst = rows.map((row) => ({ id: String(row.id), checkedAt: row.verifie_a.toISOString() }));
    expect(newestFirst).toHaveLength(7);
  });

  const PAGE = `query ($id: ID!, $first: Int, $after: String, $from: DateTime, $to: DateTime) {
    monitor(id: $id) {
      results(first: $first, after: $after, from: $from, to: $to) {
        edges { cursor node { id checkedAt } }
        nodes { id }
        pageInfo { hasNextPage endCursor }
      }
    }
  }`;
  const page = async (variables: Record<string, unknown>) =>
    dataOf(await app.gql(PAGE, { id: String(monitorId), ...variables })).monitor.results;

  it('pages 7 results by 3: 3, 3, 1, newest first, chaining endCursor, hasNextPage true, true, false', async () => {
    const seen: string[] = [];
    const shapes: Array<[number, boolean]> = [];
    let after: string | null = null;
    for (let i = 0; i < 3; i++) {
      const current = await page({ first: 3, after });
      shapes.push([current.edges.length, current.pageInfo.hasNextPage]);
      expect(current.nodes.map((n: { id: string }) => n.id)).toEqual(current.edges.map((e: any) => e.node.id));
      expect(current.pageInfo.endCursor).toBe(current.edges.at(-1).cursor);
      seen.push(...current.edges.map((edge: any) => edge.node.id));
      after = current.pageInfo.endCursor;
    }
    expect(shapes).toEqual([
      [3, true],
      [3, true],
      [1, false],
    ]);
    expect(seen).toEqual(newestFirst.map((r) => r.id));
    // Past the last result: an empty page, no cursor.
    expect(await page({ first: 3, after })).toMatchObject({
      edges: [],
      pageInfo: { hasNextPage: false, endCursor: null },
    });
  });

  it('says hasNextPage exactly at the boundary: first 6 has a next page, first 7 has not', async () => {
    expect((await page({ first: 6 })).pageInfo.hasNextPage).toBe(true);
    const all = await page({ first: 7 });
    expect(all.edges).toHaveLength(7);
    expect(all.pageInfo.hasNextPage).toBe(false);
  });

  it('says hasNextPage for a full page of 1,000 inside a range', async () => {
    const many = (await createMonitor(app.db, { name: 'a thousand and one results', paused: true })).id;
    const start = Date.now() - 2000 * MINUTE;
    await insertResults(
      app.testDb.db,
      Array.from({ length: 1001 }, (_, i) => result(many, true, { checkedAt: new Date(start + i * MINUTE) })),
    );
    const { monitor } = dataOf(
      await app.gql(
        `query ($id: ID!, $from: DateTime) { monitor(id: $id) { results(first: 1000, from: $from) { nodes { id } pageInfo { hasNextPage } } } }`,
        {
          id: String(many),
          from: new Date(start).toISOString(),
        },
      ),
    );
    expect(monitor.results.nodes).toHaveLength(1000);
    expect(monitor.results.pageInfo.hasNextPage).toBe(true);
  });

  it('filters by time: from is inclusive, to is exclusive, and paging stays inside the range', async () => {
    const oldestFirst = [...newestFirst].reverse();
    const from = oldestFirst[2]!.checkedAt;
    const to = oldestFirst[5]!.checkedAt;
    const expected = [oldestFirst[4]!.id, oldestFirst[3]!.id, oldestFirst[2]!.id];
    const first = await page({ from, to, first: 2 });
    const rest = await page({ from, to, first: 2, after: first.pageInfo.endCursor });
    expect([...first.nodes, ...rest.nodes].map((n: { id: string }) => n.id)).toEqual(expected);
    expect([first.pageInfo.hasNextPage, rest.pageInfo.hasNextPage]).toEqual([true, false]);
  });

  it('serves the top-level results(monitorId) the same way', async () => {
    const data = dataOf(
      await app.gql(
        `query ($id: ID) { results(monitorId: $id, first: 2) { nodes { id monitorId } pageInfo { hasNextPage } } }`,
        {
          id: String(monitorId),
        },
      ),
    );
    expect(data.results.nodes).toEqual(
      newestFirst.slice(0, 2).map((r) => ({ id: r.id, monitorId: String(monitorId) })),
    );
    expect(data.results.pageInfo.hasNextPage).toBe(true);
  });

  it.each([
    ['first: 0', { first: 0 }, /first: must be between 1 and 1000, got 0/],
    ['first: 1001', { first: 1001 }, /first: must be between 1 and 1000, got 1001/],
    ['first: -1', { first: -1 }, /first: must be between 1 and 1000/],
    ['a made-up cursor', { after: 'not-a-cursor' }, /^after: is not a cursor returned by this API$/],
  ])('refuses %s with BAD_USER_INPUT and a message naming the argument', async (_, variables, message) => {
    const error = errorOf(await app.gql(PAGE, { id: String(monitorId), ...variables }), 'BAD_USER_INPUT');
    expect(error.message).toMatch(message);
  });

  it('refuses a time that is not ISO-8601 with BAD_USER_INPUT', async () => {
    const response = await app.gql(PAGE, { id: String(monitorId), from: 'yesterday' });
    expect(response.data ?? null).toBeNull();
    const error = errorOf(response, 'BAD_USER_INPUT');
    expect(error.message).toMatch(
      /^Variable "\$from" got invalid value "yesterday"; DateTime must be an ISO-8601 string/,
    );
  });
});

describe('alerts', () => {
  it('lists alerts newest first, by monitor and acknowledgement, with their monitor', async () => {
    const monitor = { id: (await createMonitor(app.db, { name: 'alerting', paused: true })).id };
    await insertResults(app.testDb.db, [result(monitor.id, true), result(monitor.id, false), result(monitor.id, true)]);
    const query = `query ($id: ID) {
      alerts(monitorId: $id) { id kind cause acknowledgedAt monitorId monitor { name } }
      unacknowledged: alerts(monitorId: $id, acknowledged: false, first: 1) { kind }
    }`;
    const data = dataOf(await app.gql(query, { id: String(monitor.id) }));
    expect(data.alerts.map((a: { kind: string }) => a.kind)).toEqual(['UP', 'DOWN']);
    expect(data.alerts[1]).toMatchObject({ cause: 'HTTP 500', acknowledgedAt: null, monitor: { name: 'alerting' } });
    expect(data.unacknowledged).toEqual([{ kind: 'UP' }]);
    const nested = dataOf(
      await app.gql(`query ($id: ID!) { monitor(id: $id) { alerts(first: 5) { kind } } }`, { id: String(monitor.id) }),
    );
    expect(nested.monitor.alerts).toEqual([{ kind: 'UP' }, { kind: 'DOWN' }]);
    errorOf(await app.gql(`{ alerts(first: 501) { id } }`), 'BAD_USER_INPUT');
  });
});

describe('health and GraphiQL', () => {
  it('reports the server and database health', async () => {
    const data = dataOf(
      await app.gql(`{ health { ok version startedAt database { ok kind latencyMs } activeMonitors checksInFlight } }`),
    );
    expect(data.health).toMatchObject({ ok: true, database: { ok: true, kind: testDbKind } });
    expect(data.health.database.latencyMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(data.health.startedAt)).toBeLessThanOrEqual(Date.now());
  });

  it('lists the live instances: this one, by its host name in the default location', async () => {
    const data = dataOf(await app.gql(`{ instances { id name location startedAt lastSeenAt monitorCount } }`));
    expect(data.instances).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: hostname(),
        location: 'default',
        startedAt: expect.any(String),
        lastSeenAt: expect.any(String),
        monitorCount: 0,
      },
    ]);
    expect(Date.parse(data.instances[0].lastSeenAt)).toBeGreaterThanOrEqual(Date.parse(data.instances[0].startedAt));
  });

  it('serves GraphiQL to a browser at GET /graphql', async () => {
    const response = await app.request('/graphql', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toMatch(/graphiql/i);
    expect(html).toContain('Vigie GraphQL');
  });
});
