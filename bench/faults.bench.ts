// `npm run bench:faults`: the service as a process against a private PostgreSQL cluster, through the faults of
// issue 13 (outage, stuck table, slow host, shutdown), printing each figure with PASS/FAIL against its target.
import { availableParallelism } from 'node:os';
import { startPrivateCluster, type PrivateCluster } from '../tests/helpers/private-cluster.ts';
import type { FaultContext } from './fault-context.ts';
import { runOutage } from './fault-outage.ts';
import { failures, formatScenario, type ScenarioResult } from './fault-report.ts';
import { runShutdown } from './fault-shutdown.ts';
import { runSlowHost } from './fault-slow-host.ts';
import { runStuck } from './fault-stuck.ts';
import { startFaultTargets, type FaultTargets } from './fault-targets.ts';
import { loadFaultsConfig, type FaultsConfig, type Scenario } from './faults-config.ts';
import { isInterrupted, runBench } from './run.ts';

const RUNS: Record<Scenario, (context: FaultContext) => Promise<ScenarioResult>> = {
  outage: runOutage,
  stuck: runStuck,
  'slow-host': runSlowHost,
  shutdown: runShutdown,
};

const clock = () => new Date().toISOString().slice(11, 19);

async function main(config: FaultsConfig): Promise<void> {
  console.log(`Vigie fault benchmark — Node ${process.version}, ${availableParallelism()} cores`);
  console.log(`scenarios: ${config.scenarios.join(', ')}\n`);
  let cluster: PrivateCluster | null = null;
  let targets: FaultTargets | null = null;
  const results: ScenarioResult[] = [];
  try {
    cluster = await startPrivateCluster();
    targets = await startFaultTargets();
    console.log(`private PostgreSQL cluster on 127.0.0.1:${cluster.port}; targets ${targets.urls.join(', ')}\n`);
    const context: FaultContext = {
      cluster,
      targets,
      config,
      progress: (line) => console.log(`  ${clock()} ${line}`),
    };
    for (const scenario of config.scenarios) {
      if (isInterrupted()) break;
      const result = await RUNS[scenario](context);
      results.push(result);
      console.log(`\n${formatScenario(result)}\n`);
    }
  } finally {
    await targets?.stop();
    await cluster?.destroy();
  }
  const missed = failures(results);
  console.log(missed.length ? `targets missed:\n  ${missed.join('\n  ')}` : 'all targets met');
}

await runBench(() => main(loadFaultsConfig()));
