// A takeover and a result write of the old holder at the same moment: the write locks the lease it was checked
// under, the takeover skips a locked lease (SKIP LOCKED) and takes it once the result is stored, so the new holder
// schedules from that result instead of checking the monitor a second time. Two connections: PostgreSQL only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimLeases, writeResults } from '../../server/db/index.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { createMonitor, registerInstance, result } from '../helpers/factories.ts';

let testDb: TestDb;
beforeAll(async () => {
  testDb = await createTestDb();
});
afterAll(async () => {
  await testDb.drop();
});

describe('fenced result write against a takeover', () => {
  it('a takeover skips the lease a result is being stored under, and takes it once stored', async () => {
    const monitor = await createMonitor(testDb.db);
    const stalled = await registerInstance(testDb.db, 'stalled');
    const [lease] = await claimLeases(testDb.db, stalled, 1);
    await testDb.db.query(`UPDATE monitoring.instances SET vu_a = now() - interval '1 hour' WHERE id = $1`, [
      stalled.instanceId,
    ]);
    const taker = await registerInstance(testDb.db, 'taker');

    const duringWrite = await testDb.db.transaction(async (tx) => {
      expect(await writeResults(tx, [result(monitor.id, true, { leaseToken: lease!.token })])).toEqual({
        written: 1,
        fenced: 0,
      });
      // Another connection, while the write is not committed yet.
      return claimLeases(testDb.db, taker, 1);
    });
    expect(duringWrite).toEqual([]);

    const [taken] = await claimLeases(testDb.db, taker, 1);
    expect(taken?.monitorId).toBe(monitor.id);
    expect(taken!.token).not.toBe(lease!.token);
    expect(await writeResults(testDb.db, [result(monitor.id, true, { leaseToken: lease!.token })])).toEqual({
      written: 0,
      fenced: 1,
    });
  });
});
