// The scheduler against a real database and loopback targets: rhythm, concurrency bound, no overlap,
// changes applied without restart, shutdown.
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCheck, type CheckSpec } from '../../server/checks/index.ts';
import { deleteMonitor, getMonitor, setMonitorPaused, updateMonitor } from '../../server/db/index.ts';
import { BatchWriter, Scheduler } from '../../server/scheduler/index.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { createMonitor, deleteEveryMonitor, monitorSettings } from '../helpers/factories.ts';
import { silentLogger } from '../helpers/logger.ts';
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
) {
  const writer = new BatchWriter(testDb.db, silentLogger(), { maxDelayMs: 10 });
  scheduler = new Scheduler(testDb.db, writer, silentLogger(), {
    maxParallelChecks,
    maxChecksPerHost,
    runCheck: check,
    startSpreadMs: 0,
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
});
