// Alerts reach channels through delivery rows: sent once, retried with back-off, marked failed, visible in the
// API; a crashed worker's claim is taken over; two workers never send the same row.
import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SUPPRESSION_POLICY, DeliveryWorker } from '../../server/alerts/index.ts';
import { claimDueDeliveries, insertResults } from '../../server/db/index.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import {
  createChannel,
  createMonitor,
  deleteEveryChannel,
  deleteEveryMonitor,
  raiseDownAlert,
  result,
  type ChannelInput,
} from '../helpers/factories.ts';
import { silentLogger } from '../helpers/logger.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/receivers.ts';

let app: TestApp;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  app = await startTestApp({
    NOTIFICATION_DELAI_GROUPAGE_MS: '0',
    NOTIFICATION_DELAI_RELANCE_MS: '100',
    NOTIFICATION_TENTATIVES_MAX: '3',
    TIMEOUT_NOTIFICATION_SECONDES: '2',
  });
});
afterEach(async () => {
  receiver.setStatus(200);
  receiver.requests.length = 0;
  await deleteEveryChannel(app.testDb.db);
  await deleteEveryMonitor(app.testDb.db);
});
afterAll(async () => {
  await app.close();
  await receiver.close();
});

/** The receiver's signed webhook, a default channel unless the test says otherwise. */
function createWebhookChannel(input: ChannelInput = {}) {
  return createChannel(app.testDb.db, {
    name: 'hook',
    kind: 'webhook',
    settings: { url: `${receiver.url}/hook` },
    secrets: { secret: 's3cret-value' },
    isDefault: true,
    ...input,
  });
}

/** A paused monitor (so the scheduler leaves it alone) that goes UP then DOWN: one DOWN alert. */
async function monitorGoingDown(name = 'api') {
  const monitor = await createMonitor(app.testDb.db, { name, paused: true });
  return { monitor, alertId: await raiseDownAlert(app.testDb.db, monitor.id) };
}

async function deliveriesOf(alertId: number) {
  return (await (await app.request(`/api/alertes/${alertId}/livraisons`)).json()).livraisons as Array<
    Record<string, any>
  >;
}

describe('deliveries', () => {
  it('sends a signed webhook with a stable idempotency key once, and records it as delivered', async () => {
    // Through the API: its answer is what must not show the secret.
    const response = await app.request('/api/canaux', {
      method: 'POST',
      body: JSON.stringify({
        nom: 'hook',
        type: 'webhook',
        parametres: { url: `${receiver.url}/hook` },
        secrets: { secret: 's3cret-value' },
        par_defaut: true,
      }),
    });
    expect(response.status).toBe(201);
    const channel = (await response.json()).canal as { id: number };
    expect(JSON.stringify(channel)).not.toContain('s3cret-value');
    const { monitor, alertId } = await monitorGoingDown('shop');
    await expect.poll(async () => (await deliveriesOf(alertId))[0]?.statut, { timeout: 5000 }).toBe('livree');

    expect(receiver.requests).toHaveLength(1);
    const request = receiver.requests[0]!;
    const key = `alert-${alertId}-channel-${channel.id}`;
    expect(request.headers['idempotency-key']).toBe(key);
    const body = JSON.parse(request.body);
    expect(body.idempotencyKey).toBe(key);
    expect(body.monitor).toMatchObject({ id: monitor.id, name: 'shop' });
    expect(body.alert).toMatchObject({ id: alertId, kind: 'DOWN', cause: 'HTTP 500' });
    const timestamp = request.headers['x-vigie-timestamp'] as string;
    const expected = createHmac('sha256', 's3cret-value').update(`${timestamp}.${request.body}`).digest('hex');
    expect(request.headers['x-vigie-signature']).toBe(`sha256=${expected}`);
    const [delivery] = await deliveriesOf(alertId);
    expect(delivery).toMatchObject({ canal_id: channel.id, tentatives: 1, derniere_erreur: null });
  });

  it('says when an alert was raised late: its check ran long before its result could be written', async () => {
    await createWebhookChannel();
    const late = await createMonitor(app.testDb.db, { name: 'late', paused: true });
    const onTime = await createMonitor(app.testDb.db, { name: 'on time', paused: true });
    const checkedAt = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000);
    // As the result queue writes them after a database outage: the checks ran 90 s and 80 s ago.
    await insertResults(app.testDb.db, [
      result(late.id, true, { checkedAt: checkedAt(90) }),
      result(late.id, false, { checkedAt: checkedAt(80) }),
      result(onTime.id, true, { checkedAt: checkedAt(2) }),
      result(onTime.id, false, { checkedAt: checkedAt(1) }),
    ]);
    await expect.poll(() => receiver.requests.length, { timeout: 5000 }).toBe(2);
    const bodies = receiver.requests.map((request) => JSON.parse(request.body));
    const bodyOf = (id: number) => bodies.find((body) => body.monitor.id === id);
    expect(bodyOf(late.id).alert.raisedLateSeconds).toBeGreaterThanOrEqual(80);
    expect(bodyOf(late.id).alert.raisedLateSeconds).toBeLessThan(90);
    expect(bodyOf(late.id).text).toMatch(
      /^Raised late: 1 min 2\d s after the check: its result waited for the database$/m,
    );
    expect(bodyOf(onTime.id).alert.raisedLateSeconds).toBeNull();
    expect(bodyOf(onTime.id).text).not.toContain('Raised late');
  });

  it('gives an UP the length of its outage, also for a monitor down from its very first check', async () => {
    await createWebhookChannel();
    const downFromStart = await createMonitor(app.testDb.db, { name: 'down from start', paused: true });
    const fellDown = await createMonitor(app.testDb.db, { name: 'fell down', paused: true });
    const checkedAt = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000);
    await insertResults(app.testDb.db, [
      result(downFromStart.id, false, { checkedAt: checkedAt(100) }),
      result(downFromStart.id, false, { checkedAt: checkedAt(70) }),
      result(downFromStart.id, true, { checkedAt: checkedAt(10) }),
      result(fellDown.id, true, { checkedAt: checkedAt(60) }),
      result(fellDown.id, false, { checkedAt: checkedAt(50) }),
      result(fellDown.id, true, { checkedAt: checkedAt(5) }),
    ]);
    const bodies = () => receiver.requests.map((request) => JSON.parse(request.body));
    // The monitor down from the start raised no DOWN (there was no UP to fall from): UP, DOWN, UP in all.
    await expect.poll(() => bodies().length, { timeout: 5000 }).toBe(3);
    const up = (id: number) => bodies().find((body) => body.monitor.id === id && body.event === 'UP');
    expect(up(downFromStart.id).alert.outageSeconds).toBe(90);
    expect(up(downFromStart.id).title).toContain('(down for 1 min 30 s)');
    expect(up(fellDown.id).alert.outageSeconds).toBe(45);
  });

  it('retries a failing receiver with back-off, then marks the delivery failed with the last error', async () => {
    receiver.setStatus(500);
    await createWebhookChannel();
    const { alertId } = await monitorGoingDown();
    await expect.poll(async () => (await deliveriesOf(alertId))[0]?.statut, { timeout: 10_000 }).toBe('echouee');
    const [delivery] = await deliveriesOf(alertId);
    expect(delivery).toMatchObject({ tentatives: 3 });
    expect(delivery!.derniere_erreur).toMatch(/500/);
    expect(receiver.requests).toHaveLength(3);
    const failed = (await (await app.request('/api/livraisons?statut=echouee')).json()).livraisons;
    expect(failed.map((item: { alerte_id: number }) => item.alerte_id)).toContain(alertId);
  });

  it('never sends to the cloud metadata address: the delivery fails at once, without retries, saying why', async () => {
    await createWebhookChannel({ settings: { url: 'http://169.254.169.254/latest/meta-data/' } });
    const { alertId } = await monitorGoingDown();
    await expect.poll(async () => (await deliveriesOf(alertId))[0]?.statut, { timeout: 5000 }).toBe('echouee');
    const [delivery] = await deliveriesOf(alertId);
    expect(delivery).toMatchObject({ tentatives: 1 });
    expect(delivery!.derniere_erreur).toBe(
      'webhook http://169.254.169.254/…: 169.254.169.254 is a link-local/cloud metadata address; Vigie does not send requests there',
    );
  });

  it('notifies only the channels attached to the monitor, plus the default ones', async () => {
    const attached = await createWebhookChannel({ name: 'attached', isDefault: false });
    await createWebhookChannel({ name: 'other', isDefault: false });
    const { monitor: first, alertId: firstAlert } = await (async () => {
      const monitor = await createMonitor(app.testDb.db, { paused: true });
      const put = await app.request(`/api/moniteurs/${monitor.id}/canaux`, {
        method: 'PUT',
        body: JSON.stringify({ canaux: [attached.id] }),
      });
      expect((await put.json()).canaux).toEqual([attached.id]);
      return { monitor, alertId: await raiseDownAlert(app.testDb.db, monitor.id) };
    })();
    expect(first.id).toBeGreaterThan(0);
    await expect
      .poll(async () => (await deliveriesOf(firstAlert)).map((d) => [d.canal_id, d.statut]))
      .toEqual([[attached.id, 'livree']]);
  });

  it('takes over the claim of a worker that died before sending, and sends it exactly once', async () => {
    await createWebhookChannel();
    // Stop the app's worker from seeing the alert first: claim it as a worker that then dies (short lease).
    const { alertId } = await monitorGoingDown();
    const claims = await claimDueDeliveries(app.testDb.db, {
      limit: 10,
      token: 'dead-worker',
      leaseMs: 1500,
      downGraceMs: 0,
    });
    if (claims.length === 0) {
      // The app's worker was faster: the row is delivered once all the same.
      await expect.poll(async () => (await deliveriesOf(alertId))[0]?.statut).toBe('livree');
    } else {
      expect((await deliveriesOf(alertId))[0]?.statut).toBe('en_attente');
      await expect.poll(async () => (await deliveriesOf(alertId))[0]?.statut, { timeout: 6000 }).toBe('livree');
    }
    expect(receiver.requests).toHaveLength(1);
  });

  it('never sends a row twice when several workers compete', async () => {
    await createWebhookChannel();
    const monitors = await Promise.all(
      Array.from({ length: 10 }, (_, i) => createMonitor(app.testDb.db, { name: `m${i}`, paused: true })),
    );
    const workers = Array.from(
      { length: 3 },
      () =>
        new DeliveryWorker(app.testDb.db, silentLogger(), {
          concurrency: 4,
          timeoutMs: 2000,
          maxAttempts: 3,
          backoffBaseMs: 100,
          downGraceMs: 0,
          pollMs: 50,
          publicUrl: 'http://vigie.test',
          policy: DEFAULT_SUPPRESSION_POLICY,
        }),
    );
    await Promise.all(workers.map((worker) => worker.start()));
    try {
      await insertResults(
        app.testDb.db,
        monitors.flatMap((monitor) => [result(monitor.id, true), result(monitor.id, false)]),
      );
      await expect.poll(() => receiver.requests.length, { timeout: 8000 }).toBe(10);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const keys = receiver.requests.map((request) => request.headers['idempotency-key']);
      expect(new Set(keys).size).toBe(10);
      expect(keys).toHaveLength(10);
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
    }
  });
});
