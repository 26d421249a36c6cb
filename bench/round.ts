// One round: fork the measured service process for N seeded monitors and gather what every process did.
import type { ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
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
}

async function snapshot(targets: Targets): Promise<Snapshot> {
  const machine = machineCpu();
  const stats = await targets.stats();
  return { machine, targetsRequests: stats.requests, targetsCpuMs: stats.cpu.userMs + stats.cpu.systemMs };
}

/**
 * CPU time of the database's PostgreSQL backends and the server's background processes over the window, read from /proc once a second so that a
 * backend that exits (an idle pool connection closed) still counts up to its last reading.
 */
class PostgresCpu {
  private readonly atStart = new Map<number, number>();
  private readonly latest = new Map<number, number>();
  private started = false;

  constructor(private readonly database: BenchDatabase) {}

  async sample(): Promise<void> {
    for (const pid of await backendPids(this.database.db, this.database.name)) {
      const ms = processCpuMs(pid);
      if (ms === null) continue;
      this.latest.set(pid, ms);
      if (!this.started) this.atStart.set(pid, ms);
    }
    this.started = true;
  }

  totalMs(): number | null {
    if (this.latest.size === 0) return null;
    let total = 0;
    for (const [pid, ms] of this.latest) total += ms - (this.atStart.get(pid) ?? 0);
    return total;
  }
}

/** Starts the service child, and makes the run's end (or crash) settle every wait at once. */
function startService(config: BenchConfig, database: BenchDatabase, monitors: number) {
  const run: ServiceRunConfig = {
    databaseUrl: database.url,
    concurrency: config.concurrency,
    intervalMs: config.intervalSeconds * 1000,
    warmupMs: config.warmupSeconds * 1000,
    windowMs: config.seconds * 1000,
    detachedWrites: config.detachedWrites,
  };
  // One directory per round: Node writes one profile per thread there (tsx's loader hooks run on a thread too).
  const profileDir = config.cpuProfileDir ? join(config.cpuProfileDir, `service-${monitors}-${process.pid}`) : null;
  const execArgv = ['--expose-gc', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])];
  const child: ChildProcess = forkTs(new URL('./service-run.ts', import.meta.url), [JSON.stringify(run)], execArgv);
  const setupMs = 120_000;
  const windowStart = nextMessage(child, isMessage<ServiceMessage>('window-start'), setupMs + run.warmupMs);
  const windowEnd = nextMessage(child, isMessage<ServiceMessage>('window-end'), setupMs + run.warmupMs + run.windowMs);
  const report = nextMessage(child, isMessage<Report>('report'), 2 * setupMs + run.warmupMs + run.windowMs);
  // Whichever wait is not reached yet when the child dies still rejects, but must not count as unhandled.
  for (const wait of [windowStart, windowEnd, report]) wait.catch(() => undefined);
  return { child, windowStart, windowEnd, report, profileDir };
}

/** The main thread's profile (thread id 0 in Node's default name CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile). */
function mainThreadProfile(dir: string | null): string | null {
  if (!dir) return null;
  try {
    const file = readdirSync(dir).find((name) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(name));
    return file ? join(dir, file) : null;
  } catch {
    return null;
  }
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
  const postgres = new PostgresCpu(database);
  let postgresSampler: NodeJS.Timeout | undefined;
  try {
    await service.windowStart;
    const before = await snapshot(targets);
    await postgres.sample();
    postgresSampler = setInterval(() => void postgres.sample().catch(() => undefined), 1000);
    await service.windowEnd;
    clearInterval(postgresSampler);
    const after = await snapshot(targets);
    await postgres.sample();
    const { report }: { report: ServiceReport } = await service.report;
    await waitForExit(service.child, 30_000);
    const cores = availableParallelism();
    const postgresMs = postgres.totalMs();
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
      softirqCpuPercent: machineCpuPercent(before.machine, after.machine, cores, 'softirqTicks'),
      cores,
      timeWaitPeak,
      targetEndpoints: targets.urls.length,
      ephemeralPorts: ephemeralPortRange(),
      cpuProfile: mainThreadProfile(service.profileDir),
    };
  } finally {
    clearInterval(timeWaitSampler);
    clearInterval(postgresSampler);
    if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGKILL');
  }
}
