// The delivery log: deliveries of one channel or alert, followed live (deliveryUpdated) from queued through
// retrying to failed, and "retry now" (GraphQL retryDelivery, REST POST /api/livraisons/:id/relancer) sending a
// failed one again; bad input is a clear 4xx.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import {
  createChannel,
  createMonitor,
  deleteEveryChannel,
  deleteEveryMonitor,
  raiseDownAlert,
} from '../helpers/factories.ts';
import { collect, startGraphQLApp, type Collected, type GraphQLTestApp } from '../helpers/graphql.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/receivers.ts';

const DELIVERY_FIELDS = 'id alertId channelId status attempts lastError nextAttemptAt deliveredAt';
const LIVE = `subscription ($channelId: ID, $alertId: ID, $monitorId: ID) {
  deliveryUpdated(channelId: $channelId, alertId: $alertId, monitorId: $monitorId) { ${DELIVERY_FIELDS} }
}`;

let app: GraphQLTestApp;
let receiver: WebhookReceiver;
let client: Client;
const open: Collected[] = [];

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  app = await startGraphQLApp({
    env: {
      NOTIFICATION_DELAI_GROUPAGE_MS: '0',
      NOTIFICATION_DELAI_RELANCE_MS: '100',
      NOTIFICATION_TENTATIVES_MAX: '2',
      TIMEOUT_NOTIFICATION_SECONDES: '2',
    },
  });
  client = app.wsClient();
});
afterEach(async () => {
  for (const collected of open.splice(0)) collected.dispose();
  await expect.poll(() => app.events.subscriberCount, { timeout: 5000 }).toBe(0);
  receiver.setStatus(200);
  receiver.requests.length = 0;
  await deleteEveryChannel(app.testDb.db);
  await deleteEveryMonitor(app.testDb.db);
});
afterAll(async () => {
  await app?.close();
  await receiver?.close();
});

function hook(name: string, isDefault = false) {
  return createChannel(app.testDb.db, {
    name,
    kind: 'webhook',
    settings: { url: `${receiver.url}/${name}` },
    isDefault,
  });
}

async function subscribe(variables: Record<string, unknown>, count: number): Promise<Collected> {
  const collected = collect(client, LIVE, variables);
  open.push(collected);
  await expect.poll(() => app.events.subscriberCount, { timeout: 5000 }).toBe(count);
  return collected;
}

const statesOf = (collected: Collected) =>
  collected.events.map((event) => {
    const delivery = event.deliveryUpdated;
    if (delivery.status === 'PENDING') return delivery.lastError ? 'RETRYING' : 'PENDING';
    return delivery.status;
  });

describe('deliveryUpdated and retryDelivery', () => {
  it('follows a delivery of one channel live: queued, retrying, failed, then sent again by "retry now"', async () => {
    const failing = await hook('failing', true);
    const other = await hook('other');
    const monitor = await createMonitor(app.testDb.db, { name: 'shop', paused: true });
    const ofChannel = await subscribe({ channelId: String(failing.id) }, 1);
    const ofOther = await subscribe({ channelId: String(other.id) }, 2);
    const ofMonitor = await subscribe({ monitorId: String(monitor.id) }, 3);
    receiver.setStatus(500);

    const alertId = await raiseDownAlert(app.testDb.db, monitor.id);
    await expect.poll(() => statesOf(ofChannel).at(-1), { timeout: 10_000 }).toBe('FAILED');
    const states = statesOf(ofChannel);
    expect(states[0]).toBe('PENDING');
    expect(states).toContain('RETRYING');
    const failed = ofChannel.events.at(-1).deliveryUpdated;
    expect(failed).toMatchObject({ alertId: String(alertId), channelId: String(failing.id), attempts: 2 });
    expect(failed.lastError).toMatch(/500/);
    expect(failed.nextAttemptAt).toBeNull();
    expect(receiver.requests).toHaveLength(2);
    expect(statesOf(ofMonitor).at(-1)).toBe('FAILED');

    // The log reads the same: per channel and per alert.
    const log = await app.gql(
      `query ($channelId: ID, $alertId: ID) {
        byChannel: deliveries(channelId: $channelId) { id status alert { id kind monitor { name } } }
        byAlert: deliveries(alertId: $alertId) { id channelId }
      }`,
      { channelId: String(failing.id), alertId: String(alertId) },
    );
    expect(log.errors).toBeUndefined();
    expect(log.data.byChannel).toEqual([
      { id: failed.id, status: 'FAILED', alert: { id: String(alertId), kind: 'DOWN', monitor: { name: 'shop' } } },
    ]);
    expect(log.data.byAlert).toEqual([{ id: failed.id, channelId: String(failing.id) }]);

    receiver.setStatus(200);
    const retried = await app.gql(`mutation ($id: ID!) { retryDelivery(id: $id) { ${DELIVERY_FIELDS} } }`, {
      id: failed.id,
    });
    expect(retried.errors).toBeUndefined();
    expect(retried.data.retryDelivery).toMatchObject({ id: failed.id, status: 'PENDING', attempts: 2 });
    await expect.poll(() => statesOf(ofChannel).at(-1), { timeout: 5000 }).toBe('DELIVERED');
    expect(ofChannel.events.at(-1).deliveryUpdated).toMatchObject({ attempts: 3, lastError: null });
    expect(receiver.requests).toHaveLength(3);
    expect(receiver.requests[2]!.headers['idempotency-key']).toBe(`alert-${alertId}-channel-${failing.id}`);
    // Filters hold: the other channel heard of nothing, and nothing came with an error.
    expect(ofOther.events).toEqual([]);
    for (const collected of open) expect(collected.errors).toEqual([]);

    // Delivered: nothing to retry, said as a conflict.
    const again = await app.gql('mutation ($id: ID!) { retryDelivery(id: $id) { id } }', { id: failed.id });
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(again.errors?.[0]?.message).toMatch(/delivered already/);
  });

  it('follows one alert’s deliveries only (the Alerts page’s log): alertId filters the live changes and the log', async () => {
    await hook('everyone', true);
    const shop = await createMonitor(app.testDb.db, { name: 'shop', paused: true });
    const blog = await createMonitor(app.testDb.db, { name: 'blog', paused: true });
    receiver.setStatus(500);
    const shopAlert = String(await raiseDownAlert(app.testDb.db, shop.id));
    const blogAlert = String(await raiseDownAlert(app.testDb.db, blog.id));
    const failedOf = async (alertId: string) =>
      (await app.gql('query ($alertId: ID) { deliveries(alertId: $alertId) { id status } }', { alertId })).data
        .deliveries as Array<{ id: string; status: string }>;
    await expect.poll(async () => (await failedOf(shopAlert))[0]?.status, { timeout: 10_000 }).toBe('FAILED');
    await expect.poll(async () => (await failedOf(blogAlert))[0]?.status, { timeout: 10_000 }).toBe('FAILED');

    const ofShopAlert = await subscribe({ alertId: shopAlert }, 1);
    receiver.setStatus(200);
    for (const alertId of [blogAlert, shopAlert]) {
      const [failed] = await failedOf(alertId);
      const retried = await app.gql('mutation ($id: ID!) { retryDelivery(id: $id) { id } }', { id: failed!.id });
      expect(retried.errors).toBeUndefined();
    }
    await expect.poll(async () => (await failedOf(blogAlert))[0]?.status, { timeout: 5000 }).toBe('DELIVERED');
    await expect.poll(() => statesOf(ofShopAlert).at(-1), { timeout: 5000 }).toBe('DELIVERED');
    // The blog's alert was retried and sent first: none of its changes reached the shop alert's subscription.
    expect(ofShopAlert.events.map((event) => event.deliveryUpdated.alertId)).toEqual(
      ofShopAlert.events.map(() => shopAlert),
    );
    expect(statesOf(ofShopAlert)[0]).toBe('RETRYING');
    expect(ofShopAlert.errors).toEqual([]);
  });

  it('refuses bad ids and unknown deliveries with clear errors', async () => {
    const bad = await app.gql('mutation { retryDelivery(id: "abc") { id } }');
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const missing = await app.gql('mutation { retryDelivery(id: "999999") { id } }');
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const page = await app.gql('{ deliveries(first: 0) { id } }');
    expect(page.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const filter = await app.gql('{ deliveries(channelId: "x") { id } }');
    expect(filter.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'channelId' });
    const live = collect(client, LIVE, { alertId: 'x' });
    open.push(live);
    await expect.poll(() => live.errors.length, { timeout: 5000 }).toBeGreaterThan(0);
    expect(live.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'alertId' } });
  });
});

describe('REST: /api/livraisons', () => {
  const post = (path: string) => app.request(path, { method: 'POST' });

  it('lists a channel’s deliveries and sends a failed one again (relancer)', async () => {
    const failing = await hook('rest-failing', true);
    await hook('rest-other', true);
    const monitor = await createMonitor(app.testDb.db, { name: 'api', paused: true });
    receiver.setStatus(503);
    await raiseDownAlert(app.testDb.db, monitor.id);
    const ofChannel = async () =>
      (await (await app.request(`/api/livraisons?canal=${failing.id}`)).json()).livraisons as Array<
        Record<string, any>
      >;
    await expect.poll(async () => (await ofChannel())[0]?.statut, { timeout: 10_000 }).toBe('echouee');
    const [failed] = await ofChannel();
    expect(await ofChannel()).toHaveLength(1);
    expect(failed).toMatchObject({ canal_id: failing.id, tentatives: 2, prochaine_tentative_a: null });

    receiver.setStatus(200);
    const response = await post(`/api/livraisons/${failed!.id}/relancer`);
    expect(response.status).toBe(200);
    expect((await response.json()).livraison).toMatchObject({ id: failed!.id, statut: 'en_attente', tentatives: 2 });
    await expect.poll(async () => (await ofChannel())[0]?.statut, { timeout: 5000 }).toBe('livree');

    const conflict = await post(`/api/livraisons/${failed!.id}/relancer`);
    expect(conflict.status).toBe(409);
    expect((await conflict.json()).erreur).toMatch(/delivered already/);
  });

  it('answers bad input with a 4xx naming the parameter', async () => {
    const badId = await post('/api/livraisons/abc/relancer');
    expect(badId.status).toBe(400);
    expect((await badId.json()).erreur).toMatch(/^id: /);
    const missing = await post('/api/livraisons/999999/relancer');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ erreur: expect.stringContaining('999999') });
    const badChannel = await app.request('/api/livraisons?canal=x');
    expect(badChannel.status).toBe(400);
    expect((await badChannel.json()).erreur).toMatch(/^canal: /);
  });
});
