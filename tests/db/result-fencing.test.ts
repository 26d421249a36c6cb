// Fencing of result writes by monitor lease: a result checked under a lease is stored only while the lease still
// has the token its check started with. A lease taken over (a new token) drops the old holder's late results,
// counted apart from those of deleted monitors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimLeases, type LeaseOwner, writeResults } from '../../server/db/index.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { createMonitor, registerInstance, silenceInstance, result } from '../helpers/factories.ts';

let testDb: TestDb;
beforeAll(async () => {
  testDb = await createTestDb();
});
afterAll(async () => {
  await testDb.drop();
});

const silence = (owner: LeaseOwner) => silenceInstance(testDb.db, owner);

async function storedCount(monitorId: number): Promise<number> {
  const { rows } = await testDb.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM monitoring.statuts WHERE moniteur_id = $1',
    [monitorId],
  );
  return rows[0]!.n;
}

describe('result writes fenced by monitor lease', () => {
  it('stores a result under the current token, drops one under a token taken over, and counts it', async () => {
    const monitor = await createMonitor(testDb.db);
    const stalled = await registerInstance(testDb.db, 'stalled');
    const [first] = await claimLeases(testDb.db, stalled, 1);
    expect(first?.monitorId).toBe(monitor.id);
    expect(await writeResults(testDb.db, [result(monitor.id, true, { leaseToken: first!.token })])).toEqual({
      written: 1,
      fenced: 0,
    });

    await silence(stalled);
    const taker = await registerInstance(testDb.db, 'taker');
    const [taken] = await claimLeases(testDb.db, taker, 1);
    expect(taken?.monitorId).toBe(monitor.id);
    expect(taken!.token).not.toBe(first!.token);

    // The stalled instance's late result, next to the new holder's and a result written under no lease.
    const written = await writeResults(testDb.db, [
      result(monitor.id, false, { leaseToken: first!.token }),
      result(monitor.id, true, { leaseToken: taken!.token }),
      result(monitor.id, true),
    ]);
    expect(written).toEqual({ written: 2, fenced: 1 });
    expect(await storedCount(monitor.id)).toBe(3);
    const { rows } = await testDb.db.query<{ est_disponible: boolean }>(
      'SELECT est_disponible FROM monitoring.statuts WHERE moniteur_id = $1',
      [monitor.id],
    );
    // The fenced DOWN never reached the state machine.
    expect(rows.every((row) => row.est_disponible)).toBe(true);
  });

  it('skips, without counting them as fenced, results whose lease went with a paused or deleted monitor', async () => {
    const paused = await createMonitor(testDb.db);
    const gone = await createMonitor(testDb.db);
    const owner = await registerInstance(testDb.db, 'pausing');
    const leases = await claimLeases(testDb.db, owner, 2);
    const tokenOf = (id: number) => leases.find((lease) => lease.monitorId === id)!.token;
    await testDb.db.query('UPDATE monitoring.moniteurs SET en_pause = true WHERE id = $1', [paused.id]);
    await testDb.db.query('DELETE FROM monitoring.moniteurs WHERE id = $1', [gone.id]);
    expect(
      await writeResults(testDb.db, [
        result(paused.id, true, { leaseToken: tokenOf(paused.id) }),
        result(gone.id, true, { leaseToken: tokenOf(gone.id) }),
        result(gone.id, true),
      ]),
    ).toEqual({ written: 0, fenced: 0 });
    expect(await storedCount(paused.id)).toBe(0);
  });
});
