// Dependencies: while a monitor's parent is DOWN, its own transitions are recorded but not notified ("parent
// down"), and the parent's alert lists the monitors depending on it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertResults } from '../../server/db/index.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createChannel, createMonitor, monitorService, result } from '../helpers/factories.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/receivers.ts';
import { startHttpTarget, type HttpTarget } from '../helpers/targets.ts';

let app: TestApp;
let receiver: WebhookReceiver;
let target: HttpTarget;

beforeAll(async () => {
  [receiver, target] = await Promise.all([startWebhookReceiver(), startHttpTarget()]);
  app = await startTestApp({ NOTIFICATION_DELAI_GROUPAGE_MS: '1000', TIMEOUT_ARRET_SERVEUR_SECONDES: '1' });
  await createChannel(app.testDb.db, {
    name: 'hook',
    kind: 'webhook',
    settings: { url: `${receiver.url}/hook` },
    isDefault: true,
  });
});
afterAll(async () => {
  // The target first: its hanging requests end, so the checks in flight do not hold the app's shutdown.
  await target.close();
  await app.close();
  await receiver.close();
});

async function deliveries() {
  const { rows } = await app.testDb.db.query<{ nom: string; type: string; statut: string; raison: string | null }>(
    `SELECT m.nom, a.type, l.statut, l.raison_suppression AS raison FROM monitoring.livraisons l
       JOIN monitoring.alertes a ON a.id = l.alerte_id JOIN monitoring.moniteurs m ON m.id = a.moniteur_id
      ORDER BY a.id`,
  );
  return rows;
}

/** Waits until no delivery is pending, then returns those not seen before. */
async function settledSince(seen: number) {
  await expect
    .poll(async () => (await deliveries()).filter((row) => row.statut === 'en_attente').length, { timeout: 8000 })
    .toBe(0);
  return (await deliveries())
    .slice(seen)
    .map(({ nom, type, statut, raison }) => `${nom} ${type} ${statut} ${raison ?? ''}`.trim());
}

describe('dependencies', () => {
  it("suppress the children's notifications while the parent is DOWN, and the parent's alert lists them", async () => {
    const db = app.testDb.db;
    // Active monitors (a paused monitor's state says nothing) of a target that never answers: the scheduler's
    // own results cannot come before the test's.
    const hang = { paused: true, target: `${target.url}/hang` };
    const router = await createMonitor(db, { ...hang, name: 'router' });
    const api = await createMonitor(db, { ...hang, name: 'api', dependsOn: router.id, group: 'site' });
    const front = await createMonitor(db, { ...hang, name: 'front', dependsOn: api.id, group: 'site' });
    for (const { id } of [router, api, front]) {
      await monitorService(db).patch(id, { paused: false, intervalSeconds: 3600, timeoutSeconds: 60 });
    }

    await insertResults(db, [result(router.id, true), result(api.id, true), result(front.id, true)]);
    await insertResults(db, [result(router.id, false), result(api.id, false), result(front.id, false)]);
    expect(await settledSince(0)).toEqual([
      'router DOWN livree',
      'api DOWN supprimee parent down',
      'front DOWN supprimee parent down',
    ]);
    expect(receiver.requests).toHaveLength(1);
    const down = JSON.parse(receiver.requests[0]!.body);
    expect(down).toMatchObject({ event: 'DOWN', monitor: { id: router.id } });
    expect(down.affectedMonitors).toEqual([
      { id: api.id, name: 'api', status: 'DOWN' },
      { id: front.id, name: 'front', status: 'DOWN' },
    ]);
    expect(down.text).toContain('Affected: api (DOWN), front (DOWN)');

    // The parent comes back first: the children's recoveries end outages no one was told of.
    await insertResults(db, [result(router.id, true), result(api.id, true), result(front.id, true)]);
    expect(await settledSince(3)).toEqual([
      'router UP livree',
      'api UP supprimee parent down',
      'front UP supprimee parent down',
    ]);

    // With the parent UP, a child's own outage is notified, listing what depends on it.
    receiver.requests.length = 0;
    await insertResults(db, [result(api.id, false)]);
    expect(await settledSince(6)).toEqual(['api DOWN livree']);
    const own = JSON.parse(receiver.requests[0]!.body);
    expect(own).toMatchObject({ event: 'DOWN', monitor: { id: api.id } });
    expect(own.affectedMonitors).toEqual([{ id: front.id, name: 'front', status: 'UP' }]);
  });
});
