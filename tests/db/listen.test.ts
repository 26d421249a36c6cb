// The LISTEN side of the database layer: delivery, unsubscribe, and recovery after the connection is killed.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDb, testDbKind, type TestDb } from '../helpers/db.ts';

let testDb: TestDb;
beforeAll(async () => {
  testDb = await createTestDb();
});
afterAll(async () => {
  await testDb.drop();
});

it('delivers NOTIFY payloads to every handler of a channel until it unsubscribes', async () => {
  const first: string[] = [];
  const second: string[] = [];
  const stopFirst = await testDb.db.listen('vigie_test', (payload) => first.push(payload));
  const stopSecond = await testDb.db.listen('vigie_test', (payload) => second.push(payload));
  await testDb.db.query(`SELECT pg_notify('vigie_test', 'one')`);
  await expect.poll(() => [first, second]).toEqual([['one'], ['one']]);
  await stopFirst();
  await testDb.db.query(`SELECT pg_notify('vigie_test', 'two')`);
  await expect.poll(() => second).toEqual(['one', 'two']);
  expect(first).toEqual(['one']);
  await stopSecond();
});

// The embedded database runs in-process: it has no LISTEN connection that could be lost.
if (testDbKind === 'postgres')
  it('re-listens and reports the reconnect after the LISTEN connection is killed', async () => {
    const received: string[] = [];
    let reconnects = 0;
    const stopReconnect = testDb.db.onListenReconnect(() => reconnects++);
    const stop = await testDb.db.listen('vigie_test_kill', (payload) => received.push(payload));
    await testDb.db.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE application_name = 'vigie-listen' AND datname = current_database()`,
    );
    await expect.poll(() => reconnects, { timeout: 5000 }).toBe(1);
    await testDb.db.query(`SELECT pg_notify('vigie_test_kill', 'after')`);
    await expect.poll(() => received).toEqual(['after']);
    await stop();
    stopReconnect();
  });
