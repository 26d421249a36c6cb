// The scheduler against a real database and loopback targets: rhythm, concurrency bound, no overlap,
// changes applied without restart, shutdown.
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCheck, type CheckSpec } from '../../server/checks/index.ts';
import { deleteMonitor, getMonitor, insertResults, setMonitorPaused, updateMonitor } from '../../server/db/index.ts';
import { BatchWriter, Scheduler, type SchedulerOptions } from '../../server/scheduler/index.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { createMonitor, deleteEveryMonitor, monitorSettings, result } from '../helpers/factories.ts';
import { capturingLogger, silentLogger } from '../helpers/logger.ts';
import { startHttpTarget, type HttpTarget } from '../helpers/targets.ts';

let testDb: TestDb;
let target: HttpTarget;
let other: HttpTarget;
let scheduler: Scheduler | null = null;

beforeAll(async () => {
  [testDb, target, other] = await Promise.all([createTestDb(), startHttpTarget(), startHttpTarget()]);
});
afterEach(async () => {
  await scheduler?.stop();
  scheduler = null;
  await deleteEveryMonitor(testDb.db);
});
afterAll(async () => {
  await Promise.all([testDb.drop(), target.close(), other.close()]);
});

async function startScheduler(
  maxParallelChecks: number,
  check: (spec: CheckSpec) => Promise<any> = runCheck,
  maxChecksPerHost = maxParallelChecks,
  { logger = silentLogger(), ...options }: Partial<SchedulerOptions> & { logger?: Logger } = {},
) {
  const writer = new BatchWriter(testDb.db, silentLogger(), { maxDelayMs: 10 });
  scheduler = new Scheduler(testDb.db, writer, logger, {
    maxParallelChecks,
    maxChecksPerHost,
    runCheck: check,
    startSpreadMs: 0,
    ...options,
  });
  await scheduler.start();
  return scheduler;
}

/** An HTTP server on `host` answering every request after `delayMs`, counting the requests it serves at once. */
async function startCountingTarget(host: string, delayMs: number) {
  let inFlight = 0;
  let peak = 0;
  let requests = 0;
  const server = http.createServer((_request, response) => {
    requests++;
    peak = Math.max(peak, ++inFlight);
    response.on('close', () => inFlight--);
    setTimeout(() => response.end('OK'), delayMs);
  });
  server.listen(0, host);
  await once(server, 'listening');
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    get peak() {
      return peak;
    },
    get requests() {
      return requests;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function resultCount(monitorId: number): Promise<number> {
  const { rows } = await testDb.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM monitoring.statuts WHERE moniteur_id = $1',
    [monitorId],
  );
  return rows[0]!.n;
}

describe('scheduler', () => {
  it('checks each monitor on its own interval and stores every result', async () => {
    const fast = await createMonitor(testDb.db, {
      target: `${target.url}/status/200`,
      intervalSeconds: 1,
      timeoutSeconds: 0.5,
    });
    const slow = await createMonitor(testDb.db, {
      target: `${target.url}/status/204`,
      intervalSeconds: 3,
      timeoutSeconds: 0.5,
    });
    await startScheduler(5);
    await new Promise((resolve) => setTimeout(resolve, 3500));
    await scheduler!.stop();
    // t = 0, 1, 2, 3 for the 1 s monitor; t = 0, 3 for the 3 s one.
    expect(await resultCount(fast.id)).toBeGreaterThanOrEqual(3);
    expect(await resultCount(fast.id)).toBeLessThanOrEqual(4);
    expect(await resultCount(slow.id)).toBeGreaterThanOrEqual(1);
    expect(await resultCount(slow.id)).toBeLessThanOrEqual(2);
    expect((await getMonitor(testDb.db, fast.id))!.status).toBe('UP');
    expect(scheduler!.saturation()).toEqual({
      saturated: false,
      overdueChecks: 0,
      worstLagMs: 0,
      limitedBy: [],
      busyHosts: [],
    });
  });

  it('never runs more checks at once than allowed', async () => {
    for (let i = 0; i < 12; i++) {
      await createMonitor(testDb.db, { target: `${target.url}/slow/300`, intervalSeconds: 5, timeoutSeconds: 2 });
    }
    let inFlight = 0;
    let peak = 0;
    let done = 0;
    await startScheduler(3, async (spec) => {
      peak = Math.max(peak, ++inFlight);
      try {
        return await runCheck(spec);
      } finally {
        inFlight--;
        done++;
      }
    });
    await expect.poll(() => done, { timeout: 5000 }).toBe(12);
    expect(peak).toBe(3);
  });

  it('never overlaps two checks of one monitor: a check longer than its interval delays the next', async () => {
    const monitor = await createMonitor(testDb.db, {
      target: `${target.url}/`,
      intervalSeconds: 1,
      timeoutSeconds: 0.5,
    });
    const runs: Array<{ start: number; end: number }> = [];
    await startScheduler(5, async (spec) => {
      const run = { start: Date.now(), end: 0 };
      runs.push(run);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      run.end = Date.now();
      return runCheck(spec);
    });
    await expect.poll(() => runs.filter((run) => run.end > 0).length, { timeout: 6000 }).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.start).toBeGreaterThanOrEqual(runs[i - 1]!.end);
    expect(await resultCount(monitor.id)).toBeGreaterThanOrEqual(1);
  });

  it('does not check a monitor twice in a row: a check started more than half an interval late is followed half an interval later at the soonest', async () => {
    // One worker. The blocker is due first and holds the worker 1.4 s; the monitor, due 0.1 s later on its 2 s
    // rhythm, starts 1.3 s late. On the rhythm alone its next check would come 0.7 s after that one.
    const blocker = await createMonitor(testDb.db, { target: `${other.url}/`, intervalSeconds: 60, timeoutSeconds: 1 });
    const monitor = await createMonitor(testDb.db, { target: `${target.url}/`, intervalSeconds: 2, timeoutSeconds: 1 });
    await insertResults(testDb.db, [result(monitor.id, true, { checkedAt: new Date(Date.now() - 1_900) })]);
    const starts: number[] = [];
    await startScheduler(1, async (spec) => {
      if (spec.target === blocker.target) await new Promise((resolve) => setTimeout(resolve, 1_400));
      else starts.push(Date.now());
      return runCheck(spec);
    });
    await expect.poll(() => starts.length, { timeout: 6_000 }).toBeGreaterThanOrEqual(2);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(990);
  });

  it('applies a new target, a pause and a deletion at once, without a restart', async () => {
    const monitor = await createMonitor(testDb.db, {
      target: `${target.url}/`,
      intervalSeconds: 60,
      timeoutSeconds: 2,
    });
    await startScheduler(5);
    await expect.poll(() => resultCount(monitor.id)).toBe(1);
    const before = other.requests;
    await updateMonitor(
      testDb.db,
      monitor.id,
      monitorSettings({ target: `${other.url}/`, intervalSeconds: 60, timeoutSeconds: 2 }),
    );
    await expect.poll(() => other.requests).toBe(before + 1);
    await setMonitorPaused(testDb.db, monitor.id, true);
    await expect.poll(() => scheduler!.stats.monitors).toBe(0);
    await setMonitorPaused(testDb.db, monitor.id, false);
    await expect.poll(() => scheduler!.stats.monitors).toBe(1);
    await deleteMonitor(testDb.db, monitor.id);
    await expect.poll(() => scheduler!.stats.monitors).toBe(0);
  });

  it('picks up a monitor created while running and checks it at once', async () => {
    await startScheduler(5);
    const monitor = await createMonitor(testDb.db, {
      target: `${target.url}/`,
      intervalSeconds: 60,
      timeoutSeconds: 2,
    });
    await expect.poll(() => resultCount(monitor.id), { timeout: 3000 }).toBe(1);
  });

  it('on stop, waits for checks in flight and stores their results', async () => {
    const monitor = await createMonitor(testDb.db, {
      target: `${target.url}/slow/700`,
      intervalSeconds: 60,
      timeoutSeconds: 5,
    });
    await startScheduler(5);
    await expect.poll(() => scheduler!.stats.inFlight).toBe(1);
    await scheduler!.stop();
    expect(await resultCount(monitor.id)).toBe(1);
  });

  it('at the deadline, stops waiting for the checks in flight, counts them and stores none of their results', async () => {
    const monitor = await createMonitor(testDb.db, {
      target: `${target.url}/slow/1500`,
      intervalSeconds: 60,
      timeoutSeconds: 5,
    });
    await startScheduler(5);
    await expect.poll(() => scheduler!.stats.inFlight).toBe(1);
    const stopped = scheduler!.stop();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    expect(scheduler!.abandonInFlight()).toBe(1);
    await stopped;
    expect(Date.now() - started).toBeLessThan(500);
    // The abandoned check ends later; its result is not stored.
    await new Promise((resolve) => setTimeout(resolve, 1800));
    expect(await resultCount(monitor.id)).toBe(0);
  });

  it('keeps a slow host to VERIFICATIONS_PAR_HOTE_MAX checks at once, so other hosts are still checked on time', async () => {
    // 127.0.0.2 answers in 1.5 s to 16 monitors every 2 s: far more than the workers can serve.
    const [slowHost, fastHost] = await Promise.all([
      startCountingTarget('127.0.0.2', 1500),
      startCountingTarget('127.0.0.3', 0),
    ]);
    try {
      for (let i = 0; i < 16; i++) {
        await createMonitor(testDb.db, { target: `${slowHost.url}/${i}`, intervalSeconds: 2, timeoutSeconds: 1.8 });
      }
      const fast = await createMonitor(testDb.db, {
        target: `${fastHost.url}/`,
        intervalSeconds: 1,
        timeoutSeconds: 0.5,
      });
      const fastStarts: number[] = [];
      await startScheduler(
        5,
        (spec) => {
          if (spec.target.startsWith(fastHost.url)) fastStarts.push(Date.now());
          return runCheck(spec);
        },
        2,
      );
      await new Promise((resolve) => setTimeout(resolve, 6000));
      const gaps = fastStarts.slice(1).map((start, i) => start - fastStarts[i]!);
      // Without the cap the fast monitor queues behind the slow host's checks: gaps of several seconds.
      expect(fastStarts.length).toBeGreaterThanOrEqual(5);
      expect(Math.max(...gaps)).toBeLessThan(1400);
      expect(slowHost.peak).toBe(2);
      expect(scheduler!.stats.waitingForHost).toBeGreaterThan(0);
      await scheduler!.stop();
      expect(slowHost.peak).toBe(2);
      expect(await resultCount(fast.id)).toBe(fastStarts.length);
    } finally {
      await Promise.all([slowHost.close(), fastHost.close()]);
    }
  });

  it('reports a host at its cap as saturated, logs once which setting to raise, and once when on time again', async () => {
    const slowHost = await startCountingTarget('127.0.0.2', 1000);
    try {
      const monitors = [];
      for (let i = 0; i < 4; i++) {
        monitors.push(
          await createMonitor(testDb.db, { target: `${slowHost.url}/${i}`, intervalSeconds: 1, timeoutSeconds: 0.9 }),
        );
      }
      const { logger, lines } = capturingLogger();
      await startScheduler(5, runCheck, 1, { logger, saturationCheckIntervalMs: 100, saturationMemoryMs: 1500 });
      // One check a second to a host four monitors want every second: their slots are missed.
      await expect
        .poll(() => scheduler!.saturation(), { timeout: 5000 })
        .toMatchObject({ saturated: true, limitedBy: ['VERIFICATIONS_PAR_HOTE_MAX'], busyHosts: ['127.0.0.2'] });
      expect(scheduler!.saturation().overdueChecks).toBeGreaterThan(0);
      expect(scheduler!.saturation().worstLagMs).toBeGreaterThanOrEqual(1000);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      for (const monitor of monitors.slice(1)) await deleteMonitor(testDb.db, monitor.id);
      // One monitor alone keeps its rhythm: the episode ends once the last miss is older than the memory.
      await expect.poll(() => scheduler!.saturation().saturated, { timeout: 6000 }).toBe(false);
      await expect
        .poll(() => lines.some((line) => line.includes('checks are on time again')), { timeout: 1000 })
        .toBe(true);
      const warnings = lines.filter((line) => line.includes('checks are running late'));
      expect(warnings).toHaveLength(1);
      expect(JSON.parse(warnings[0]!)).toMatchObject({
        level: 40,
        limitedBy: ['VERIFICATIONS_PAR_HOTE_MAX'],
        busyHosts: ['127.0.0.2'],
      });
      expect(warnings[0]).toContain('raise VERIFICATIONS_PAR_HOTE_MAX (now 1)');
    } finally {
      await scheduler?.stop();
      await slowHost.close();
    }
  });

  it('reports too few workers as saturation on WORKERS_MAX_PARALLELES', async () => {
    for (let i = 0; i < 3; i++) {
      await createMonitor(testDb.db, { target: `${target.url}/slow/800`, intervalSeconds: 1, timeoutSeconds: 0.9 });
    }
    const { logger, lines } = capturingLogger();
    await startScheduler(1, runCheck, 4, { logger, saturationCheckIntervalMs: 100 });
    await expect
      .poll(() => scheduler!.saturation(), { timeout: 5000 })
      .toMatchObject({ saturated: true, limitedBy: ['WORKERS_MAX_PARALLELES'], busyHosts: [] });
    await expect
      .poll(() => lines.filter((line) => line.includes('raise WORKERS_MAX_PARALLELES (now 1)')).length)
      .toBe(1);
  });
});
