// SIGTERM while the results table is locked by another session: the result writes wait with no timeout (which
// /api/etat reports after 10 s), so at the shutdown deadline the service stops waiting, counts and logs the
// results it could not store, and exits 0 instead of hanging until its last-resort exit. On a private cluster:
// the test locks a table of the server.
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type PrivateCluster, startPrivateCluster } from '../helpers/private-cluster.ts';
import { startServiceProcess } from '../helpers/process.ts';
import { startHttpTarget, type HttpTarget } from '../helpers/targets.ts';

let cluster: PrivateCluster;
let target: HttpTarget;

beforeAll(async () => {
  target = await startHttpTarget();
  cluster = await startPrivateCluster();
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query('CREATE DATABASE vigie');
  await admin.end();
});

afterAll(async () => {
  await cluster?.destroy();
  await target?.close();
});

async function storedResults(client: pg.Client): Promise<number> {
  return (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM monitoring.statuts')).rows[0]!.n;
}

it('exits 0 at the deadline with the results it could not store counted', { timeout: 60_000 }, async () => {
  const service = await startServiceProcess({
    DATABASE_URL: cluster.urlFor('vigie'),
    TIMEOUT_ARRET_SERVEUR_SECONDES: '2',
  });
  const locker = new pg.Client({ connectionString: cluster.urlFor('vigie') });
  await locker.connect();
  try {
    for (const name of ['one', 'two', 'three']) {
      const created = await fetch(`${service.url}/api/moniteurs`, {
        method: 'POST',
        body: JSON.stringify({ nom: name, type: 'http', cible: `${target.url}/${name}`, intervalle_secondes: 1 }),
      });
      expect(created.status).toBe(201);
    }
    await expect.poll(() => storedResults(locker), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);

    await locker.query('BEGIN');
    await locker.query('LOCK TABLE monitoring.statuts IN ACCESS EXCLUSIVE MODE');
    // Checks go on behind the lock: wait until a batch is stuck and more results wait behind it.
    const seen = target.requests;
    await expect.poll(() => target.requests - seen, { timeout: 10_000 }).toBeGreaterThanOrEqual(6);
    // The database answers its ping, but the results wait: /api/etat says so once the write has waited 10 s.
    const etat = async () => (await fetch(`${service.url}/api/etat`)).json();
    await expect.poll(etat, { timeout: 20_000, interval: 1000 }).toMatchObject({
      statut: 'degrade',
      base_de_donnees: {
        statut: 'lente',
        raison: expect.stringMatching(/^check results waiting \d+ s to be written/),
      },
    });

    const { code, ms } = await service.stop('SIGTERM');
    const logs = service.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(code, service.logs.join('\n')).toBe(0);
    expect(ms).toBeGreaterThanOrEqual(1900);
    // Deadline (2 s) + closing the database (1 s at most) + the 1 s linger, well before the 5 s last resort.
    expect(ms).toBeLessThan(4_800);
    const notStored = logs.find((line) => String(line.msg).includes('not stored at the shutdown deadline'));
    expect(notStored?.notStored).toBeGreaterThanOrEqual(1);
    expect(logs.find((line) => line.msg === 'stopped')).toBeDefined();
    expect(service.logs.join('\n')).not.toContain('shutdown did not complete');
  } finally {
    await locker.query('ROLLBACK').catch(() => undefined);
    await locker.end();
  }
});
