// Heartbeat deadlines survive a restart: they live in the database (the last ping, the last /start), not in the
// process. A deadline missed while the service was stopped is reported once, soon after it starts again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { createMonitor } from '../helpers/factories.ts';
import { startServiceProcess, type ServiceProcess } from '../helpers/process.ts';
import { waitFor } from '../helpers/wait.ts';

let testDb: TestDb;
let service: ServiceProcess | null = null;

beforeAll(async () => {
  testDb = await createTestDb();
}, 60_000);

afterAll(async () => {
  await service?.stop('SIGKILL');
  await testDb?.drop();
});

const start = () => startServiceProcess({ DATABASE_URL: testDb.url!, TIMEOUT_ARRET_SERVEUR_SECONDES: '5' });

async function resultsOf(
  monitorId: number,
): Promise<Array<{ cause: string | null; erreur: string | null; verifie_a: Date }>> {
  const { rows } = await testDb.db.query<{ cause: string | null; erreur: string | null; verifie_a: Date }>(
    'SELECT cause, erreur, verifie_a FROM monitoring.statuts WHERE moniteur_id = $1 ORDER BY verifie_a',
    [monitorId],
  );
  return rows;
}

describe('heartbeat deadlines across a restart', () => {
  it('a run started before a stop and not ended is found DOWN once after the start again, as is a missed ping', async () => {
    const started = await createMonitor(testDb.db, {
      name: 'backup',
      kind: 'push',
      intervalSeconds: 3600,
      graceSeconds: 1,
    });
    const pinged = await createMonitor(testDb.db, {
      name: 'every 2 s',
      kind: 'push',
      intervalSeconds: 2,
      graceSeconds: 0,
    });
    service = await start();
    expect((await fetch(`${service.url}/api/ping/${started.pingToken}/start`)).status).toBe(200);
    expect((await fetch(`${service.url}/api/ping/${pinged.pingToken}`)).status).toBe(200);
    await service.stop('SIGTERM');
    service = null;
    // Both deadlines pass while no instance runs.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await resultsOf(started.id)).toEqual([]);
    const restartedAt = Date.now();
    service = await start();
    const [run] = await waitFor('the run found late', async () => {
      const rows = await resultsOf(started.id);
      return rows.length > 0 && rows;
    });
    expect(run).toMatchObject({ cause: 'timeout' });
    expect(run!.erreur).toMatch(/not finished within the grace of 1 s/);
    expect(run!.verifie_a.getTime() - restartedAt).toBeLessThan(5_000);
    // Since the restart only: a first start slower than the 2 s interval (a loaded machine) rightly found "no ping
    // received" before the test's ping came.
    const missedSinceRestart = async () =>
      (await resultsOf(pinged.id)).filter((row) => row.cause === 'timeout' && row.verifie_a.getTime() >= restartedAt);
    const missed = await waitFor('the missed ping', async () => {
      const rows = await missedSinceRestart();
      return rows.length > 0 && rows;
    });
    expect(missed[0]!.erreur).toMatch(/^no ping since /);
    // Reported once per expected run: the hourly job not again, the 2 s one at most once per interval.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await resultsOf(started.id)).toHaveLength(1);
    expect((await missedSinceRestart()).length).toBeLessThanOrEqual(2);
  });
});
