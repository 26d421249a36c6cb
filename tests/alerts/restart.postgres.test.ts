// A server killed in the middle of a send: after a restart the delivery is made again, with the same
// idempotency key (so the receiver can drop the repeat), and recorded as delivered once.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { insertResults } from '../../server/db/index.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { createChannel, createMonitor, result } from '../helpers/factories.ts';
import { startServiceProcess } from '../helpers/process.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/receivers.ts';

let testDb: TestDb;
let receiver: WebhookReceiver;

beforeAll(async () => {
  [testDb, receiver] = await Promise.all([createTestDb(), startWebhookReceiver({ delayMs: Infinity })]);
});
afterAll(async () => {
  await Promise.all([testDb.drop(), receiver.close()]);
});

// PostgreSQL only (*.postgres.test.ts): the embedded database is a folder that only one process opens at a time.
// The service runs as a child process and this test writes through its own connection, like another instance.
it('delivers after a restart when the server was killed while sending', { timeout: 60_000 }, async () => {
  const env = { DATABASE_URL: testDb.url!, NOTIFICATION_DELAI_GROUPAGE_MS: '0', TIMEOUT_NOTIFICATION_SECONDES: '1' };
  await createChannel(testDb.db, {
    name: 'hook',
    kind: 'webhook',
    settings: { url: `${receiver.url}/hook` },
    isDefault: true,
  });
  const first = await startServiceProcess(env);
  const monitor = await createMonitor(testDb.db, { name: 'killed', paused: true });
  await insertResults(testDb.db, [result(monitor.id, true), result(monitor.id, false)]);
  await expect.poll(() => receiver.requests.length, { timeout: 10_000 }).toBe(1);
  first.child.kill('SIGKILL');
  await new Promise((resolve) => first.child.once('exit', resolve));

  receiver.setDelay(0);
  const second = await startServiceProcess(env);
  try {
    await expect.poll(() => receiver.requests.length, { timeout: 15_000 }).toBe(2);
    const keys = receiver.requests.map((request) => request.headers['idempotency-key']);
    expect(keys[0]).toMatch(/^alert-\d+-channel-\d+$/);
    expect(keys[1]).toBe(keys[0]);
    await expect
      .poll(
        async () =>
          (
            await testDb.db.query<{ statut: string; tentatives: number }>(
              'SELECT statut, tentatives FROM monitoring.livraisons',
            )
          ).rows,
      )
      .toEqual([{ statut: 'livree', tentatives: 2 }]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(receiver.requests).toHaveLength(2);
  } finally {
    await second.stop();
  }
});
