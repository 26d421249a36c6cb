// Results survive a database outage: PostgreSQL (a private cluster) is stopped under load while checks go on; once
// it is back, every result is stored in order, and the DOWN of a target that failed meanwhile is timed at its first
// failing check. And the bound: past it the oldest results are dropped and counted.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../server/checks/index.ts';
import type { Db } from '../../server/db/index.ts';
import { migrate } from '../../server/db/index.ts';
import { openPostgres } from '../../server/db/postgres.ts';
import { createHealthCheck } from '../../server/health.ts';
import { registerServiceMetrics } from '../../server/metrics/service.ts';
import { etatShape } from '../../server/rest/shapes.ts';
import { BatchWriter, Scheduler } from '../../server/scheduler/index.ts';
import { createMonitor, deleteEveryMonitor, result } from '../helpers/factories.ts';
import { capturingLogger, silentLogger } from '../helpers/logger.ts';
import { startPrivateCluster, type PrivateCluster } from '../helpers/private-cluster.ts';
import { waitFor } from '../helpers/wait.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let cluster: PrivateCluster;
let db: Db;
let target: Server;
let targetUrl: string;
let targetDown = false;
let scheduler: Scheduler | null = null;

beforeAll(async () => {
  cluster = await startPrivateCluster();
  db = await openPostgres(cluster.url, silentLogger());
  await migrate(db);
  target = createServer((req, res) => {
    res.statusCode = targetDown && req.url === '/fails' ? 500 : 200;
    res.end();
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await scheduler?.stop();
  scheduler = null;
  targetDown = false;
  await deleteEveryMonitor(db);
});
afterAll(async () => {
  await db?.close();
  await new Promise((resolve) => target?.close(resolve));
  await cluster?.destroy();
});

describe('database outage', () => {
  it('keeps checking while PostgreSQL is stopped, then stores every result in order and times the DOWN at its first failing check', async () => {
    const steady = await Promise.all(
      [1, 2, 3, 4, 5].map(() =>
        createMonitor(db, { target: `${targetUrl}/ok`, intervalSeconds: 1, timeoutSeconds: 0.5, retries: 1 }),
      ),
    );
    const failing = await createMonitor(db, {
      target: `${targetUrl}/fails`,
      intervalSeconds: 1,
      timeoutSeconds: 0.5,
      retries: 1,
    });
    const { logger, lines } = capturingLogger();
    const writer = new BatchWriter(db, logger, { maxDelayMs: 10, retryDelayMs: 100, maxRetryDelayMs: 1000 });
    scheduler = new Scheduler(db, writer, silentLogger(), {
      maxParallelChecks: 10,
      maxChecksPerHost: 10,
      runCheck,
      startSpreadMs: 0,
    });
    await scheduler.start();
    await sleep(3_000);

    await cluster.stop();
    const outageStart = Date.now();
    await sleep(3_000);
    targetDown = true;
    const failedFrom = Date.now();
    await sleep(9_000);
    expect(writer.stats.outage).toBe(true);
    const queuedDuringOutage = writer.stats.pending;
    await cluster.start();
    const outageEnd = Date.now();
    await waitFor('the writer to see the database back', () => !writer.stats.outage, { timeoutMs: 15_000 });
    await sleep(2_000);
    await scheduler.stop();
    scheduler = null;

    // Checks went on: about one result per second and monitor was waiting when the database came back.
    expect(queuedDuringOutage).toBeGreaterThan(6 * ((outageEnd - outageStart) / 1000) * 0.7);
    expect(writer.stats.droppedResults).toBe(0);

    for (const monitor of [...steady, failing]) {
      const { rows } = await db.query<{ verifie_a: Date }>(
        'SELECT verifie_a FROM monitoring.statuts WHERE moniteur_id = $1 ORDER BY verifie_a',
        [monitor.id],
      );
      const times = rows.map((row) => row.verifie_a.getTime());
      const gaps = times.slice(1).map((time, i) => time - times[i]!);
      // No hole: a 1 s rhythm throughout, outage included.
      expect(Math.max(...gaps)).toBeLessThan(1_700);
      expect(times[0]!).toBeLessThan(outageStart);
      expect(times.at(-1)!).toBeGreaterThan(outageEnd);
    }

    const { rows: alerts } = await db.query<{ cree_a: Date }>(
      `SELECT cree_a FROM monitoring.alertes WHERE moniteur_id = $1 AND type = 'DOWN'`,
      [failing.id],
    );
    expect(alerts).toHaveLength(1);
    const { rows: firstFailure } = await db.query<{ verifie_a: Date }>(
      `SELECT verifie_a FROM monitoring.statuts WHERE moniteur_id = $1 AND NOT est_disponible
        ORDER BY verifie_a LIMIT 1`,
      [failing.id],
    );
    // Timed at the first failing check, made during the outage, not when the database came back.
    expect(alerts[0]!.cree_a.getTime()).toBe(firstFailure[0]!.verifie_a.getTime());
    expect(firstFailure[0]!.verifie_a.getTime()).toBeGreaterThanOrEqual(failedFrom - 1_000);
    expect(firstFailure[0]!.verifie_a.getTime()).toBeLessThan(failedFrom + 1_500);
    expect(alerts[0]!.cree_a.getTime()).toBeLessThan(outageEnd);

    const logged = lines.map((line) => JSON.parse(line) as { msg: string; dropped?: number });
    expect(logged.filter((line) => line.msg.startsWith('the database cannot take check results'))).toHaveLength(1);
    expect(logged.find((line) => line.msg.startsWith('database back'))?.dropped).toBe(0);
  }, 60_000);

  it('past its bound, drops the oldest results first and counts them, logging once per outage', async () => {
    const monitor = await createMonitor(db, { target: `${targetUrl}/ok`, intervalSeconds: 60 });
    const { logger, lines } = capturingLogger();
    const writer = new BatchWriter(db, logger, {
      maxDelayMs: 5,
      maxQueuedResults: 10,
      retryDelayMs: 100,
      maxRetryDelayMs: 200,
    });
    await cluster.stop();
    const results = Array.from({ length: 25 }, () => result(monitor.id, true));
    try {
      const settled = results.map((one) => writer.write(one));
      await waitFor('the writer to see the outage', () => writer.stats.outage, { timeoutMs: 5_000 });
      // The first batch may be in flight when the bound is reached; it is kept, the oldest after it go.
      await Promise.all(settled.slice(0, 10));
      expect(writer.stats.droppedResults).toBeGreaterThanOrEqual(15);
      expect(writer.stats.pending).toBeLessThanOrEqual(10);
    } finally {
      await cluster.start();
    }
    await writer.flush(10_000);
    const { rows } = await db.query<{ verifie_a: Date }>(
      'SELECT verifie_a FROM monitoring.statuts WHERE moniteur_id = $1 ORDER BY verifie_a',
      [monitor.id],
    );
    expect(rows.length + writer.stats.droppedResults).toBe(25);
    expect(rows.length).toBeLessThanOrEqual(10 + 1);
    // The newest survive.
    const stored = rows.map((row) => row.verifie_a.getTime());
    expect(stored.at(-1)).toBe(results.at(-1)!.checkedAt.getTime());
    const logged = lines.map((line) => JSON.parse(line) as { msg: string; dropped?: number });
    expect(logged.filter((line) => line.msg.startsWith('result queue full'))).toHaveLength(1);
    expect(logged.find((line) => line.msg.startsWith('database back'))?.dropped).toBe(writer.stats.droppedResults);

    // Counted in /metrics and /api/etat.
    const idle = new Scheduler(db, writer, silentLogger(), { maxParallelChecks: 1, maxChecksPerHost: 1, runCheck });
    const registry = new Registry();
    registerServiceMetrics(registry, {
      scheduler: idle,
      writer,
      events: { subscriberCount: 0 },
      deliveries: { stats: { delivered: 0, failed: 0, retry: 0, suppressed: 0 } },
    });
    const text = await registry.metrics();
    expect(text).toContain(`vigie_results_dropped_total ${writer.stats.droppedResults}\n`);
    expect(text).toContain('vigie_database_writes_down 0\n');
    const etat = etatShape(await createHealthCheck(db, idle, new Date(), writer)());
    expect(etat.resultats).toEqual({
      en_attente: 0,
      perdus: writer.stats.droppedResults,
      refuses: 0,
      ecartes: 0,
      ecritures_en_panne: false,
    });
  }, 30_000);

  it('on shutdown with the database away, gives up on waiting results after the grace and logs their count', async () => {
    const monitor = await createMonitor(db, { target: `${targetUrl}/ok`, intervalSeconds: 60 });
    const { logger, lines } = capturingLogger();
    const writer = new BatchWriter(db, logger, { maxDelayMs: 5, retryDelayMs: 100, maxRetryDelayMs: 200 });
    await cluster.stop();
    try {
      const settled = Promise.all(Array.from({ length: 5 }, () => writer.write(result(monitor.id, true))));
      await waitFor('the writer to see the outage', () => writer.stats.outage, { timeoutMs: 5_000 });
      const started = Date.now();
      await writer.flush(500);
      await settled;
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(writer.stats).toMatchObject({ pending: 0, droppedResults: 5 });
      const logged = lines.map((line) => JSON.parse(line) as { msg: string; dropped?: number });
      expect(logged.find((line) => line.msg.startsWith('check results never stored'))?.dropped).toBe(5);
    } finally {
      await cluster.start();
    }
  }, 30_000);
});
