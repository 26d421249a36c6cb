// npm run bench:cluster: two Vigie instances sharing one PostgreSQL and its monitors (leases), against one alone
// at the same load; then one of the two is killed mid-window and the other takes its monitors over.
import { availableParallelism } from 'node:os';
import pino from 'pino';
import { type ClusterConfig, loadClusterConfig } from './cluster-config.ts';
import { heldBy, leaseShares, type Takeover, takeover, type WindowHistory, windowHistory } from './cluster-history.ts';
import { type Instance, lagShareWithinTarget, startInstance } from './cluster-instances.ts';
import { type BenchDatabase, createBenchDatabase, seedMonitors } from './database.ts';
import { runBench } from './run.ts';
import { startTargets, type Targets } from './targets.ts';

const TARGETS = { lagShare: 0.99, rssMb: 300, takeoverIntervals: 2 };

interface InstanceFigures {
  name: string;
  leases: number | null;
  rssMb: number;
  cpuPercent: number;
  lag: { checks: number; share: number };
  killed: boolean;
}

interface RoundFigures {
  title: string;
  steady: WindowHistory;
  steadySeconds: number;
  instances: InstanceFigures[];
  afterKill: { history: WindowHistory; takeover: Takeover; victim: string } | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => Math.round(bytes / 1048576);
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

async function runRound(
  title: string,
  names: string[],
  victim: string | null,
  config: ClusterConfig,
  database: BenchDatabase,
): Promise<RoundFigures> {
  const instances = await Promise.all(names.map((name) => startInstance(name, database.url, config)));
  const stopped = new Set<Instance>();
  try {
    await sleep(config.warmupSeconds * 1000);
    const shares = await leaseShares(database.db);
    for (const instance of instances) instance.resetPeak();
    const lagBefore = await Promise.all(instances.map((instance) => instance.lag()));
    const cpuBefore = instances.map((instance) => instance.cpuMs());
    const started = new Date();
    const killAt = victim ? Math.min(config.killAfterSeconds, config.seconds) : config.seconds;
    await sleep(killAt * 1000);
    const steadyEnd = new Date();
    const lagAfter = await Promise.all(instances.map((instance) => instance.lag()));
    const figures = instances.map<InstanceFigures>((instance, index) => ({
      name: instance.name,
      leases: shares.get(instance.name) ?? null,
      rssMb: mb(instance.peakRss()),
      cpuPercent: ((instance.cpuMs() - cpuBefore[index]!) / (steadyEnd.getTime() - started.getTime())) * 100,
      lag: lagShareWithinTarget(lagBefore[index]!, lagAfter[index]!),
      killed: instance.name === victim,
    }));
    let afterKill: RoundFigures['afterKill'] = null;
    if (victim) {
      const killed = instances.find((instance) => instance.name === victim)!;
      const held = await heldBy(database.db, victim);
      const killedAt = new Date();
      await killed.stop('SIGKILL');
      stopped.add(killed);
      // The rest of the window, and at least the takeover bound, so every taken-over monitor had its chance.
      const rest = Math.max(config.seconds - killAt, TARGETS.takeoverIntervals * config.intervalSeconds + 5);
      await sleep(rest * 1000);
      afterKill = {
        history: await windowHistory(database.db, killedAt, new Date(), config.intervalSeconds),
        takeover: await takeover(database.db, held, killedAt),
        victim,
      };
    }
    return {
      title,
      steady: await windowHistory(database.db, started, steadyEnd, config.intervalSeconds),
      steadySeconds: (steadyEnd.getTime() - started.getTime()) / 1000,
      instances: figures,
      afterKill,
    };
  } finally {
    for (const instance of instances) if (!stopped.has(instance)) await instance.stop('SIGTERM');
  }
}

function print(round: RoundFigures, config: ClusterConfig): void {
  const { steady } = round;
  const rate = steady.results / round.steadySeconds;
  const expectedRate = config.monitors / config.intervalSeconds;
  console.log(`\n== ${round.title}`);
  console.log(
    `   ${steady.results} checks in ${Math.round(round.steadySeconds)} s = ${Math.round(rate)}/s of ${Math.round(expectedRate)}/s expected; ` +
      `missed ${steady.missed}, doubled ${steady.doubled}, silent monitors ${steady.silentMonitors}, longest gap ${steady.longestGapSeconds.toFixed(2)} s`,
  );
  console.log(`   ${verdict(steady.missed === 0 && steady.silentMonitors === 0)}  no missed check`);
  console.log(`   ${verdict(steady.doubled === 0)}  no doubled check`);
  for (const instance of round.instances) {
    const lagOk = instance.lag.share >= TARGETS.lagShare;
    console.log(
      `   ${instance.name}${instance.killed ? ' (killed later)' : ''}: ${instance.leases ?? '—'} leases, ` +
        `${instance.lag.checks} checks, ${(instance.lag.share * 100).toFixed(2)} % started within 250 ms ` +
        `(${verdict(lagOk)} lag p99 < 250 ms), RSS peak ${instance.rssMb} MB (${verdict(instance.rssMb < TARGETS.rssMb)} < ${TARGETS.rssMb} MB), ` +
        `CPU ${instance.cpuPercent.toFixed(0)} % of a core`,
    );
  }
  if (!round.afterKill) return;
  const { takeover: t, history, victim } = round.afterKill;
  const bound = TARGETS.takeoverIntervals * config.intervalSeconds;
  console.log(
    `   ${victim} killed (SIGKILL) holding ${t.monitors} monitors: taken over p50 ${t.p50Seconds.toFixed(1)} s, ` +
      `last ${t.maxSeconds.toFixed(1)} s after the kill; ${t.notTakenOver} not checked again`,
  );
  console.log(
    `   ${verdict(t.notTakenOver === 0 && t.longestGapSeconds <= bound)}  longest gap of a taken-over monitor ` +
      `${t.longestGapSeconds.toFixed(1)} s (target ≤ ${bound} s = ${TARGETS.takeoverIntervals} intervals)`,
  );
  console.log(
    `   after the kill (${history.results} checks): missed ${history.missed}, doubled ${history.doubled}, ` +
      `longest gap any monitor saw ${history.longestGapSeconds.toFixed(1)} s`,
  );
}

async function main(): Promise<void> {
  const config = loadClusterConfig();
  console.log(
    `Vigie cluster benchmark — Node ${process.version}, ${availableParallelism()} cores; ${config.monitors} HTTP ` +
      `monitors at ${config.intervalSeconds} s, ${config.concurrency} checks in parallel per instance, ` +
      `window ${config.seconds} s after ${config.warmupSeconds} s of warm-up`,
  );
  const logger = pino({ level: 'warn' });
  let targets: Targets | null = null;
  let database: BenchDatabase | null = null;
  try {
    targets = await startTargets(4, 2);
    database = await createBenchDatabase(config.adminDatabaseUrl, logger);
    await seedMonitors(database.db, config.monitors, targets.urls, config.intervalSeconds);
    const rounds: RoundFigures[] = [];
    if (config.single) {
      rounds.push(await runRound('one instance alone', ['bench-solo'], null, config, database));
      print(rounds.at(-1)!, config);
    }
    const victim = config.killAfterSeconds > 0 ? 'bench-b' : null;
    rounds.push(await runRound('two instances sharing the monitors', ['bench-a', 'bench-b'], victim, config, database));
    print(rounds.at(-1)!, config);
    if (rounds.length === 2) {
      const cpu = rounds.map((round) => round.instances.reduce((sum, instance) => sum + instance.cpuPercent, 0));
      console.log(
        `\nside by side: one instance ${cpu[0]!.toFixed(0)} % of a core for the whole load; two instances ` +
          `${cpu[1]!.toFixed(0)} % together (${(cpu[1]! / 2).toFixed(0)} % each): the ratio of the leases' cost is ` +
          `${(cpu[1]! / Math.max(1, cpu[0]!)).toFixed(2)}`,
      );
    }
  } finally {
    await database?.drop();
    await targets?.stop();
  }
}

await runBench(main);
