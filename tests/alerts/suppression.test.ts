// What is not paged one by one: maintenance windows, flapping monitors, mass failures; and the notices that are
// raised instead (FLAPPING, CHECKER_DEGRADED), plus certificate-expiry alerts and reminders.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sendDueReminders } from '../../server/alerts/index.ts';
import { insertResults } from '../../server/db/index.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import {
  createChannel,
  createMaintenanceWindow,
  createMonitor,
  deleteEveryMaintenanceWindow,
  deleteEveryMonitor,
  monitorService,
  result,
} from '../helpers/factories.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/receivers.ts';
import { closedPort, startHttpTarget } from '../helpers/targets.ts';

let app: TestApp;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  app = await startTestApp({
    NOTIFICATION_DELAI_GROUPAGE_MS: '1500',
    BASCULEMENTS_MAX: '3',
    BASCULEMENTS_FENETRE_MINUTES: '10',
  });
  await createChannel(app.testDb.db, {
    name: 'hook',
    kind: 'webhook',
    settings: { url: `${receiver.url}/hook` },
    isDefault: true,
  });
});
afterEach(async () => {
  receiver.requests.length = 0;
  await deleteEveryMaintenanceWindow(app.testDb.db);
  await deleteEveryMonitor(app.testDb.db);
  // Raw SQL: no request removes an alert, and a checker-degraded one belongs to no monitor.
  await app.testDb.db.query('DELETE FROM monitoring.alertes');
});
afterAll(async () => {
  await app.close();
  await receiver.close();
});

async function deliveries() {
  const { rows } = await app.testDb.db.query<{ type: string; statut: string; raison_suppression: string | null }>(
    `SELECT a.type, l.statut, l.raison_suppression FROM monitoring.livraisons l
       JOIN monitoring.alertes a ON a.id = l.alerte_id ORDER BY a.id`,
  );
  return rows;
}

const settled = async () => {
  await expect
    .poll(async () => (await deliveries()).filter((row) => row.statut === 'en_attente').length, { timeout: 8000 })
    .toBe(0);
};

describe('suppression', () => {
  it('stores results but notifies nothing during a maintenance window; the monitor shows MAINTENANCE', async () => {
    // Resumed, the monitor is checked at once: against a target that never answers, so that no result of the
    // scheduler's (newer than the test's) can come first and leave the state to it.
    const target = await startHttpTarget();
    try {
      const monitor = await createMonitor(app.testDb.db, { paused: true, target: `${target.url}/hang` });
      const now = Date.now();
      await createMaintenanceWindow(app.testDb.db, {
        name: 'deploy',
        monitorId: monitor.id,
        startsAt: new Date(now - 60_000).toISOString(),
        endsAt: new Date(now + 3_600_000).toISOString(),
      });
      await monitorService(app.testDb.db).patch(monitor.id, {
        paused: false,
        intervalSeconds: 3600,
        timeoutSeconds: 60,
      });
      expect((await (await app.request(`/api/moniteurs/${monitor.id}`)).json()).moniteur.etat).toBe('MAINTENANCE');
      await insertResults(app.testDb.db, [
        result(monitor.id, true, { checkedAt: new Date(now - 2000) }),
        result(monitor.id, false, { checkedAt: new Date(now - 1000) }),
      ]);
      await settled();
      expect(await deliveries()).toEqual([{ type: 'DOWN', statut: 'supprimee', raison_suppression: 'maintenance' }]);
      expect(receiver.requests).toHaveLength(0);
    } finally {
      await target.close();
    }
  });

  it('a window by tag suppresses the DOWN alert of a tagged monitor, and not that of an untagged one', async () => {
    const target = await startHttpTarget();
    try {
      const tagged = await createMonitor(app.testDb.db, {
        name: 'db',
        tags: ['database'],
        paused: true,
        target: `${target.url}/hang`,
      });
      const untagged = await createMonitor(app.testDb.db, {
        name: 'web',
        tags: ['frontend'],
        paused: true,
        target: `${target.url}/hang`,
      });
      const now = Date.now();
      const window = await app.request('/api/maintenances', {
        method: 'POST',
        body: JSON.stringify({
          nom: 'DB upgrade',
          etiquettes: ['database'],
          debut: new Date(now - 60_000).toISOString(),
          fin: new Date(now + 3_600_000).toISOString(),
        }),
      });
      expect(window.status).toBe(201);
      for (const monitor of [tagged, untagged]) {
        await monitorService(app.testDb.db).patch(monitor.id, {
          paused: false,
          intervalSeconds: 3600,
          timeoutSeconds: 60,
        });
      }
      const etat = async (id: number) => (await (await app.request(`/api/moniteurs/${id}`)).json()).moniteur.etat;
      expect(await etat(tagged.id)).toBe('MAINTENANCE');
      expect(await etat(untagged.id)).not.toBe('MAINTENANCE');
      await insertResults(
        app.testDb.db,
        [tagged, untagged].flatMap((monitor) => [
          result(monitor.id, true, { checkedAt: new Date(now - 2000) }),
          result(monitor.id, false, { checkedAt: new Date(now - 1000) }),
        ]),
      );
      await settled();
      const { rows } = await app.testDb.db.query<{ moniteur_id: number; statut: string; raison: string | null }>(
        `SELECT a.moniteur_id, l.statut, l.raison_suppression AS raison FROM monitoring.livraisons l
           JOIN monitoring.alertes a ON a.id = l.alerte_id WHERE a.type = 'DOWN' ORDER BY a.moniteur_id`,
      );
      expect(rows).toEqual([
        { moniteur_id: tagged.id, statut: 'supprimee', raison: 'maintenance' },
        { moniteur_id: untagged.id, statut: 'livree', raison: null },
      ]);
      expect(receiver.requests).toHaveLength(1);
    } finally {
      await target.close();
    }
  });

  it('refuses a malformed maintenance window with the field named', async () => {
    const response = await app.request('/api/maintenances', {
      method: 'POST',
      body: JSON.stringify({ nom: 'nightly', cron: 'every night', duree_minutes: 30 }),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).erreur).toMatch(/^cron: is not a valid cron expression/);
  });

  it('reports a flapping monitor once instead of paging every change', async () => {
    const monitor = await createMonitor(app.testDb.db, { paused: true });
    const at = Date.now() - 60_000;
    await insertResults(
      app.testDb.db,
      [true, false, true, false, true, false].map((isUp, i) =>
        result(monitor.id, isUp, { checkedAt: new Date(at + i * 1000) }),
      ),
    );
    await settled();
    const rows = await deliveries();
    expect(rows.filter((row) => row.statut === 'livree').map((row) => row.type)).toEqual([
      'DOWN',
      'UP',
      'DOWN',
      'FLAPPING',
    ]);
    expect(rows.filter((row) => row.statut === 'supprimee').map((row) => row.raison_suppression)).toEqual([
      'flapping',
      'flapping',
    ]);
  });

  it('sends one "checker degraded" notice when nearly every monitor fails at once', async () => {
    const port = await closedPort();
    const monitors = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        createMonitor(app.testDb.db, {
          name: `site ${i}`,
          paused: true,
          intervalSeconds: 3600,
          target: `http://127.0.0.1:${port}/`,
        }),
      ),
    );
    await insertResults(
      app.testDb.db,
      monitors.map((monitor) => result(monitor.id, true, { checkedAt: new Date(Date.now() - 5000) })),
    );
    // Unpaused together, they are all checked at once, and all refused. Raw SQL: one statement resumes them all.
    await app.testDb.db.query('UPDATE monitoring.moniteurs SET en_pause = false');
    await expect.poll(async () => (await deliveries()).length, { timeout: 8000 }).toBe(5);
    await settled();
    const rows = await deliveries();
    expect(rows.filter((row) => row.statut === 'livree').map((row) => row.type)).toEqual(['CHECKER_DEGRADED']);
    expect(
      rows.filter((row) => row.type === 'DOWN').every((row) => row.raison_suppression === 'checker_degraded'),
    ).toBe(true);
    expect(receiver.requests).toHaveLength(1);
    expect(JSON.parse(receiver.requests[0]!.body).event).toBe('CHECKER_DEGRADED');
  });

  it('raises one CERTIFICATE alert a day when the certificate expires soon', async () => {
    const monitor = await createMonitor(app.testDb.db, { paused: true, certificateAlertDays: 14 });
    const at = Date.now() - 10_000;
    await insertResults(app.testDb.db, [
      result(monitor.id, true, { certificateDaysLeft: 30, checkedAt: new Date(at) }),
      result(monitor.id, true, { certificateDaysLeft: 5, checkedAt: new Date(at + 1000) }),
      result(monitor.id, true, { certificateDaysLeft: 5, checkedAt: new Date(at + 2000) }),
    ]);
    await settled();
    const rows = await deliveries();
    expect(rows).toEqual([{ type: 'CERTIFICATE', statut: 'livree', raison_suppression: null }]);
    expect(JSON.parse(receiver.requests[0]!.body).alert.cause).toBe('certificate expires in 5 days');
  });

  it('reminds about a monitor still down after its reminder period, once per period', async () => {
    const monitor = await createMonitor(app.testDb.db, { paused: true, reminderMinutes: 1 });
    await insertResults(app.testDb.db, [
      result(monitor.id, true, { checkedAt: new Date(Date.now() - 300_000) }),
      result(monitor.id, false, { checkedAt: new Date(Date.now() - 240_000) }),
    ]);
    await monitorService(app.testDb.db).patch(monitor.id, { paused: false, intervalSeconds: 3600 });
    // The DOWN alert was written now (its row), but it happened 4 minutes ago: the reminder is due.
    await app.testDb.db.query(
      `UPDATE monitoring.alertes SET cree_a = now() - interval '4 minutes' WHERE moniteur_id = $1`,
      [monitor.id],
    );
    expect(await sendDueReminders(app.testDb.db)).toBe(1);
    expect(await sendDueReminders(app.testDb.db)).toBe(0);
  });
});
