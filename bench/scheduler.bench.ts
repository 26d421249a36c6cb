// `npm run bench`: the scheduler with N loopback HTTP monitors on a throwaway PostgreSQL database, per N.
import { availableParallelism } from 'node:os';
import pino from 'pino';
import { loadBenchConfig } from './config.ts';
import type { BenchConfig } from './config.ts';
import { createBenchDatabase, seedMonitors } from './database.ts';
import type { BenchDatabase } from './database.ts';
import { verdicts, formatRound } from './report.ts';
import type { RoundResult } from './report.ts';
import { runRound } from './round.ts';
import { ephemeralPortRange } from './system.ts';
import { startTargets } from './targets.ts';
import type { Targets } from './targets.ts';
import { isInterrupted, runBench } from './run.ts';

function describe(config: BenchConfig): string {
  const ports = ephemeralPortRange();
  return [
    `Vigie scheduler benchmark — Node ${process.version}, ${availableParallelism()} cores`,
    `monitors ${config.monitorCounts.join(', ')} · interval ${config.intervalSeconds} s · concurrency ${config.concurrency} · ` +
      `warm-up ${config.warmupSeconds} s · window ${config.seconds} s`,
    `targets: ${config.targetHosts} loopback address(es) × ${config.targetPortsPerHost} port(s) in a child process; ` +
      `ephemeral ports ${ports ? `${ports[0]}–${ports[1]}` : 'n/a'}`,
    ...(config.detachedWrites
      ? [
          'EXPERIMENT BENCH_EXPERIMENT_DETACHED_WRITES=1: slots are freed before results are stored (not the service as it is)',
        ]
      : []),
  ].join('\n');
}

async function main(config: BenchConfig): Promise<void> {
  const logger = pino({ level: 'warn' });
  console.log(describe(config));
  let targets: Targets | null = null;
  let database: BenchDatabase | null = null;
  const rounds: RoundResult[] = [];
  try {
    targets = await startTargets(config.targetHosts, config.targetPortsPerHost);
    database = await createBenchDatabase(config.adminDatabaseUrl, logger);
    console.log(`database ${database.name} created and migrated\n`);
    for (const monitors of config.monitorCounts) {
      if (isInterrupted()) break;
      await seedMonitors(database.db, monitors, targets.urls, config.intervalSeconds);
      const round = await runRound(config, database, targets, monitors);
      rounds.push(round);
      console.log(formatRound(round) + '\n');
    }
  } finally {
    await database?.drop().then(
      () => console.log(`database ${database?.name} dropped`),
      (error: unknown) => console.error(`could not drop ${database?.name}: ${(error as Error).message}`),
    );
    await targets?.stop();
  }
  const failed = rounds.flatMap((round) =>
    verdicts(round)
      .filter((verdict) => !verdict.pass)
      .map((verdict) => `${round.monitors}: ${verdict.name} (${verdict.detail})`),
  );
  console.log(failed.length ? `targets missed:\n  ${failed.join('\n  ')}` : 'all targets met');
}

await runBench(() => main(loadBenchConfig()));
