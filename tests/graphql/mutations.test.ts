// GraphQL mutations end to end over HTTP, with the scheduler running: create (checked at once), partial
// update, pause/resume, checkNow, checkUrl, acknowledgeAlert, delete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertResults } from '../../server/results/index.ts';
import { createMonitor, result } from '../helpers/factories.ts';
import { dataOf, errorOf, startGraphQLApp, type GraphQLTestApp } from '../helpers/graphql.ts';
import { startHttpTarget, type HttpTarget } from '../helpers/targets.ts';

let app: GraphQLTestApp;
let target: HttpTarget;

beforeAll(async () => {
  [app, target] = await Promise.all([startGraphQLApp(), startHttpTarget()]);
}, 60_000);

afterAll(async () => {
  await Promise.all([app?.close(), target?.close()]);
});

const MONITOR_FIELDS = `id name kind target intervalSeconds timeoutSeconds retries slowThresholdMs paused tags status
  http { method headers { name value } body expectedStatus followRedirects keyword }`;

const CREATE = `mutation ($input: CreateMonitorInput!) { createMonitor(input: $input) { ${MONITOR_FIELDS} } }`;
const STATUS = `query ($id: ID!) { monitor(id: $id) { status paused lastResult { isUp httpStatus } } }`;

async function create(input: Record<string, unknown>): Promise<any> {
  return dataOf(await app.gql(CREATE, { input })).createMonitor;
}

async function statusOf(id: string): Promise<any> {
  return dataOf(await app.gql(STATUS, { id })).monitor;
}

describe('createMonitor and updateMonitor', () => {
  let id: string;

  it('creates an HTTP monitor with headers and expected statuses; the scheduler checks it at once', async () => {
    const monitor = await create({
      name: 'api',
      kind: 'HTTP',
      target: `${target.url}/`,
      intervalSeconds: 30,
      timeoutSeconds: 2,
      retries: 2,
      tags: ['prod'],
      http: { method: 'GET', headers: [{ name: 'X-Probe', value: 'vigie' }], expectedStatus: '200-299' },
    });
    id = monitor.id;
    expect(monitor).toMatchObject({
      name: 'api',
      kind: 'HTTP',
      target: `${target.url}/`,
      intervalSeconds: 30,
      timeoutSeconds: 2,
      retries: 2,
      paused: false,
      tags: ['prod'],
      status: 'PENDING',
      http: {
        method: 'GET',
        headers: [{ name: 'X-Probe', value: 'vigie' }],
        expectedStatus: '200-299',
        followRedirects: true,
      },
    });
    await expect
      .poll(() => statusOf(id), { timeout: 5000 })
      .toMatchObject({ status: 'UP', lastResult: { isUp: true, httpStatus: 200 } });
    const request = target.seen.find((seen) => seen.headers['x-probe'] === 'vigie');
    expect(request, 'the check sent the configured header').toBeDefined();
  });

  it('changes only the given settings, HTTP settings merged into the current ones', async () => {
    const UPDATE = `mutation ($id: ID!, $input: UpdateMonitorInput!) { updateMonitor(id: $id, input: $input) { ${MONITOR_FIELDS} } }`;
    const renamed = dataOf(await app.gql(UPDATE, { id, input: { name: 'api (renamed)' } })).updateMonitor;
    expect(renamed).toMatchObject({ name: 'api (renamed)', intervalSeconds: 30, retries: 2, tags: ['prod'] });
    const head = dataOf(await app.gql(UPDATE, { id, input: { http: { method: 'HEAD' } } })).updateMonitor;
    expect(head.http).toMatchObject({
      method: 'HEAD',
      headers: [{ name: 'X-Probe', value: 'vigie' }],
      expectedStatus: '200-299',
    });
    expect(head.name).toBe('api (renamed)');

    const tooShort = errorOf(await app.gql(UPDATE, { id, input: { intervalSeconds: 0 } }), 'BAD_USER_INPUT');
    expect(tooShort.message).toMatch(/intervalSeconds.*at least 1/);
    errorOf(await app.gql(UPDATE, { id: '987654', input: { name: 'x' } }), 'NOT_FOUND');
    // A refused change leaves the monitor as it was.
    expect(dataOf(await app.gql(`query ($id: ID!) { monitor(id: $id) { intervalSeconds } }`, { id })).monitor).toEqual({
      intervalSeconds: 30,
    });
  });

  it.each([
    ['a target that is not a URL', { target: 'not a url' }, /target/],
    ['a status range that is not one', { http: { expectedStatus: 'abc' } }, /expectedStatus|status/],
    ['a timeout of zero', { timeoutSeconds: 0 }, /timeoutSeconds/],
    ['an empty name', { name: '  ' }, /^name: is required/],
  ])('refuses %s with BAD_USER_INPUT naming the field, and stores nothing', async (_, change, message) => {
    const before = await app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM monitoring.moniteurs`);
    const response = await app.gql(CREATE, {
      input: { name: 'bad', kind: 'HTTP', target: `${target.url}/`, ...change },
    });
    expect(errorOf(response, 'BAD_USER_INPUT').message).toMatch(message);
    expect(response.data ?? null).toBeNull();
    const after = await app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM monitoring.moniteurs`);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('refuses input that does not fit the schema with a message naming the field, before running anything', async () => {
    const kind = errorOf(
      await app.gql(CREATE, { input: { name: 'x', kind: 'FTP', target: 'ftp://x' } }),
      'BAD_USER_INPUT',
    );
    expect(kind.message).toMatch(/^Variable "\$input" got invalid value "FTP" at "input\.kind"; .*MonitorKind/);
    const absent = errorOf(await app.gql(CREATE, {}), 'BAD_USER_INPUT');
    expect(absent.message).toBe('Variable "$input" of required type "CreateMonitorInput!" was not provided.');
    const literal = errorOf(
      await app.gql(`mutation { createMonitor(input: { kind: HTTP, target: "http://x" }) { id } }`),
      'GRAPHQL_VALIDATION_FAILED',
    );
    expect(literal.message).toMatch(/name/);
  });

  it('pauses (PAUSED, no more checks) and resumes (back to its state)', async () => {
    const paused = dataOf(await app.gql(`mutation ($id: ID!) { pauseMonitor(id: $id) { status paused } }`, { id }));
    expect(paused.pauseMonitor).toEqual({ status: 'PAUSED', paused: true });
    await expect.poll(async () => dataOf(await app.gql(`{ health { activeMonitors } }`)).health.activeMonitors).toBe(0);
    const resumed = dataOf(await app.gql(`mutation ($id: ID!) { resumeMonitor(id: $id) { status paused } }`, { id }));
    expect(resumed.resumeMonitor).toEqual({ status: 'UP', paused: false });
    await expect.poll(async () => dataOf(await app.gql(`{ health { activeMonitors } }`)).health.activeMonitors).toBe(1);
    errorOf(await app.gql(`mutation { pauseMonitor(id: "987654") { id } }`), 'NOT_FOUND');
    errorOf(await app.gql(`mutation { resumeMonitor(id: "987654") { id } }`), 'NOT_FOUND');
  });

  it('checkNow checks against the target now and stores the result', async () => {
    target.setStatus(503);
    try {
      const requests = target.requests;
      const checked = dataOf(
        await app.gql(`mutation ($id: ID!) { checkNow(id: $id) { id monitorId isUp httpStatus error } }`, { id }),
      );
      expect(checked.checkNow).toMatchObject({ monitorId: id, isUp: false, httpStatus: 503 });
      expect(target.requests).toBeGreaterThan(requests);
      const stored = await app.db.query(`SELECT code_http FROM monitoring.statuts WHERE id = $1`, [
        Number(checked.checkNow.id),
      ]);
      expect(stored.rows).toEqual([{ code_http: 503 }]);
    } finally {
      target.setStatus(200);
    }
    errorOf(await app.gql(`mutation { checkNow(id: "987654") { id } }`), 'NOT_FOUND');
  });

  it('deletes a monitor: it is gone (NOT_FOUND), and deleting again is NOT_FOUND', async () => {
    const deleted = dataOf(await app.gql(`mutation ($id: ID!) { deleteMonitor(id: $id) }`, { id }));
    expect(deleted.deleteMonitor).toBe(id);
    errorOf(await app.gql(`query ($id: ID!) { monitor(id: $id) { id } }`, { id }), 'NOT_FOUND');
    errorOf(await app.gql(`mutation ($id: ID!) { deleteMonitor(id: $id) }`, { id }), 'NOT_FOUND');
    const { rows } = await app.db.query(`SELECT count(*)::int AS n FROM monitoring.statuts WHERE moniteur_id = $1`, [
      Number(id),
    ]);
    expect(rows).toEqual([{ n: 0 }]);
  });
});

describe('checkUrl', () => {
  it('checks any http URL now and stores the result without a monitor', async () => {
    const data = dataOf(
      await app.gql(`mutation ($url: String!) { checkUrl(url: $url) { id monitorId isUp httpStatus target } }`, {
        url: `${target.url}/status/204`,
      }),
    );
    expect(data.checkUrl).toMatchObject({
      monitorId: null,
      isUp: true,
      httpStatus: 204,
      target: `${target.url}/status/204`,
    });
  });

  it.each(['file:///etc/passwd', 'not a url', 'ftp://127.0.0.1/'])('refuses %s with BAD_USER_INPUT', async (url) => {
    const error = errorOf(
      await app.gql(`mutation ($url: String!) { checkUrl(url: $url) { id } }`, { url }),
      'BAD_USER_INPUT',
    );
    expect(error.message.length).toBeGreaterThan(5);
    expect(error.message).not.toMatch(/\n\s+at /);
  });
});

describe('acknowledgeAlert', () => {
  it('sets the acknowledgement time once; a second call keeps the first time; an unknown id is NOT_FOUND', async () => {
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
        error: 'boom',
      }),
    ]);
    const alerts = dataOf(
      await app.gql(`query ($id: ID) { alerts(monitorId: $id) { id kind cause } }`, { id: String(monitorId) }),
    );
    expect(alerts.alerts).toMatchObject([{ kind: 'DOWN', cause: 'boom' }]);
    const ACK = `mutation ($id: ID!) { acknowledgeAlert(id: $id) { id acknowledgedAt } }`;
    const alertId = alerts.alerts[0].id;
    const first = dataOf(await app.gql(ACK, { id: alertId })).acknowledgeAlert;
    expect(Date.parse(first.acknowledgedAt)).toBeGreaterThan(Date.now() - 60_000);
    const second = dataOf(await app.gql(ACK, { id: alertId })).acknowledgeAlert;
    expect(second.acknowledgedAt).toBe(first.acknowledgedAt);
    const listed = dataOf(
      await app.gql(`query ($id: ID) { alerts(monitorId: $id, acknowledged: true) { id } }`, { id: String(monitorId) }),
    );
    expect(listed.alerts).toEqual([{ id: alertId }]);
    const missing = errorOf(await app.gql(ACK, { id: '987654321' }), 'NOT_FOUND');
    expect(missing.message).toBe('alert 987654321 does not exist');
    errorOf(await app.gql(ACK, { id: 'x1' }), 'BAD_USER_INPUT');
  });
});
