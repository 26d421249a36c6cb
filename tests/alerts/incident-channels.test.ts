// Channels that open and close incidents get the same key for a DOWN and the UP that ends it, from the alerts in
// the database, and a new key for the next outage.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertResults } from '../../server/db/index.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createChannel, createMonitor, raiseDownAlert, result } from '../helpers/factories.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/receivers.ts';

let app: TestApp;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver({ status: 202 });
  app = await startTestApp({
    NOTIFICATION_DELAI_GROUPAGE_MS: '0',
    NOTIFICATION_DELAI_RELANCE_MS: '100',
    TIMEOUT_NOTIFICATION_SECONDES: '2',
  });
});
afterAll(async () => {
  await app.close();
  await receiver.close();
});

async function downAlerts(monitorId: number): Promise<number[]> {
  const { rows } = await app.testDb.db.query<{ id: string }>(
    `SELECT id FROM monitoring.alertes WHERE moniteur_id = $1 AND type = 'DOWN' ORDER BY id`,
    [monitorId],
  );
  return rows.map((row) => Number(row.id));
}

describe('incident keys', () => {
  it('make PagerDuty resolve, on UP, what the DOWN triggered; the next outage is a new incident', async () => {
    await createChannel(app.testDb.db, {
      name: 'on call',
      kind: 'pagerduty',
      settings: { apiUrl: receiver.url },
      secrets: { routingKey: 'pdroutingkey0123456789abcdefABCD' },
      isDefault: true,
    });
    const monitor = await createMonitor(app.testDb.db, { name: 'api', paused: true });
    const events = () => receiver.requests.map((request) => JSON.parse(request.body));

    await raiseDownAlert(app.testDb.db, monitor.id);
    await expect.poll(() => receiver.requests.length, { timeout: 5000 }).toBe(1);
    await insertResults(app.testDb.db, [result(monitor.id, true)]);
    await expect.poll(() => receiver.requests.length, { timeout: 5000 }).toBe(2);
    await insertResults(app.testDb.db, [result(monitor.id, false)]);
    await expect.poll(() => receiver.requests.length, { timeout: 5000 }).toBe(3);
    await insertResults(app.testDb.db, [result(monitor.id, true)]);
    await expect.poll(() => receiver.requests.length, { timeout: 5000 }).toBe(4);

    const [first, second] = await downAlerts(monitor.id);
    const firstKey = `vigie-monitor-${monitor.id}-down-${first}`;
    const secondKey = `vigie-monitor-${monitor.id}-down-${second}`;
    expect(events().map((event) => [event.event_action, event.dedup_key])).toEqual([
      ['trigger', firstKey],
      ['resolve', firstKey],
      ['trigger', secondKey],
      ['resolve', secondKey],
    ]);
    expect(receiver.requests.every((request) => request.path === '/v2/enqueue')).toBe(true);
  });

  it('make Opsgenie close, on UP, the alert the DOWN created, by its alias', async () => {
    const opsgenie = await startWebhookReceiver({ status: 202 });
    try {
      await createChannel(app.testDb.db, {
        name: 'opsgenie',
        kind: 'opsgenie',
        settings: { apiUrl: opsgenie.url },
        secrets: { apiKey: 'eb243592-faa2-4ba2-a551-1afdf565c889' },
        isDefault: true,
      });
      const monitor = await createMonitor(app.testDb.db, { name: 'shop', paused: true });
      await raiseDownAlert(app.testDb.db, monitor.id);
      await expect.poll(() => opsgenie.requests.length, { timeout: 5000 }).toBe(1);
      await insertResults(app.testDb.db, [result(monitor.id, true)]);
      await expect.poll(() => opsgenie.requests.length, { timeout: 5000 }).toBe(2);

      const [down] = await downAlerts(monitor.id);
      const key = `vigie-monitor-${monitor.id}-down-${down}`;
      expect(opsgenie.requests.map((request) => request.path)).toEqual([
        '/v2/alerts',
        `/v2/alerts/${key}/close?identifierType=alias`,
      ]);
      expect(JSON.parse(opsgenie.requests[0]!.body).alias).toBe(key);
    } finally {
      await opsgenie.close();
    }
  });
});
