// Child process, the one measured: Scheduler + BatchWriter + the real runCheck on a pg Db, for one round.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pino from 'pino';
import { openPostgres } from '../server/db/postgres.ts';
import { Membership, MonitorLeases } from '../server/instances/index.ts';
import { Scheduler } from '../server/scheduler/index.ts';
import { checksRunning, measuredRunCheck, MeasuredWriter } from './measured.ts';
import type { ServiceMessage, ServiceReport, ServiceRunConfig } from './protocol.ts';
import { StallWatch } from './stalls.ts';
import { percentile, summarizeLags } from './stats.ts';

const config = JSON.parse(process.argv[2] ?? '{}') as ServiceRunConfig;
const logger = pino({ level: 'warn' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const send = (message: ServiceMessage) => new Promise<void>((resolve) => process.send!(message, () => resolve()));

const db = await openPostgres(config.databaseUrl, logger);
const writer = new MeasuredWriter(db, logger, config.detachedWrites);
// As the service runs: one registered instance, checking the monitors whose lease it holds (here all of them).
const membership = new Membership(db, logger, {
  identity: { name: 'bench', location: 'default', version: 'bench' },
  heartbeatMs: 2_000,
  ttlMs: 6_000,
  exclusive: false,
});
await membership.start();
const scheduler = new Scheduler(db, writer, logger, {
  maxParallelChecks: config.concurrency,
  // The bench's monitors all hit one loopback target: no per-host cap, so the worker pool is what is measured.
  maxChecksPerHost: config.concurrency,
  runCheck: measuredRunCheck,
  startSpreadMs: config.intervalMs,
  leases: new MonitorLeases(db, membership, logger),
  takeoverSpreadMs: 2_000,
});
membership.monitorCount = () => scheduler.stats.monitors;

// Memory peaks, sampled every 250 ms for the whole round (start-up and final flush included).
const memory = { rss: 0, heapUsed: 0 };
const sampleMemory = (): void => {
  const usage = process.memoryUsage();
  memory.rss = Math.max(memory.rss, usage.rss);
  memory.heapUsed = Math.max(memory.heapUsed, usage.heapUsed);
};
const memorySampler = setInterval(sampleMemory, 250);
sampleMemory();

const schedulerStarted = performance.now();
await scheduler.start();
await sleep(config.warmupMs);

// Every lag of the window is read from the newest entries of the scheduler's sample buffer, which grows in
// step with checksStarted, often enough that the buffer never wraps in between. (recentLags() copies that
// buffer, so it is read once a second, not more.)
const lags: number[] = [];
let lostLags = 0;
let lastStarted = scheduler.stats.checksStarted;
const peaks = { inFlight: 0, waiting: 0 };
const poll = (): void => {
  const stats = scheduler.stats;
  const recent = scheduler.recentLags();
  const fresh = stats.checksStarted - lastStarted;
  lastStarted = stats.checksStarted;
  const available = Math.min(fresh, recent.length);
  lostLags += fresh - available;
  for (let i = recent.length - available; i < recent.length; i++) lags.push(recent[i]!);
  peaks.inFlight = Math.max(peaks.inFlight, stats.inFlight);
  peaks.waiting = Math.max(peaks.waiting, stats.waiting);
};

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
const before = { stats: scheduler.stats, writer: { ...writer.stats } };
checksRunning.reset();
writer.awaitingWrite.reset();
writer.waitsMs = [];
const cpuBefore = process.cpuUsage();
const windowStarted = performance.now();
const stallWatch = new StallWatch(schedulerStarted, 50);
loopDelay.enable();
await send({ type: 'window-start' });

const poller = setInterval(poll, 1000);
await sleep(config.windowMs);
clearInterval(poller);
poll();
const cpu = process.cpuUsage(cpuBefore);
const windowMs = performance.now() - windowStarted;
const after = { stats: scheduler.stats, writer: { ...writer.stats } };
const running = { mean: checksRunning.mean, peak: checksRunning.peak };
const awaiting = { mean: writer.awaitingWrite.mean, peak: writer.awaitingWrite.peak };
const waits = Float64Array.from(writer.waitsMs).sort();
loopDelay.disable();
const stalls = stallWatch.stop(5);
// What the heap really holds (the sampled peak includes garbage not yet collected); needs --expose-gc.
(globalThis as { gc?: () => void }).gc?.();
const liveHeapBytes = process.memoryUsage().heapUsed;
await send({ type: 'window-end' });

await scheduler.stop();
await membership.stop();
await db.close();
sampleMemory();
clearInterval(memorySampler);

const report: ServiceReport = {
  windowMs,
  monitors: after.stats.monitors,
  started: after.stats.checksStarted - before.stats.checksStarted,
  completed: after.stats.checksCompleted - before.stats.checksCompleted,
  missedInWindow: after.stats.missedChecks - before.stats.missedChecks,
  missedTotal: scheduler.stats.missedChecks,
  lag: summarizeLags(lags, lostLags),
  cpu: { userMs: cpu.user / 1000, systemMs: cpu.system / 1000 },
  peakRssBytes: memory.rss,
  peakHeapUsedBytes: memory.heapUsed,
  liveHeapBytes,
  gcPauseMs: stalls.gcPauseMs,
  eventLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
  eventLoopDelayMaxMs: loopDelay.max / 1e6,
  stallCount: stalls.count,
  longestStalls: stalls.longest,
  checksRunning: running,
  awaitingWrite: {
    ...awaiting,
    waitP50Ms: percentile(waits, 50),
    waitP99Ms: percentile(waits, 99),
    waitMaxMs: waits.length ? waits[waits.length - 1]! : Number.NaN,
  },
  peakInFlight: peaks.inFlight,
  peakWaiting: peaks.waiting,
  writer: {
    rowsWritten: writer.stats.rowsWritten,
    batchesWritten: writer.stats.batchesWritten,
    failedWrites: writer.stats.failedWrites,
    rowsInWindow: after.writer.rowsWritten - before.writer.rowsWritten,
    batchesInWindow: after.writer.batchesWritten - before.writer.batchesWritten,
  },
};
await send({ type: 'report', report });
process.exit(0);
