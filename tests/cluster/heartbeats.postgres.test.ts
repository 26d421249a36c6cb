// Heartbeat deadlines with two Vigie processes on one PostgreSQL: pings reach either instance, each missed deadline
// is written once (by the instance holding the monitor's lease), and when an instance stops, the other takes its
// heartbeats over from the ping state in the database and still finds them late on time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { createMonitor } from '../helpers/factories.ts';
import { startServiceProcess, type ServiceProcess } from '../helpers/process.ts';

const HEARTBEAT_MS = 400;
const MONITORS = 20;
const INTERVAL_S = 3;

let testDb: TestDb;
let instances: ServiceProcess[] = [];
const monitors: Array<{ id: number; token: string }> = [];

beforeAll(async () => {
  testDb = await createTestDb();
  for (let i = 0; i < MONITORS; i++) {
    const monitor = await createMonitor(testDb.db, {
      name: `heartbeat ${i}`,
      kind: 'push',
      intervalSeconds: INTERVAL_S,
      graceSeconds: 0,
    });
    monitors.push({ id: monitor.id, token: monitor.pingToken! });
  }
  instances = await Promise.all(
    ['a', 'b'].map((name) =>
      startServiceProcess({
        DATABASE_URL: testDb.url!,
        INSTANCE: name,
        BATTEMENT_INSTANCE_MS: String(HEARTBEAT_MS),
        TIMEOUT_ARRET_SERVEUR_SECONDES: '5',
      }),
    ),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.stop('SIGKILL')));
  await testDb?.drop();
});

/** The DOWN results of missed deadlines written since `since` (ms), until before the next interval's. */
async function timeouts(since: number): Promise<Array<{ moniteur_id: number; verifie_a: Date }>> {
  const { rows } = await testDb.db.query<{ moniteur_id: number; verifie_a: Date }>(
    `SELECT moniteur_id, verifie_a FROM monitoring.statuts
      WHERE cause = 'timeout' AND verifie_a > $1 AND verifie_a < $2 ORDER BY moniteur_id, verifie_a`,
    [new Date(since), new Date(since + 2 * INTERVAL_S * 1000 - 1000)],
  );
  return rows;
}

/**
 * Pings every monitor, each through one instance or the other; answers when the last ping was answered (a deadline
 * missed before the pings may still be written while they are on their way).
 */
async function pingAll(): Promise<number> {
  await Promise.all(
    monitors.map(async ({ token }, i) => {
      const response = await fetch(`${instances[i % instances.length]!.url}/api/ping/${token}`);
      expect(response.status).toBe(200);
    }),
  );
  return Date.now();
}

/** The name of the instance holding a monitor's lease. */
async function holderOf(monitorId: number): Promise<string | undefined> {
  const { rows } = await testDb.db.query<{ nom: string }>(
    `SELECT i.nom FROM monitoring.baux l JOIN monitoring.instances i ON i.id = l.instance_id WHERE l.moniteur_id = $1`,
    [monitorId],
  );
  return rows[0]?.nom;
}

describe('heartbeats on two instances', () => {
  it('are held by both, and each missed deadline gives one DOWN result, on time', async () => {
    await expect
      .poll(
        async () => {
          const { rows } = await testDb.db.query<{ n: number }>(
            'SELECT count(DISTINCT instance_id)::int AS n FROM monitoring.baux',
          );
          return rows[0]!.n;
        },
        { timeout: 15_000, interval: 200 },
      )
      .toBe(2);
    const pingedAt = await pingAll();
    await expect
      .poll(async () => (await timeouts(pingedAt)).length, { timeout: 10_000, interval: 100 })
      .toBeGreaterThanOrEqual(MONITORS);
    // Until the next interval: one result per monitor, none written twice by the two instances.
    await new Promise((resolve) => setTimeout(resolve, pingedAt + 2 * INTERVAL_S * 1000 - 1000 - Date.now()));
    const missed = await timeouts(pingedAt);
    expect(missed).toHaveLength(MONITORS);
    expect(new Set(missed.map((row) => row.moniteur_id)).size).toBe(MONITORS);
    for (const row of missed) {
      const late = row.verifie_a.getTime() - (pingedAt + INTERVAL_S * 1000);
      expect(late).toBeGreaterThan(-1000);
      expect(late).toBeLessThan(1000);
    }
  });

  it('a /start served by the instance not holding the monitor has its run found late by the holder, within the grace', async () => {
    const monitor = await createMonitor(testDb.db, {
      name: 'hourly job',
      kind: 'push',
      intervalSeconds: 3600,
      graceSeconds: 1,
    });
    await expect.poll(() => holderOf(monitor.id), { timeout: 10_000, interval: 100 }).toMatch(/^[ab]$/);
    const holder = await holderOf(monitor.id);
    // The holder has looked at the new monitor by now and waits for its regular deadline, an hour off.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const other = instances[holder === 'a' ? 1 : 0]!;
    const startedAt = Date.now();
    expect((await fetch(`${other.url}/api/ping/${monitor.pingToken}/start`)).status).toBe(200);
    const resultsOf = async () =>
      (
        await testDb.db.query<{ verifie_a: Date; erreur: string }>(
          'SELECT verifie_a, erreur FROM monitoring.statuts WHERE moniteur_id = $1',
          [monitor.id],
        )
      ).rows;
    await expect.poll(resultsOf, { timeout: 5_000, interval: 100 }).toHaveLength(1);
    const rows = await resultsOf();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.erreur).toMatch(/not finished within the grace of 1 s/);
    // At the end of the grace, not at the regular deadline an hour off (slack for a loaded machine).
    expect(rows[0]!.verifie_a.getTime() - (startedAt + 1000)).toBeLessThan(3000);
  });

  it('a stopped instance’s heartbeats are taken over and still found late once per interval', async () => {
    const pingedAt = await pingAll();
    // b hands its leases over at once on SIGTERM; a reads their pings from the database.
    await instances.pop()!.stop('SIGTERM');
    await expect
      .poll(async () => (await timeouts(pingedAt)).length, { timeout: 10_000, interval: 100 })
      .toBeGreaterThanOrEqual(MONITORS);
    const missed = await timeouts(pingedAt);
    expect(missed).toHaveLength(MONITORS);
    expect(new Set(missed.map((row) => row.moniteur_id)).size).toBe(MONITORS);
    for (const row of missed) {
      expect(row.verifie_a.getTime() - (pingedAt + INTERVAL_S * 1000)).toBeLessThan(1500);
    }
  });
});
