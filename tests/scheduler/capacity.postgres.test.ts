// The default WORKERS_MAX_PARALLELES serves the sizing the README promises, at a tenth of the time scale:
// 1,000 monitors every 6 s (for 60 s), a tenth of them on hosts that never answer and take their whole 1 s
// timeout (for 10 s): 100 × 1 s / 6 s ≈ 17 workers busy on average, plus the fast ones, without a missed check.
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../server/checks/index.ts';
import { loadConfig } from '../../server/config.ts';
import { BatchWriter, Scheduler } from '../../server/scheduler/index.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { createMonitor } from '../helpers/factories.ts';
import { silentLogger } from '../helpers/logger.ts';

const MONITORS = 1000;
const SLOW_MONITORS = 100;
/** The slow monitors are spread over this many hosts, as distinct sites would be. */
const SLOW_HOSTS = 25;
const INTERVAL_SECONDS = 6;

let testDb: TestDb;
const servers: http.Server[] = [];

async function serve(host: string, answer: boolean): Promise<string> {
  const server = http.createServer((_request, response) => {
    if (answer) response.end('OK');
    // Otherwise never answer: the check takes its whole timeout.
  });
  server.listen(0, host);
  await once(server, 'listening');
  servers.push(server);
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  testDb = await createTestDb();
});
afterAll(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all([testDb.drop(), ...servers.map((server) => new Promise((resolve) => server.close(resolve)))]);
});

describe('default capacity', () => {
  it('checks 1,000 monitors, a tenth of them timing out, without missing a slot', { timeout: 90_000 }, async () => {
    const config = loadConfig({});
    const fastUrl = await serve('127.0.0.3', true);
    const slowUrls = await Promise.all(Array.from({ length: SLOW_HOSTS }, (_, i) => serve(`127.0.1.${i + 1}`, false)));
    for (let i = 0; i < MONITORS; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) => {
          const n = i + j;
          const slow = n < SLOW_MONITORS;
          return createMonitor(testDb.db, {
            target: slow ? `${slowUrls[n % SLOW_HOSTS]}/${n}` : `${fastUrl}/${n}`,
            intervalSeconds: INTERVAL_SECONDS,
            timeoutSeconds: 1,
          });
        }),
      );
    }
    const writer = new BatchWriter(testDb.db, silentLogger(), {});
    const scheduler = new Scheduler(testDb.db, writer, silentLogger(), {
      maxParallelChecks: config.maxParallelChecks,
      maxChecksPerHost: config.maxChecksPerHost,
      runCheck,
      startSpreadMs: INTERVAL_SECONDS * 1000,
    });
    await scheduler.start();
    try {
      // The first slots are spread over one interval; then two more rounds.
      await new Promise((resolve) => setTimeout(resolve, 3 * INTERVAL_SECONDS * 1000));
      const stats = scheduler.stats;
      expect(stats.checksStarted).toBeGreaterThanOrEqual(2 * MONITORS);
      expect(stats.checksDown).toBeGreaterThanOrEqual(2 * SLOW_MONITORS);
      expect(stats.missedChecks).toBe(0);
      expect(scheduler.saturation().saturated).toBe(false);
    } finally {
      await scheduler.stop();
    }
  });
});
