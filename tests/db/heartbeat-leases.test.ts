// A heartbeat is evaluated in one location: its lease is the only lease of the monitor, taken over by another
// location only when every instance of the holder's location is gone, and its pings are recorded as that
// location's. Other monitors keep one lease per location.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimLeases, countLeases, type LeaseOwner, recordPings } from '../../server/db/index.ts';
import { ValidationError } from '../../server/errors.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { createMonitor, registerInstance, silenceInstance } from '../helpers/factories.ts';

let testDb: TestDb;
beforeAll(async () => {
  testDb = await createTestDb();
});
afterAll(async () => {
  await testDb.drop();
});

const silence = (owner: LeaseOwner) => silenceInstance(testDb.db, owner);

async function leasesOf(monitorId: number): Promise<Array<{ emplacement: string; instance_id: string }>> {
  const { rows } = await testDb.db.query<{ emplacement: string; instance_id: string }>(
    'SELECT emplacement, instance_id FROM monitoring.baux WHERE moniteur_id = $1 ORDER BY emplacement',
    [monitorId],
  );
  return rows;
}

const pingLocation = async (token: string) =>
  (await recordPings(testDb.db, [{ token, event: 'success', message: null, at: new Date() }]))[0]?.location;

describe('heartbeat leases across locations', () => {
  it('one location holds a heartbeat, every location an HTTP monitor; another takes it over once its location is gone', async () => {
    const heartbeat = await createMonitor(testDb.db, { name: 'backup', kind: 'push' });
    const site = await createMonitor(testDb.db, { name: 'site', kind: 'http', target: 'http://127.0.0.1:9/' });
    const a1 = await registerInstance(testDb.db, 'a1', 30_000, 'a');
    const b1 = await registerInstance(testDb.db, 'b1', 30_000, 'b');

    const byA = (await claimLeases(testDb.db, a1, 10)).map((lease) => lease.monitorId).sort();
    expect(byA).toEqual([heartbeat.id, site.id].sort());
    const byB = (await claimLeases(testDb.db, b1, 10)).map((lease) => lease.monitorId);
    expect(byB).toEqual([site.id]);
    // Location b does not count it among its monitors: it does not try to claim it at every heartbeat.
    expect(await countLeases(testDb.db, b1)).toMatchObject({ monitors: 1, held: 1 });
    expect(await leasesOf(heartbeat.id)).toEqual([{ emplacement: 'a', instance_id: a1.instanceId }]);
    // A ping served by any instance is recorded as location a's.
    expect(await pingLocation(heartbeat.pingToken!)).toBe('a');

    // a1 dies while another instance of a lives: a keeps it.
    const a2 = await registerInstance(testDb.db, 'a2', 30_000, 'a');
    await silence(a1);
    expect((await claimLeases(testDb.db, b1, 10)).map((lease) => lease.monitorId)).toEqual([]);
    expect((await claimLeases(testDb.db, a2, 10)).map((lease) => lease.monitorId).sort()).toEqual(
      [heartbeat.id, site.id].sort(),
    );
    // Location a gone whole: b takes the heartbeat over (and only b checks the HTTP monitor, as before).
    await silence(a2);
    expect((await claimLeases(testDb.db, b1, 10)).map((lease) => lease.monitorId)).toEqual([heartbeat.id]);
    expect(await leasesOf(heartbeat.id)).toEqual([{ emplacement: 'b', instance_id: b1.instanceId }]);
    expect(await pingLocation(heartbeat.pingToken!)).toBe('b');
  });

  it('the database refuses a second lease of a heartbeat, whatever the claimers do', async () => {
    const heartbeat = await createMonitor(testDb.db, { name: 'nightly', kind: 'push' });
    const c1 = await registerInstance(testDb.db, 'c1', 30_000, 'c');
    const d1 = await registerInstance(testDb.db, 'd1', 30_000, 'd');
    await Promise.all([claimLeases(testDb.db, c1, 100), claimLeases(testDb.db, d1, 100)]);
    expect(await leasesOf(heartbeat.id)).toHaveLength(1);
    await expect(
      testDb.db.query(
        `INSERT INTO monitoring.baux (moniteur_id, emplacement, instance_id, unique_emplacement) VALUES ($1, 'e', $2, true)`,
        [heartbeat.id, c1.instanceId],
      ),
    ).rejects.toThrow(/baux_unique_emplacement/);
    // No longer a heartbeat: its single lease goes, and every location may claim it as any other monitor.
    await testDb.db.query(`UPDATE monitoring.moniteurs SET type = 'tcp', cible = '127.0.0.1:9' WHERE id = $1`, [
      heartbeat.id,
    ]);
    expect(await leasesOf(heartbeat.id)).toEqual([]);
    await Promise.all([claimLeases(testDb.db, c1, 100), claimLeases(testDb.db, d1, 100)]);
    expect((await leasesOf(heartbeat.id)).map((lease) => lease.emplacement)).toEqual(['c', 'd']);
  });

  it('a heartbeat naming one location is evaluated there; several locations or a quorum are refused', async () => {
    const named = await createMonitor(testDb.db, { name: 'named', kind: 'push', locations: ['f'] });
    expect(await pingLocation(named.pingToken!)).toBe('f');
    await expect(createMonitor(testDb.db, { name: 'two', kind: 'push', locations: ['f', 'g'] })).rejects.toMatchObject({
      field: 'locations',
    });
    await expect(createMonitor(testDb.db, { name: 'quorum', kind: 'push', quorum: 2 })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });
});
