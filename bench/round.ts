// One round: fork the measured service process for N seeded monitors and gather what every process did.
import type { ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { forkTs, isMessage, nextMessage, waitForExit } from './child.ts';
import type { BenchConfig } from './config.ts';
import type { BenchDatabase } from './database.ts';
import { backendPids, countResults } from './database.ts';
import type { ServiceMessage, ServiceReport, ServiceRunConfig } from './protocol.ts';
import type { RoundResult } from './report.ts';
import type { MachineCpu } from './system.ts';
import { ephemeralPortRange, machineCpu, machineCpuPercent, processCpuMs, timeWaitSockets } from './system.ts';
import type { Targets } from './targets.ts';

type Report = Extract<ServiceMessage, { type: 'report' }>;

interface Snapshot {
  machine: MachineCpu | null;
  targetsRequests: number;
  targetsCpuMs: number;
  postgresCpuMs: Map<number, number>;
}

async function snapshot(database: BenchDatabase, targets: Targets): Promise<Snapshot> {
  const machine = machineCpu();
  const [targetStats, pids] = await Promise.all([targets.stats(), backendPids(database.db, database.name)]);
  const postgresCpuMs = new Map<number, number>();
  for (const pid of pids) {
    const ms = processCpuMs(pid);
    if (ms !== null) postgresCpuMs.set(pid, ms);
  }
  return {
    machine,
    targetsRequests: targetStats.requests,
    targetsCpuMs: targetStats.cpu.userMs + targetStats.cpu.systemMs,
    postgresCpuMs,
  };
}

/** CPU used by the database's backends between two snapshots; a backend that appeared meanwhile counts whole. */
function postgresCpuBetween(from: Snapshot, to: Snapshot): number | null {
  if (to.postgresCpuMs.size === 0) return null;
  let total = 0;
  for (const [pid, ms] of to.postgresCpuMs) total += ms - (from.postgresCpuMs.get(pid) ?? 0);
  return total;
}

/** Starts the service child, and makes the run's end (or crash) settle every wait at once. */
function startService(config: BenchConfig, database: BenchDatabase, monitors: number) {
  const run: ServiceRunConfig = {
    databaseUrl: database.url,
    concurrency: config.concurrency,
    intervalMs: config.intervalSeconds * 1000,
    warmupMs: config.warmupSeconds * 1000,
    windowMs: config.seconds * 1000,
  };
  const profileName = `service-${monitors}-${process.pid}.cpuprofile`;
  const execArgv = config.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${config.cpuProfileDir}`, `--cpu-prof-name=${profileName}`] : [];
  const child: ChildProcess = forkTs(new URL('./service-run.ts', import.meta.url), [JSON.stringify(run)], execArgv);
  const setupMs = 120_000;
  const windowStart = nextMessage(child, isMessage<ServiceMessage>('window-start'), setupMs + run.warmupMs);
  const windowEnd = nextMessage(child, isMessage<ServiceMessage>('window-end'), setupMs + run.warmupMs + run.windowMs);
  const report = nextMessage(child, isMessage<Report>('report'), 2 * setupMs + run.warmupMs + run.windowMs);
  // Whichever wait is not reached yet when the child dies still rejects, but must not count as unhandled.
  for (const wait of [windowStart, windowEnd, report]) wait.catch(() => undefined);
  return { child, windowStart, windowEnd, report, profile: config.cpuProfileDir ? join(config.cpuProfileDir, profileName) : null };
}

export async function runRound(
  config: BenchConfig,
  database: BenchDatabase,
  targets: Targets,
  monitors: number,
): Promise<RoundResult> {
  const service = startService(config, database, monitors);
  let timeWaitPeak: number | null = null;
  const sampleTimeWait = (): void => {
    const count = timeWaitSockets();
    if (count !== null) timeWaitPeak = Math.max(timeWaitPeak ?? 0, count);
  };
  const timeWaitSampler = setInterval(sampleTimeWait, 1000);
  try {
    await service.windowStart;
    const before = await snapshot(database, targets);
    await service.windowEnd;
    const after = await snapshot(database, targets);
    const { report }: { report: ServiceReport } = await service.report;
    await waitForExit(service.child, 30_000);
    const cores = availableParallelism();
    const postgresMs = postgresCpuBetween(before, after);
    return {
      monitors,
      intervalSeconds: config.intervalSeconds,
      concurrency: config.concurrency,
      warmupSeconds: config.warmupSeconds,
      service: report,
      results: await countResults(database.db),
      targetsRequestsInWindow: after.targetsRequests - before.targetsRequests,
      targetsCpuPercent: ((after.targetsCpuMs - before.targetsCpuMs) / report.windowMs) * 100,
      postgresCpuPercent: postgresMs === null ? null : (postgresMs / report.windowMs) * 100,
      machineCpuPercent: machineCpuPercent(before.machine, after.machine, cores),
      cores,
      timeWaitPeak,
      targetEndpoints: targets.urls.length,
      ephemeralPorts: ephemeralPortRange(),
      cpuProfile: service.profile,
    };
  } finally {
    clearInterval(timeWaitSampler);
    if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGKILL');
  }
}
