// The event hub behind the subscriptions, driven directly: a burst larger than a subscriber's buffer reaches a
// subscriber that keeps reading, while one that never reads is ended as too slow and freed.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEventHub, SubscriberTooSlowError } from '../../server/events/index.ts';
import { insertResults } from '../../server/results/index.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { createMonitor, result } from '../helpers/factories.ts';
import { silentLogger } from '../helpers/logger.ts';

let testDb: TestDb;

beforeAll(async () => {
  testDb = await createTestDb();
}, 60_000);

afterAll(async () => {
  await testDb?.drop();
});

it('gives a reading subscriber a 50-row burst through a buffer of 5, and ends the one that never reads', async () => {
  const hub = await startEventHub(testDb.db, silentLogger(), { maxBufferedPerSubscriber: 5, safetyPollMs: 60_000 });
  try {
    const monitorId = (await createMonitor(testDb.db, { paused: true })).id;
    const reader = await hub.results({ monitorId });
    const stuck = await hub.results({});
    expect(hub.subscriberCount).toBe(2);
    const reading = (async () => {
      const ids: number[] = [];
      for await (const result of reader) {
        ids.push(result.id);
        if (ids.length === 50) break;
      }
      return ids;
    })();

    const now = Date.now();
    const rows = await insertResults(
      testDb.db,
      Array.from({ length: 50 }, (_, n) =>
        result(monitorId, true, { httpStatus: null, latencyMs: 5, checkedAt: new Date(now + n + 1), target: 'x' }),
      ),
      { returnRows: true },
    );
    expect(await reading).toEqual(rows.map((row) => Number(row.id)));
    await expect(stuck.next()).rejects.toBeInstanceOf(SubscriberTooSlowError);
    // The reader left (break), the stuck one was ended: nothing is held for either.
    expect(hub.subscriberCount).toBe(0);
  } finally {
    await hub.stop();
  }
}, 15_000);
