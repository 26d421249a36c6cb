// The fan-out bench's cluster scenario (issue 14): subscribers spread over two Vigie processes on one database,
// half following every check result (`checkCompleted`), half every alert (`alertRaised`), while results are
// written for the monitors at their interval and some monitors flap (an alert at each of their results). The
// results are written by this process, as the instances' batch writers would (the checks and their leases are
// bench:cluster's subject): each event reaches each instance only through PostgreSQL's NOTIFY and its table.
import { availableParallelism } from 'node:os';
import { startClients, startService, type Clients, type Service } from './fanout-processes.ts';
import type { ClientsReport } from './fanout-protocol.ts';
import {
  ALERT_QUERY,
  int,
  ms,
  RESULT_FIELDS,
  settle,
  type ScenarioContext,
  type ScenarioResult,
  type Verdict,
} from './fanout-scenarios.ts';
import { flapping, writeResults } from './fanout-writer.ts';
import { machineCpu, machineCpuPercent, processMemory } from './system.ts';

const TARGET_P99_MS = 200;

/** Peak RSS of each service while the window runs, sampled from /proc. */
function sampleRss(services: Service[]): { peaks: number[]; stop(): void } {
  const peaks = services.map(() => 0);
  const sample = () =>
    services.forEach((service, index) => {
      peaks[index] = Math.max(peaks[index]!, processMemory(service.pid).rss);
    });
  sample();
  const timer = setInterval(sample, 250);
  return { peaks, stop: () => clearInterval(timer) };
}

function deliveryLines(name: string, report: ClientsReport, expected: number): string {
  return (
    `${name}: ${int(report.messages)} of ${int(expected)} messages (lost ${int(expected - report.messages)}; per ` +
    `subscriber ${int(report.fewest)}..${int(report.most)}) · latency commit → receipt p50 ${ms(report.latency.p50)} · ` +
    `p99 ${ms(report.latency.p99)} · max ${ms(report.latency.max)}` +
    (report.errors.length ? ` · client errors: ${report.errors.join(' | ')}` : '')
  );
}

export async function clusterScenario(context: ScenarioContext): Promise<ScenarioResult> {
  const { config, db } = context;
  const monitors = context.monitorIds.slice(0, config.clusterMonitors);
  const perSecond = monitors.length / config.listIntervalSeconds;
  const half = Math.floor(config.clusterSubscribers / 2);
  // The first instance is the bench's service; the second joins it on the same database for this scenario.
  const second = await startService(context.databaseUrl, config.tickMs, 'fanout-b');
  const services = [context.service, second];
  const urls = services.map((service) => service.url);
  // Results and alerts are counted apart: the alert subscribers get clients of their own.
  const resultClients = context.clients;
  const alertClients: Clients = startClients(1);
  try {
    const started = Date.now();
    await resultClients.subscribe({
      kind: 'results',
      urls,
      queries: [`subscription CheckCompleted { checkCompleted { ${RESULT_FIELDS} } }`],
      variables: Array.from({ length: half }, () => null),
      sampleEvery: 1,
    });
    await alertClients.subscribe({
      kind: 'alerts',
      urls,
      queries: [ALERT_QUERY],
      variables: Array.from({ length: config.clusterSubscribers - half }, () => null),
      sampleEvery: 1,
    });
    const perInstance = Math.ceil(config.clusterSubscribers / 2);
    await Promise.all(
      services.map((service) =>
        service.waitForSubscribers(config.clusterSubscribers - Math.floor(config.clusterSubscribers / 2), 120_000),
      ),
    );
    const connectMs = Date.now() - started;
    const isUp = flapping(config.clusterFlapEvery);
    // Every monitor gets a first result (no alert for it), and the subscribers warm up.
    await writeResults(db, monitors, perSecond, Math.max(config.warmupSeconds, config.listIntervalSeconds), isUp);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await Promise.all([resultClients.reset(), alertClients.reset()]);
    const ids = await db.query<{ result: string; alert: string }>(
      `SELECT (SELECT coalesce(max(id), 0) FROM monitoring.statuts) AS result,
              (SELECT coalesce(max(id), 0) FROM monitoring.alertes) AS alert`,
    );
    const cpuBefore = services.map((service) => service.cpuMs());
    const clientsCpuBefore = (await resultClients.report()).cpuMs + (await alertClients.report()).cpuMs;
    const machineBefore = machineCpu();
    const windowStart = performance.now();
    const rss = sampleRss(services);
    const written = await writeResults(db, monitors, perSecond, config.seconds, isUp);
    const { rows } = await db.query<{ alerts: number }>(
      `SELECT count(*)::int AS alerts FROM monitoring.alertes WHERE id > $1`,
      [ids.rows[0]!.alert],
    );
    const alerts = rows[0]!.alerts;
    const expectedResults = written * half;
    const expectedAlerts = alerts * (config.clusterSubscribers - half);
    const results = await settle(resultClients, expectedResults, 3000, 60_000);
    const alertReport = await settle(alertClients, expectedAlerts, 3000, 60_000);
    rss.stop();
    const windowMs = performance.now() - windowStart;
    const cpu = services.map((service, index) => ((service.cpuMs() - cpuBefore[index]!) / windowMs) * 100);
    const machine = machineCpuPercent(machineBefore, machineCpu(), availableParallelism());
    const lost = expectedResults - results.messages + (expectedAlerts - alertReport.messages);
    const verdicts: Verdict[] = [
      {
        name: `p99 commit → receipt < ${TARGET_P99_MS} ms`,
        pass: results.latency.p99 < TARGET_P99_MS && alertReport.latency.p99 < TARGET_P99_MS,
        detail: `results ${ms(results.latency.p99)}, alerts ${ms(alertReport.latency.p99)}`,
      },
      { name: 'nothing lost', pass: lost === 0, detail: `${int(lost)} lost` },
    ];
    return {
      title:
        `two instances: ${int(config.clusterSubscribers)} subscribers (${int(half)} checkCompleted, ` +
        `${int(config.clusterSubscribers - half)} alertRaised, ${int(perInstance)} per instance), ${int(monitors.length)} ` +
        `monitors at ${config.listIntervalSeconds} s, one in ${config.clusterFlapEvery} flapping`,
      lines: [
        `subscribed in ${ms(connectMs)} · ${int(written)} results and ${int(alerts)} alerts written in ${config.seconds} s ` +
          `by a third process (each instance hears of them through NOTIFY)`,
        deliveryLines('checkCompleted', results, expectedResults),
        deliveryLines('alertRaised', alertReport, expectedAlerts),
        ...services.map(
          (service, index) =>
            `instance ${index === 0 ? 'A' : 'B'} (pid ${service.pid}): CPU ${cpu[index]!.toFixed(0)} % of a core · ` +
            `RSS peak ${Math.round(rss.peaks[index]! / 1048576)} MB`,
        ),
        `clients CPU ${(((results.cpuMs + alertReport.cpuMs - clientsCpuBefore) / windowMs) * 100).toFixed(0)} % · machine busy ${machine === null ? 'n/a' : machine.toFixed(0)} % of ` +
          `${availableParallelism()} cores (everything on it)`,
      ],
      verdicts,
    };
  } finally {
    await Promise.all([resultClients.close(), alertClients.close()]);
    await alertClients.stop();
    await Promise.all(services.map((service) => service.waitForSubscribers(0, 30_000).catch(() => undefined)));
    await second.stop();
  }
}
