// The fan-out bench's three scenarios: each subscribes its clients, makes the events, waits until what should
// arrive has arrived (or stopped arriving), and returns the figures with their verdicts.
import { availableParallelism } from 'node:os';
import type { Db } from '../server/db/index.ts';
import { insertResults } from '../server/results/index.ts';
import type { FanoutConfig } from './fanout-config.ts';
import type { Clients, Service } from './fanout-processes.ts';
import type { ClientsReport } from './fanout-protocol.ts';
import { benchResult, writeResults } from './fanout-writer.ts';
import { machineCpu, machineCpuPercent, type MachineCpu } from './system.ts';

export interface Verdict {
  name: string;
  pass: boolean;
  detail: string;
}

export interface ScenarioResult {
  title: string;
  lines: string[];
  verdicts: Verdict[];
}

export interface ScenarioContext {
  config: FanoutConfig;
  db: Db;
  service: Service;
  /** The database the service runs on (a scenario may start another service on it). */
  databaseUrl: string;
  clients: Clients;
  /** Monitor ids seeded in the database, ascending. */
  monitorIds: number[];
}

export const RESULT_FIELDS = 'id monitorId isUp httpStatus latencyMs checkedAt error';
export const ALERT_QUERY =
  'subscription AlertRaised($id: ID) { alertRaised(monitorId: $id) { id monitorId kind cause createdAt } }';
export const int = (value: number) => Math.round(value).toLocaleString('en-US');
export const ms = (value: number) => (Number.isFinite(value) ? `${int(value)} ms` : 'n/a');
const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

/** Waits until the clients received `expected` messages, or nothing more arrived for `quietMs`. */
export async function settle(
  clients: Clients,
  expected: number,
  quietMs: number,
  timeoutMs: number,
): Promise<ClientsReport> {
  const deadline = Date.now() + timeoutMs;
  let last = await clients.report();
  let lastChange = Date.now();
  while (last.messages < expected && Date.now() < deadline && Date.now() - lastChange < quietMs) {
    await sleep(200);
    const now = await clients.report();
    if (now.messages !== last.messages) lastChange = Date.now();
    last = now;
  }
  return last;
}

/** Subscribes the clients and waits until the service follows every subscription. */
async function subscribeAll(context: ScenarioContext, command: Parameters<Clients['subscribe']>[0]): Promise<number> {
  const started = Date.now();
  await context.clients.subscribe(command);
  await context.service.waitForSubscribers(command.variables.length, 120_000);
  return Date.now() - started;
}

async function endScenario(context: ScenarioContext): Promise<void> {
  await context.clients.close();
  await context.service.waitForSubscribers(0, 30_000);
}

function cpuLine(
  serviceCpuMs: number,
  windowMs: number,
  delivered: number,
  clients: ClientsReport,
  clientsCpuMs: number,
  machineFrom: MachineCpu | null,
) {
  const cores = availableParallelism();
  const machine = machineCpuPercent(machineFrom, machineCpu(), cores);
  return (
    `service CPU ${int(serviceCpuMs)} ms over ${int(windowMs)} ms = ${((serviceCpuMs / windowMs) * 100).toFixed(0)} % of a core, ` +
    `${(delivered ? (serviceCpuMs * 1000) / delivered : Number.NaN).toFixed(2)} µs per delivered message · ` +
    `clients CPU ${((clientsCpuMs / windowMs) * 100).toFixed(0)} % · ` +
    `machine busy ${machine === null ? 'n/a' : machine.toFixed(0)} % of ${cores} cores (everything on it)` +
    (clients.errors.length ? ` · client errors: ${clients.errors.join(' | ')}` : '')
  );
}

/** 1,000 `checkCompleted` subscribers (all monitors), 100 results a second. */
/** The CPU clocks (service, clients, machine) when a measured window opens. */
async function windowStart(service: Service, clients: Clients) {
  return {
    cpu: service.cpuMs(),
    clients: (await clients.report()).cpuMs,
    at: performance.now(),
    machine: machineCpu(),
  };
}

export async function resultsScenario(context: ScenarioContext): Promise<ScenarioResult> {
  const { config, db, service, clients } = context;
  const subscribers = config.resultSubscribers;
  const monitors = context.monitorIds.slice(0, Math.max(1, config.resultsPerSecond * 10));
  const connectMs = await subscribeAll(context, {
    kind: 'results',
    urls: [service.url],
    queries: [`subscription CheckCompleted { checkCompleted { ${RESULT_FIELDS} } }`],
    variables: Array.from({ length: subscribers }, () => null),
    sampleEvery: 1,
  });
  if (config.warmupSeconds > 0) {
    const warm = await writeResults(db, monitors, config.resultsPerSecond, config.warmupSeconds);
    await settle(clients, warm * subscribers, 2000, 30_000);
  }
  await clients.reset();
  const before = await windowStart(service, clients);
  const statsBefore = await service.stats();
  const written = await writeResults(db, monitors, config.resultsPerSecond, config.seconds);
  const expected = written * subscribers;
  const report = await settle(clients, expected, 3000, 60_000);
  const windowMs = performance.now() - before.at;
  const cpuMs = service.cpuMs() - before.cpu;
  const statsAfter = await service.stats();
  await endScenario(context);
  const lost = expected - report.messages;
  const perMessageUs = (cpuMs * 1000) / Math.max(1, report.messages);
  return {
    title: `checkCompleted: ${int(subscribers)} subscribers, ${int(config.resultsPerSecond)} results/s for ${config.seconds} s`,
    lines: [
      `subscribed in ${ms(connectMs)} · ${int(written)} results written · ${int(report.messages)} of ${int(expected)} messages delivered ` +
        `(${int(report.messages / (windowMs / 1000))}/s; per subscriber ${int(report.fewest)}..${int(report.most)}) · ` +
        `${int(statsAfter.executions - statsBefore.executions)} executions in ${statsAfter.groups} group(s)`,
      `latency check → receipt: p50 ${ms(report.latency.p50)} · p99 ${ms(report.latency.p99)} · max ${ms(report.latency.max)}`,
      cpuLine(cpuMs, windowMs, report.messages, report, report.cpuMs - before.clients, before.machine),
    ],
    verdicts: [
      { name: 'nothing lost', pass: lost === 0, detail: `${int(lost)} lost` },
      { name: 'p99 < 500 ms', pass: report.latency.p99 < 500, detail: ms(report.latency.p99) },
      { name: '≤ 5 µs CPU per message', pass: perMessageUs <= 5, detail: `${perMessageUs.toFixed(2)} µs` },
    ],
  };
}

/** 10,000 `alertRaised` subscribers and a burst of 1,000 alerts (one INSERT of 1,000 failures). */
export async function alertsScenario(context: ScenarioContext): Promise<ScenarioResult> {
  const { config, db, service, clients } = context;
  const subscribers = config.alertSubscribers;
  const monitors = context.monitorIds.slice(0, config.alerts);
  // Every monitor UP first (no alert for a first result), so that one failure each is a DOWN alert each.
  const now = Date.now();
  await insertResults(
    db,
    monitors.map((id) => benchResult(id, true, new Date(now - 1000))),
  );
  const connectMs = await subscribeAll(context, {
    kind: 'alerts',
    urls: [service.url],
    queries: [ALERT_QUERY],
    variables: Array.from({ length: subscribers }, (_, i) =>
      config.alertsToAll ? null : { id: String(monitors[i % monitors.length]) },
    ),
    sampleEvery: 1,
  });
  await clients.reset();
  const { rows } = await db.query<{ id: number }>(`SELECT coalesce(max(id), 0) AS id FROM monitoring.alertes`);
  const before = await windowStart(service, clients);
  const statsBefore = await service.stats();
  await insertResults(
    db,
    monitors.map((id) => benchResult(id, false, new Date())),
  );
  const raised = await db.query<{ monitorId: number }>(
    `SELECT moniteur_id AS "monitorId" FROM monitoring.alertes WHERE id > $1 AND moniteur_id IS NOT NULL`,
    [rows[0]!.id],
  );
  // Each alert reaches the subscribers of its monitor, or everyone.
  const perMonitor = new Map<number, number>();
  for (let i = 0; i < subscribers; i++) {
    const id = monitors[i % monitors.length]!;
    perMonitor.set(id, (perMonitor.get(id) ?? 0) + 1);
  }
  const expected = config.alertsToAll
    ? raised.rows.length * subscribers
    : raised.rows.reduce((sum, alert) => sum + (perMonitor.get(alert.monitorId) ?? 0), 0);
  const report = await settle(clients, expected, 10_000, 120_000);
  const windowMs = performance.now() - before.at;
  const cpuMs = service.cpuMs() - before.cpu;
  const statsAfter = await service.stats();
  await endScenario(context);
  const within2s = report.messages >= expected && report.latency.max <= 2000;
  return {
    title: `alertRaised: ${int(subscribers)} subscribers (${config.alertsToAll ? 'each following every monitor' : `${int(subscribers / monitors.length)} per monitor`}), a burst of ${int(raised.rows.length)} alerts`,
    lines: [
      `subscribed in ${ms(connectMs)} · ${int(report.messages)} of ${int(expected)} messages delivered · ` +
        `${int(statsAfter.executions - statsBefore.executions)} executions in ${statsAfter.groups} group(s)`,
      `latency alert → receipt: p50 ${ms(report.latency.p50)} · p99 ${ms(report.latency.p99)} · max ${ms(report.latency.max)}`,
      cpuLine(cpuMs, windowMs, report.messages, report, report.cpuMs - before.clients, before.machine),
    ],
    verdicts: [
      {
        name: 'all delivered within 2 s',
        pass: within2s,
        detail: `${int(report.messages)}/${int(expected)}, last after ${ms(report.latency.max)}`,
      },
    ],
  };
}

// The dashboard row's fields; id and lastResult first, in this order, for the clients' reader.
const LIST_ROW = `at removedIds monitors { id lastResult { id checkedAt isUp latencyMs httpStatus } name status
      stats { availability } }`;

/**
 * The list scenario's subscriptions, spread over `listGroups` groups (each its own execution per tick before
 * issue 15's pieces): by operation name, each following every monitor; or by `ids`, group n following the half of
 * the monitors that starts at its nth slice (distinct filters that overlap, as differently filtered dashboards).
 */
function listSubscriptions(config: FanoutConfig, monitors: number[]) {
  const subscribers = config.listSubscribers;
  if (config.listGroupBy === 'name') {
    return {
      queries: Array.from(
        { length: config.listGroups },
        (_, n) => `subscription MonitorList${n} { monitorsChanged { ${LIST_ROW} } }`,
      ),
      variables: Array.from({ length: subscribers }, () => null),
    };
  }
  const half = Math.max(1, Math.floor(monitors.length / 2));
  const step = Math.max(1, Math.floor(monitors.length / config.listGroups));
  const idsOf = (group: number) =>
    Array.from({ length: half }, (_, i) => String(monitors[(group * step + i) % monitors.length]));
  const groups = Array.from({ length: config.listGroups }, (_, n) => ({ ids: idsOf(n) }));
  return {
    queries: [`subscription MonitorList($ids: [ID!]) { monitorsChanged(ids: $ids) { ${LIST_ROW} } }`],
    variables: Array.from({ length: subscribers }, (_, i) => groups[i % groups.length]!),
  };
}

/** 1,000 subscribers of the list stream over 10,000 monitors checked every 10 s. */
export async function listScenario(context: ScenarioContext): Promise<ScenarioResult> {
  const { config, db, service, clients } = context;
  const subscribers = config.listSubscribers;
  const monitors = context.monitorIds.slice(0, config.listMonitors);
  const perSecond = monitors.length / config.listIntervalSeconds;
  const connectMs = await subscribeAll(context, {
    kind: 'list',
    urls: [service.url],
    ...listSubscriptions(config, monitors),
    sampleEvery: config.sampleEvery,
  });
  if (config.warmupSeconds > 0) {
    await writeResults(db, monitors, perSecond, config.warmupSeconds);
    await sleep(config.tickMs * 3);
  }
  await clients.reset();
  const { rows: lastBefore } = await db.query<{ id: string }>(
    `SELECT coalesce(max(id), 0) AS id FROM monitoring.statuts`,
  );
  const before = await windowStart(service, clients);
  const statsBefore = await service.stats();
  const written = await writeResults(db, monitors, perSecond, config.seconds);
  // Two ticks for the last results to go out, then what each sampled subscriber holds is compared with the table.
  await sleep(config.tickMs * 2 + 500);
  let report = await settle(clients, Number.POSITIVE_INFINITY, 1000, 30_000);
  const windowMs = performance.now() - before.at;
  const cpuMs = service.cpuMs() - before.cpu;
  const statsAfter = await service.stats();
  // Every monitor checked during the window: its latest result must be what each sampled subscriber holds.
  const latest = await db.query<{ monitorId: number; id: number }>(
    `SELECT moniteur_id AS "monitorId", max(id) AS id FROM monitoring.statuts
      WHERE moniteur_id = ANY($1) AND id > $2 GROUP BY moniteur_id`,
    [monitors, lastBefore[0]!.id],
  );
  report = await clients.report(Object.fromEntries(latest.rows.map((row) => [String(row.monitorId), Number(row.id)])));
  await endScenario(context);
  const cpuPercent = (cpuMs / windowMs) * 100;
  const ticks = windowMs / config.tickMs;
  const statements = statsAfter.statements.other - statsBefore.statements.other;
  const hubReads = statsAfter.statements.hub - statsBefore.statements.hub;
  return {
    title: `monitorsChanged: ${int(subscribers)} subscribers in ${config.listGroups} group(s) by ${config.listGroupBy === 'ids' ? 'ids filter (half the monitors each)' : 'operation name'}, ${int(monitors.length)} monitors at ${config.listIntervalSeconds} s, tick ${int(config.tickMs)} ms`,
    lines: [
      `subscribed in ${ms(connectMs)} · ${int(written)} results written (${int(perSecond)}/s) · ${int(report.messages)} messages ` +
        `(per subscriber ${int(report.fewest)}..${int(report.most)}), ${(report.bytes / 1024 / 1024).toFixed(0)} MB · ` +
        `${int(statsAfter.executions - statsBefore.executions)} executions in ${statsAfter.groups} group(s)`,
      `latency result → receipt (${report.sampled} sampled subscribers, every monitor in their messages): ` +
        `p50 ${ms(report.latency.p50)} · p99 ${ms(report.latency.p99)} · max ${ms(report.latency.max)}`,
      `latency tick → receipt (every subscriber): p50 ${ms(report.tickLatency.p50)} · p99 ${ms(report.tickLatency.p99)} · ` +
        `max ${ms(report.tickLatency.max)}`,
      `service SQL statements: ${int(statements)} reading the ticks' monitors (${(statements / ticks).toFixed(1)} per tick ` +
        `of ${int(config.tickMs)} ms), besides ${int(hubReads)} event hub reads of new rows · ${int(report.closed)} ` +
        `subscriber(s) ended by the service`,
      cpuLine(cpuMs, windowMs, report.messages, report, report.cpuMs - before.clients, before.machine),
    ],
    verdicts: [
      { name: 'p99 result → receipt < 250 ms', pass: report.latency.p99 < 250, detail: ms(report.latency.p99) },
      { name: 'service CPU < 1 core', pass: cpuPercent < 100, detail: `${cpuPercent.toFixed(0)} %` },
      {
        name: 'nothing lost',
        pass: report.stale === 0,
        detail: `${int(report.stale)} monitor(s) not at their latest result across ${report.sampled} sampled subscribers`,
      },
    ],
  };
}
