// Child process, the one measured: Scheduler + BatchWriter + the real runCheck on a pg Db, for one round.
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import pino from 'pino';
import { runCheck } from '../server/checks/index.ts';
import { openPostgres } from '../server/db/postgres.ts';
import { BatchWriter, Scheduler } from '../server/scheduler/index.ts';
import type { ServiceMessage, ServiceReport, ServiceRunConfig } from './protocol.ts';
import { summarizeLags } from './stats.ts';

const config = JSON.parse(process.argv[2] ?? '{}') as ServiceRunConfig;
const logger = pino({ level: 'warn' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const send = (message: ServiceMessage) => new Promise<void>((resolve) => process.send!(message, () => resolve()));

const db = await openPostgres(config.databaseUrl, logger);
const writer = new BatchWriter(db, logger);
const scheduler = new Scheduler(db, writer, logger, {
  maxParallelChecks: config.concurrency,
  runCheck,
  startSpreadMs: config.intervalMs,
});

// Peaks, sampled every 250 ms for the whole round (start-up and final flush included).
const peaks = { rss: 0, heapUsed: 0, inFlight: 0, waiting: 0, writerPending: 0 };
const sampleNow = (): void => {
  const memory = process.memoryUsage();
  const stats = scheduler.stats;
  peaks.rss = Math.max(peaks.rss, memory.rss);
  peaks.heapUsed = Math.max(peaks.heapUsed, memory.heapUsed);
  peaks.inFlight = Math.max(peaks.inFlight, stats.inFlight);
  peaks.waiting = Math.max(peaks.waiting, stats.waiting);
  peaks.writerPending = Math.max(peaks.writerPending, writer.stats.pending);
};
const sampler = setInterval(sampleNow, 250);
sampleNow();

await scheduler.start();
await sleep(config.warmupMs);

// The window: every lag is collected by reading the newest entries of the scheduler's sample buffer, whose
// length grows in step with checksStarted, often enough that the buffer never wraps in between.
const lags: number[] = [];
let lostLags = 0;
let lastStarted = scheduler.stats.checksStarted;
const collectLags = (): void => {
  const stats = scheduler.stats;
  const fresh = stats.checksStarted - lastStarted;
  lastStarted = stats.checksStarted;
  const available = Math.min(fresh, stats.recentLagsMs.length);
  lostLags += fresh - available;
  for (let i = stats.recentLagsMs.length - available; i < stats.recentLagsMs.length; i++) lags.push(stats.recentLagsMs[i]!);
};

let gcPauseMs = 0;
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcPauseMs += entry.duration;
});
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
const before = { stats: scheduler.stats, writer: { ...writer.stats } };
const cpuBefore = process.cpuUsage();
const windowStarted = performance.now();
gcObserver.observe({ entryTypes: ['gc'] });
loopDelay.enable();
await send({ type: 'window-start' });

const poller = setInterval(collectLags, 1000);
await sleep(config.windowMs);
clearInterval(poller);
collectLags();
const cpu = process.cpuUsage(cpuBefore);
const windowMs = performance.now() - windowStarted;
const after = { stats: scheduler.stats, writer: { ...writer.stats } };
loopDelay.disable();
gcObserver.disconnect();
await send({ type: 'window-end' });

await scheduler.stop();
await db.close();
sampleNow();
clearInterval(sampler);

const report: ServiceReport = {
  windowMs,
  monitors: after.stats.monitors,
  started: after.stats.checksStarted - before.stats.checksStarted,
  completed: after.stats.checksCompleted - before.stats.checksCompleted,
  missedInWindow: after.stats.missedChecks - before.stats.missedChecks,
  missedTotal: scheduler.stats.missedChecks,
  lag: summarizeLags(lags, lostLags),
  cpu: { userMs: cpu.user / 1000, systemMs: cpu.system / 1000 },
  peakRssBytes: peaks.rss,
  peakHeapUsedBytes: peaks.heapUsed,
  gcPauseMs,
  eventLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
  eventLoopDelayMaxMs: loopDelay.max / 1e6,
  maxInFlight: peaks.inFlight,
  maxWaiting: peaks.waiting,
  maxWriterPending: peaks.writerPending,
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
