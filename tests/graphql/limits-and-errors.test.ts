// What a client cannot do: queries too deep or too costly are refused before any SQL runs, and an internal
// failure reaches the client masked (no SQL, no stack) while the log keeps the details.
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertResults } from '../../server/results/index.ts';
import { createMonitor, result } from '../helpers/factories.ts';
import { capturingLogger } from '../helpers/logger.ts';
import { dataOf, errorOf, startGraphQLApp, type GraphQLTestApp } from '../helpers/graphql.ts';

let app: GraphQLTestApp;
const log = capturingLogger();

beforeAll(async () => {
  app = await startGraphQLApp({ logger: log.logger });
  // Nothing else may talk to the database while a test counts statements.
  await app.scheduler.stop();
  const monitorId = (await createMonitor(app.db, { paused: true })).id;
  const now = Date.now();
  await insertResults(app.db, [
    result(monitorId, true, { httpStatus: null, latencyMs: 5, checkedAt: new Date(now - 120_000), target: 'x' }),
    result(monitorId, false, {
      httpStatus: null,
      latencyMs: 5,
      checkedAt: new Date(now - 60_000),
      target: 'x',
      cause: null,
      error: null,
    }),
  ]);
}, 60_000);

afterAll(async () => {
  await app?.close();
});

/** alerts → monitor → alerts → ... nested `levels` fields deep, ending with `id`. */
function nested(levels: number): string {
  let selection = 'id';
  for (let level = levels - 1; level >= 1; level--) {
    selection = `${level % 2 === 1 ? 'alerts(first: 1)' : 'monitor'} { ${selection} }`;
  }
  return `{ ${selection} }`;
}

/** The response to a query that must be refused before anything runs, checked to have run no SQL. */
async function refused(query: string, variables?: Record<string, unknown>) {
  app.resetStatements();
  const response = await app.gql(query, variables);
  expect(response.data ?? null).toBeNull();
  expect(app.graphqlStatements(), 'a refused query ran SQL').toEqual([]);
  return response;
}

describe('depth limit', () => {
  it('runs a query 10 levels deep', async () => {
    app.resetStatements();
    const data = dataOf(await app.gql(nested(10)));
    expect(data.alerts).toHaveLength(1);
    // Ran, so the SQL it sent was seen: the check in refused() can fail.
    expect(app.graphqlStatements().length).toBeGreaterThan(0);
  });

  it('refuses 11 levels with QUERY_TOO_DEEP, and counts levels hidden in fragments', async () => {
    const error = errorOf(await refused(nested(11)), 'QUERY_TOO_DEEP');
    expect(error.message).toBe('Query depth limit of 10 exceeded, found 11.');
    const viaFragments = `
      { alerts(first: 1) { ...A } }
      fragment A on Alert { monitor { alerts(first: 1) { ...B } } }
      fragment B on Alert { monitor { alerts(first: 1) { monitor { alerts(first: 1) { ...C } } } } }
      fragment C on Alert { monitor { alerts(first: 1) { monitor { id } } } }`;
    errorOf(await refused(viaFragments), 'QUERY_TOO_DEEP');
    // A recursive fragment is a validation error, not a crash or an endless measure.
    const cycle = await refused(`{ alerts { ...A } } fragment A on Alert { monitor { alerts { ...A } } }`);
    expect(cycle.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('lets the introspection query of GraphiQL through', async () => {
    const data = dataOf(await app.gql(getIntrospectionQuery()));
    expect(data.__schema.queryType.name).toBe('Query');
  });
});

describe('cost limit', () => {
  it('refuses every monitor with 1,000 results each with QUERY_TOO_COSTLY and advice', async () => {
    const error = errorOf(
      await refused(`{ monitors { results(first: 1000) { nodes { id isUp } } } }`),
      'QUERY_TOO_COSTLY',
    );
    expect(error.message).toMatch(/the limit is 2000000: ask for fewer items \(first\) or fields/);
  });

  it('runs every monitor with 100 results each', async () => {
    const data = dataOf(await app.gql(`{ monitors { results(first: 100) { nodes { id } } } }`));
    expect(data.monitors[0].results.nodes).toHaveLength(2);
  });

  it('cannot be dodged with aliases or a page size in a variable', async () => {
    const page = 'results(first: 600) { nodes { id } }';
    dataOf(await app.gql(`{ a: monitors { ${page} } }`));
    errorOf(await refused(`{ a: monitors { ${page} } b: monitors { ${page} } }`), 'QUERY_TOO_COSTLY');
    // The cost is measured with the variables' values, before anything runs.
    const query = `query ($n: Int) { monitors { results(first: $n) { nodes { id isUp latencyMs } } } }`;
    errorOf(await refused(query, { n: 1000 }), 'QUERY_TOO_COSTLY');
    expect(dataOf(await app.gql(query, { n: 1 })).monitors[0].results.nodes).toHaveLength(1);
  });

  it('counts the public status page by monitor and series point', async () => {
    const series = (resolution: number) =>
      `{ publicStatus { name stats(window: YEAR) { series(resolutionSeconds: ${resolution}) { start checks availability } } } }`;
    // The status page's own query: one point a day.
    dataOf(await app.gql(series(86_400)));
    errorOf(await refused(series(60)), 'QUERY_TOO_COSTLY');
  });

  it('refuses too many aliases, directives or tokens before validation, naming the limit', async () => {
    const aliases = Array.from({ length: 21 }, (_, i) => `a${i}: health { ok }`).join(' ');
    expect(errorOf(await refused(`{ ${aliases} }`), 'QUERY_TOO_COSTLY').message).toBe(
      'Aliases limit of 20 exceeded, found 21.',
    );
    const directives = '@include(if: true) '.repeat(21);
    expect(errorOf(await refused(`{ health ${directives} { ok } }`), 'QUERY_TOO_COSTLY').message).toBe(
      'Directives limit of 20 exceeded, found 21.',
    );
    expect(errorOf(await refused(`{ ${'health { ok } '.repeat(200)} }`), 'QUERY_TOO_COSTLY').message).toBe(
      'Token limit of 600 exceeded.',
    );
  });
});

describe('refusals', () => {
  it('are answers to the client, not logged at error level (NOT_FOUND, BAD_USER_INPUT)', async () => {
    log.lines.length = 0;
    errorOf(await app.gql(`mutation { pauseMonitor(id: "987654") { id } }`), 'NOT_FOUND');
    errorOf(
      await app.gql(
        `mutation { createMonitor(input: { name: "x", kind: HTTP, target: "http://127.0.0.1/", timeoutSeconds: 0 }) { id } }`,
      ),
      'BAD_USER_INPUT',
    );
    const errors = log.lines.map((line) => JSON.parse(line)).filter((entry) => entry.level >= 50);
    expect(errors).toEqual([]);
  });
});

describe('internal errors', () => {
  it('are masked for the client (no SQL, no stack), coded INTERNAL_SERVER_ERROR, and logged with the cause', async () => {
    log.lines.length = 0;
    // Break the database under the running server: the alerts query now fails inside PostgreSQL.
    await app.testDb.db.query(`ALTER TABLE monitoring.alertes RENAME TO alertes_cachees`);
    let response;
    try {
      response = await app.gql(`{ alerts { id } health { ok } }`);
    } finally {
      await app.testDb.db.query(`ALTER TABLE monitoring.alertes_cachees RENAME TO alertes`);
    }
    const error = errorOf(response, 'INTERNAL_SERVER_ERROR');
    expect(error.path).toEqual(['alerts']);
    const shown = JSON.stringify(response.errors);
    expect(shown).not.toMatch(/alertes|relation|SELECT|monitoring\./i);
    expect(shown).not.toMatch(/\bat .*\.ts:\d+/);
    expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    // alerts is non-null: its failure takes the whole data with it.
    expect(response.data).toBeNull();
    const logged = log.lines.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'GraphQL request failed');
    expect(logged, 'the failure was logged').toBeDefined();
    expect(JSON.stringify(logged)).toMatch(/alertes/);
    expect(logged.path).toEqual(['alerts']);
    // Once: the masker's line, with the cause, is the only one at error level.
    expect(log.lines.map((line) => JSON.parse(line)).filter((entry) => entry.level >= 50)).toHaveLength(1);
    // And the API works again once the table is back.
    expect(dataOf(await app.gql(`{ alerts { kind } }`)).alerts).toEqual([{ kind: 'DOWN' }]);
  });
});
