// `npm run bench:fanout`: the live path under many subscribers. A real Vigie in one process on a throwaway
// PostgreSQL database, graphql-ws clients in another, results and alerts written by this process; per scenario
// the figures and PASS/FAIL against the targets of issue 15 (a measurement: exit 1 only when the bench broke).
import { availableParallelism } from 'node:os';
import pino from 'pino';
import { createBenchDatabase, seedMonitors, type BenchDatabase } from './database.ts';
import { browserScenario } from './fanout-browser.ts';
import { clusterScenario } from './fanout-cluster.ts';
import { loadFanoutConfig, type FanoutConfig, type ScenarioName } from './fanout-config.ts';
import { startClients, startService, type Clients, type Service } from './fanout-processes.ts';
import {
  alertsScenario,
  listScenario,
  resultsScenario,
  type ScenarioContext,
  type ScenarioResult,
} from './fanout-scenarios.ts';
import { isInterrupted, runBench } from './run.ts';

const RUN: Record<ScenarioName, (context: ScenarioContext) => Promise<ScenarioResult>> = {
  results: resultsScenario,
  alerts: alertsScenario,
  list: listScenario,
  browser: browserScenario,
  cluster: clusterScenario,
};

function print(result: ScenarioResult): void {
  console.log(`── ${result.title}`);
  for (const line of result.lines) console.log(`   ${line}`);
  for (const verdict of result.verdicts) {
    console.log(`   ${verdict.pass ? 'PASS' : 'FAIL'} ${verdict.name}: ${verdict.detail}`);
  }
  console.log('');
}

async function main(config: FanoutConfig): Promise<void> {
  const logger = pino({ level: 'warn' });
  console.log(
    `Vigie fan-out benchmark — Node ${process.version}, ${availableParallelism()} cores · scenarios ${config.scenarios.join(', ')} · ` +
      `window ${config.seconds} s after ${config.warmupSeconds} s warm-up · service tick (TEMPS_REEL_INTERVALLE_MS) ${config.tickMs} ms · ` +
      `clients in ${config.clientProcesses} process(es)`,
  );
  let database: BenchDatabase | null = null;
  let service: Service | null = null;
  let clients: Clients | null = null;
  const results: ScenarioResult[] = [];
  try {
    database = await createBenchDatabase(config.adminDatabaseUrl, logger);
    const monitorCount = Math.max(
      config.scenarios.some((name) => name === 'list' || name === 'browser') ? config.listMonitors : 0,
      config.scenarios.includes('alerts') ? config.alerts : 0,
      config.scenarios.includes('results') ? config.resultsPerSecond * 10 : 0,
      config.scenarios.includes('cluster') ? config.clusterMonitors : 0,
    );
    // Never checked (the service's scheduler is stopped): the results come from this process.
    await seedMonitors(database.db, monitorCount, ['http://127.0.0.1:9'], 10);
    const { rows } = await database.db.query<{ id: number }>(`SELECT id FROM monitoring.moniteurs ORDER BY id`);
    console.log(`database ${database.name}: ${rows.length.toLocaleString('en-US')} monitors\n`);
    service = await startService(database.url, config.tickMs);
    clients = startClients(config.clientProcesses);
    const context: ScenarioContext = {
      config,
      db: database.db,
      service,
      databaseUrl: database.url,
      clients,
      monitorIds: rows.map((row) => Number(row.id)),
    };
    for (const name of config.scenarios) {
      if (isInterrupted()) break;
      const result = await RUN[name](context);
      results.push(result);
      print(result);
    }
  } finally {
    await clients?.stop();
    await service?.stop();
    await database?.drop().then(
      () => console.log(`database ${database?.name} dropped`),
      (error: unknown) => console.error(`could not drop ${database?.name}: ${(error as Error).message}`),
    );
  }
  const failed = results.flatMap((result) =>
    result.verdicts.filter((verdict) => !verdict.pass).map((verdict) => `${result.title}: ${verdict.name}`),
  );
  console.log(failed.length ? `targets missed:\n  ${failed.join('\n  ')}` : 'all targets met');
}

await runBench(() => main(loadFanoutConfig()));
