// GET /metrics: the Prometheus text format, read back with a real parser. Per-monitor gauges from stored
// results (labels escaped, credentials kept out), the 24-hour availability, the one-hot status, and the
// service's counters moving as the scheduler checks loopback targets; with authentication on, an API key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertResults } from '../../server/db/index.ts';
import { createMaintenanceWindow, createMonitor, result } from '../helpers/factories.ts';
import { collect, startGraphQLApp, type GraphQLTestApp } from '../helpers/graphql.ts';
import { scrape, type Scrape } from '../helpers/prometheus.ts';
import { closedPort, startHttpTarget, startTcpTarget, type HttpTarget, type TcpTarget } from '../helpers/targets.ts';

const STATUSES = ['UP', 'DEGRADED', 'DOWN', 'PENDING', 'PAUSED', 'MAINTENANCE'];
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let app: GraphQLTestApp;
let http: HttpTarget;
let tcp: TcpTarget;

beforeAll(async () => {
  [app, http, tcp] = await Promise.all([startGraphQLApp(), startHttpTarget(), startTcpTarget()]);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await Promise.all([http?.close(), tcp?.close()]);
});

const metrics = () => scrape(app.url);

function expectOneHot(page: Scrape, monitorId: number, status: string): void {
  const values = Object.fromEntries(
    page
      .samples('vigie_monitor_status', { monitor_id: String(monitorId) })
      .map((sample) => [sample.labels!.status, Number(sample.value)]),
  );
  expect(values).toEqual(Object.fromEntries(STATUSES.map((name) => [name, name === status ? 1 : 0])));
}

describe('/metrics', () => {
  it('answers in the Prometheus text format, with the process and service metrics', async () => {
    const page = await metrics();
    expect(page.status).toBe(200);
    expect(page.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    for (const [name, type] of [
      ['process_cpu_user_seconds_total', 'COUNTER'],
      ['process_resident_memory_bytes', 'GAUGE'],
      ['nodejs_eventloop_lag_seconds', 'GAUGE'],
      ['vigie_checks_completed_total', 'COUNTER'],
      ['vigie_scheduler_lag_seconds', 'HISTOGRAM'],
      ['vigie_scheduler_checks_running', 'GAUGE'],
      ['vigie_scheduler_checks_waiting', 'GAUGE'],
      ['vigie_scheduler_checks_waiting_for_host', 'GAUGE'],
      ['vigie_scheduler_checks_overdue', 'GAUGE'],
      ['vigie_scheduler_saturated', 'GAUGE'],
      ['vigie_scheduler_worst_lag_seconds', 'GAUGE'],
      ['vigie_batch_writer_pending_results', 'GAUGE'],
      ['vigie_batch_write_duration_seconds', 'HISTOGRAM'],
      ['vigie_graphql_subscriptions', 'GAUGE'],
      ['vigie_notification_deliveries_total', 'COUNTER'],
      ['vigie_monitor_metrics_up', 'GAUGE'],
      ['probe_success', 'GAUGE'],
      ['vigie_monitor_status', 'GAUGE'],
    ]) {
      expect(page.families.get(name!)?.type, name).toBe(type);
    }
    expect(page.value('vigie_monitor_metrics_up')).toBe(1);
    expect(page.value('vigie_build_info', {})).toBe(1);
    expect(page.value('vigie_scheduler_saturated')).toBe(0);
    // promtool check metrics: a `quantile` label belongs to summaries only.
    for (const family of page.families.values()) {
      if (family.type === 'SUMMARY') continue;
      for (const sample of family.metrics) expect(sample.labels ?? {}, family.name).not.toHaveProperty('quantile');
      // ...and a `_total` suffix to counters.
      if (family.name.endsWith('_total')) expect(family.type, family.name).toBe('COUNTER');
    }
    expect(page.families.get('nodejs_active_resources')?.type).toBe('GAUGE');
    expect(page.value('vigie_scheduler_checks_overdue')).toBe(0);
    // The live instances sharing the database: this one alone.
    const [self] = page.samples('vigie_instance_up');
    expect(page.samples('vigie_instance_up')).toHaveLength(1);
    expect(self!.labels).toEqual({
      instance_id: expect.any(String),
      instance_name: expect.any(String),
      location: 'default',
    });
    expect(page.value('vigie_instance_monitors', self!.labels)).toBeGreaterThanOrEqual(0);
    expect(page.value('vigie_instance_heartbeat_age_seconds', self!.labels)).toBeLessThan(10);

    const head = await app.request('/metrics', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const post = await app.request('/metrics', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('gives each monitor the gauges of its last result, with any name escaped', async () => {
    const name = 'caf\u00e9 "prod" \\ api\nline two \u{1F680}';
    const monitor = await createMonitor(app.testDb.db, {
      name,
      paused: true,
      target: 'https://user:s3cret@127.0.0.1:9/health?x=1&token=t0ken&code=azur3key',
    });
    const now = Date.now();
    const last = new Date(now - MINUTE);
    await insertResults(app.testDb.db, [
      result(monitor.id, false, { checkedAt: new Date(now - 30 * HOUR) }),
      result(monitor.id, false, { checkedAt: new Date(now - 25 * HOUR) }),
      result(monitor.id, true, { checkedAt: new Date(now - 20 * HOUR) }),
      result(monitor.id, false, { checkedAt: new Date(now - 10 * HOUR) }),
      result(monitor.id, false, { checkedAt: new Date(now - 3 * HOUR) }),
      result(monitor.id, true, { checkedAt: new Date(now - 30 * MINUTE) }),
      result(monitor.id, true, { checkedAt: last, httpStatus: 204, latencyMs: 123, certificateDaysLeft: 42 }),
    ]);

    const page = await metrics();
    const labels = {
      monitor_id: String(monitor.id),
      monitor: name,
      kind: 'http',
      target: 'https://127.0.0.1:9/health?x=1&token=********&code=********',
    };
    for (const family of ['probe_success', 'vigie_monitor_status', 'vigie_monitor_interval_seconds']) {
      const [sample] = page.samples(family, { monitor_id: String(monitor.id) });
      expect(sample?.labels, family).toMatchObject(labels);
    }
    expect(page.value('probe_success', labels)).toBe(1);
    expect(page.value('probe_duration_seconds', labels)).toBe(0.123);
    expect(page.value('probe_http_status_code', labels)).toBe(204);
    expect(page.value('vigie_monitor_certificate_days_left', labels)).toBe(42);
    expect(page.value('vigie_monitor_last_check_timestamp_seconds', labels)).toBe(last.getTime() / 1000);
    expect(page.value('vigie_monitor_interval_seconds', labels)).toBe(60);
    // Within the last 24 hours: up, down, down, up, up; the two older failures are outside the window.
    expect(page.value('vigie_monitor_availability_ratio', { ...labels, window: '24h' })).toBe(3 / 5);
    expectOneHot(page, monitor.id, 'PAUSED');
    // The password and the tokens never reach the scrape, escaped or not.
    for (const secret of ['s3cret', 't0ken', 'azur3key']) expect(page.text).not.toContain(secret);
  });

  it('leaves out what a monitor never had: no result, no status code, no certificate', async () => {
    const fresh = await createMonitor(app.testDb.db, {
      name: 'never checked',
      kind: 'tcp',
      target: '127.0.0.1:9',
      paused: true,
    });
    const downTcp = await createMonitor(app.testDb.db, {
      name: 'tcp refused',
      kind: 'tcp',
      target: '127.0.0.1:9',
      paused: true,
    });
    await insertResults(app.testDb.db, [
      result(downTcp.id, false, { checkedAt: new Date(Date.now() - 25 * HOUR), httpStatus: null, cause: 'refused' }),
    ]);

    const page = await metrics();
    const id = (monitor: { id: number }) => ({ monitor_id: String(monitor.id) });
    for (const family of ['probe_success', 'probe_duration_seconds', 'vigie_monitor_last_check_timestamp_seconds']) {
      expect(page.samples(family, id(fresh)), family).toEqual([]);
    }
    expect(page.value('vigie_monitor_interval_seconds', id(fresh))).toBe(60);
    expectOneHot(page, fresh.id, 'PAUSED');

    expect(page.value('probe_success', id(downTcp))).toBe(0);
    expect(page.samples('probe_http_status_code', id(downTcp))).toEqual([]);
    expect(page.samples('vigie_monitor_certificate_days_left', id(downTcp))).toEqual([]);
    // Its only check is older than 24 hours.
    expect(page.samples('vigie_monitor_availability_ratio', id(downTcp))).toEqual([]);
    expect(page.samples('probe_success', id(downTcp))[0]?.labels).toMatchObject({ kind: 'tcp', target: '127.0.0.1:9' });
  });

  it('shows the last result of each location that checks a monitor, with a location label', async () => {
    const monitor = await createMonitor(app.testDb.db, {
      name: 'two locations',
      target: 'http://127.0.0.1:9/',
      locations: ['paris', 'tokyo'],
      quorum: 2,
      paused: true,
    });
    const now = Date.now();
    await insertResults(app.testDb.db, [
      result(monitor.id, true, { location: 'paris', checkedAt: new Date(now - 2_000), latencyMs: 30 }),
      result(monitor.id, false, { location: 'tokyo', checkedAt: new Date(now - 1_500), latencyMs: 900 }),
      result(monitor.id, true, { location: 'paris', checkedAt: new Date(now - 1_000), latencyMs: 40 }),
    ]);
    const page = await metrics();
    const at = (location: string) => ({ monitor_id: String(monitor.id), location });
    expect(page.value('probe_success', at('paris'))).toBe(1);
    expect(page.value('probe_success', at('tokyo'))).toBe(0);
    expect(page.value('probe_duration_seconds', at('paris'))).toBe(0.04);
    expect(page.samples('probe_success', { monitor_id: String(monitor.id) })).toHaveLength(2);
    // What is not of one result has no location.
    expect(
      page.samples('vigie_monitor_interval_seconds', { monitor_id: String(monitor.id) })[0]?.labels,
    ).not.toHaveProperty('location');
  });

  it('moves the service counters and the monitors gauges as the scheduler checks real targets', async () => {
    const before = await metrics();
    const count = (page: Scrape, outcome: string) => page.value('vigie_checks_completed_total', { outcome }) ?? 0;
    const written = (page: Scrape) => page.value('vigie_results_written_total') ?? 0;
    const batches = (page: Scrape) => Number(page.samples('vigie_batch_write_duration_seconds')[0]?.count ?? 0);
    const lags = (page: Scrape) => page.samples('vigie_scheduler_lag_seconds')[0];

    const up = await createMonitor(app.testDb.db, { name: 'loopback up', target: `${http.url}/` });
    const down = await createMonitor(app.testDb.db, {
      name: 'loopback down',
      target: `http://127.0.0.1:${await closedPort()}/`,
    });
    const maintained = await createMonitor(app.testDb.db, {
      name: 'in maintenance',
      kind: 'tcp',
      target: `${tcp.host}:${tcp.port}`,
    });
    await createMaintenanceWindow(app.testDb.db, {
      name: 'metrics test',
      monitorId: maintained.id,
      startsAt: new Date(Date.now() - HOUR).toISOString(),
      endsAt: new Date(Date.now() + HOUR).toISOString(),
    });

    let page = before;
    await expect
      .poll(
        async () => {
          page = await metrics();
          return [up, down, maintained].map((monitor) =>
            page.value('probe_success', { monitor_id: String(monitor.id) }),
          );
        },
        { timeout: 10_000, interval: 200 },
      )
      .toEqual([1, 0, 1]);

    expect(count(page, 'up') - count(before, 'up')).toBeGreaterThanOrEqual(2);
    expect(count(page, 'down') - count(before, 'down')).toBeGreaterThanOrEqual(1);
    expect(written(page) - written(before)).toBeGreaterThanOrEqual(3);
    expect(batches(page)).toBeGreaterThan(batches(before));
    expect(page.value('vigie_scheduler_monitors')).toBeGreaterThanOrEqual(3);
    // One lag observed per check started; buckets are cumulative and +Inf holds them all.
    const lag = lags(page)!;
    expect(Number(lag.count) - Number(lags(before)?.count ?? 0)).toBeGreaterThanOrEqual(3);
    expect(Number(lag.sum)).toBeGreaterThanOrEqual(0);
    const bucketCounts = Object.entries(lag.buckets!)
      .map(([le, n]) => [le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le), Number(n)] as const)
      .sort(([a], [b]) => a - b)
      .map(([, n]) => n);
    expect(bucketCounts.length).toBe(16);
    for (let i = 1; i < bucketCounts.length; i++) expect(bucketCounts[i]).toBeGreaterThanOrEqual(bucketCounts[i - 1]!);
    expect(lag.buckets!['+Inf']).toBe(lag.count);

    expectOneHot(page, up.id, 'UP');
    expectOneHot(page, down.id, 'DOWN');
    expectOneHot(page, maintained.id, 'MAINTENANCE');
    expect(page.value('probe_http_status_code', { monitor_id: String(up.id) })).toBe(200);
    expect(page.value('probe_duration_seconds', { monitor_id: String(up.id) })).toBeGreaterThanOrEqual(0);
    expect(page.value('vigie_monitor_availability_ratio', { monitor_id: String(down.id) })).toBe(0);
    expect(page.value('vigie_monitor_availability_ratio', { monitor_id: String(up.id) })).toBe(1);
  });

  it('counts live GraphQL subscriptions', async () => {
    const subscribers = async () => (await metrics()).value('vigie_graphql_subscriptions');
    expect(await subscribers()).toBe(0);
    const live = collect(app.wsClient(), 'subscription { checkCompleted { id } }');
    await expect.poll(subscribers, { timeout: 5000 }).toBe(1);
    live.dispose();
    await expect.poll(subscribers, { timeout: 5000 }).toBe(0);
  });
});

describe('/metrics with authentication on', () => {
  let secured: GraphQLTestApp;

  beforeAll(async () => {
    secured = await startGraphQLApp({ env: { AUTH_DISABLED: 'false' } });
  }, 60_000);

  afterAll(async () => {
    await secured?.close();
  });

  it('collects only the groups asked for with collect[]: the instance, the monitors, or both', async () => {
    await createMonitor(app.testDb.db, { name: 'collected' });
    const instance = await scrape(app.url, undefined, ['instance']);
    expect(instance.status).toBe(200);
    expect(instance.families.has('vigie_scheduler_lag_seconds')).toBe(true);
    expect(instance.families.has('process_cpu_user_seconds_total')).toBe(true);
    expect(instance.families.has('vigie_monitor_status')).toBe(false);
    const monitors = await scrape(app.url, undefined, ['monitors']);
    expect(monitors.status).toBe(200);
    expect(monitors.samples('vigie_monitor_status', { monitor: 'collected' })).toHaveLength(STATUSES.length);
    expect(monitors.families.has('vigie_scheduler_lag_seconds')).toBe(false);
    const both = await scrape(app.url, undefined, ['instance', 'monitors']);
    expect(both.families.has('vigie_scheduler_lag_seconds')).toBe(true);
    expect(both.families.has('vigie_monitor_status')).toBe(true);
    const bad = await fetch(`${app.url}/metrics?collect[]=everything`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe('collect[]: unknown everything (known: instance, monitors)\n');
  });

  it('needs an API key (or a session), of any role', async () => {
    const anonymous = await secured.request('/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="vigie"');
    const wrongKey = await secured.request('/metrics', { headers: { authorization: 'Bearer not-a-key' } });
    expect(wrongKey.status).toBe(401);

    const json = { 'content-type': 'application/json' };
    const setup = await secured.request('/api/auth/installation', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: 'admin@example.com', mot_de_passe: 'a long enough passphrase', nom: 'Admin' }),
    });
    expect(setup.status).toBe(201);
    const { jeton } = await setup.json();
    const created = await secured.request('/api/cles-api', {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${jeton}` },
      body: JSON.stringify({ nom: 'prometheus', role: 'viewer' }),
    });
    expect(created.status).toBe(201);
    const { secret } = await created.json();

    const page = await scrape(secured.url, secret);
    expect(page.status).toBe(200);
    expect(page.value('vigie_monitor_metrics_up')).toBe(1);
  });
});
