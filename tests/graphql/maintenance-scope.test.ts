// What a maintenance window covers: every monitor, some monitors (by id) and/or the monitors carrying some tags.
// Over GraphQL and REST, and everywhere a monitor is said to be in maintenance (its status, the MAINTENANCE filter,
// Monitor.maintenance, status pages, /metrics); deleting monitors, and emptying the data, keep windows coherent.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMonitor, deleteEveryMaintenanceWindow, deleteEveryMonitor } from '../helpers/factories.ts';
import { dataOf, errorOf, startGraphQLApp, type GraphQLTestApp } from '../helpers/graphql.ts';
import { scrape } from '../helpers/prometheus.ts';
import { call } from '../rest/support.ts';

let app: GraphQLTestApp;

beforeAll(async () => {
  app = await startGraphQLApp();
  // No checks: the monitors stay unpaused (a paused monitor shows PAUSED, never MAINTENANCE) with no result.
  await app.scheduler.stop();
}, 60_000);

afterEach(async () => {
  await deleteEveryMaintenanceWindow(app.testDb.db);
  await deleteEveryMonitor(app.testDb.db);
});

afterAll(async () => {
  await app?.close();
});

const OPEN_NOW = () => ({
  startsAt: new Date(Date.now() - 60_000).toISOString(),
  endsAt: new Date(Date.now() + 3_600_000).toISOString(),
});

const REST_OPEN_NOW = () => {
  const { startsAt, endsAt } = OPEN_NOW();
  return { debut: startsAt, fin: endsAt };
};

const WINDOW_FIELDS = 'id name monitorId monitorIds tags allMonitors';

async function createWindow(input: Record<string, unknown>) {
  return app.gql(
    `mutation ($input: MaintenanceWindowInput!) { createMaintenanceWindow(input: $input) { ${WINDOW_FIELDS} } }`,
    { input },
  );
}

async function statusOf(id: number): Promise<string> {
  return dataOf(await app.gql('query ($id: ID!) { monitor(id: $id) { status } }', { id: String(id) })).monitor.status;
}

async function threeMonitors() {
  const db = await createMonitor(app.testDb.db, { name: 'db', tags: ['database', 'eu'] });
  const web = await createMonitor(app.testDb.db, { name: 'web', tags: ['frontend'] });
  const plain = await createMonitor(app.testDb.db, { name: 'plain' });
  return { db, web, plain };
}

describe('maintenance window scopes', () => {
  it('a window by tag puts the tagged monitors in MAINTENANCE everywhere, and not the others', async () => {
    const { db, web, plain } = await threeMonitors();
    const created = dataOf(
      await createWindow({ name: 'DB upgrade', tags: ['database', ' database '], ...OPEN_NOW() }),
    ).createMaintenanceWindow;
    expect(created).toMatchObject({ monitorId: null, monitorIds: [], tags: ['database'], allMonitors: false });

    expect(await statusOf(db.id)).toBe('MAINTENANCE');
    expect(await statusOf(web.id)).toBe('PENDING');
    expect(await statusOf(plain.id)).toBe('PENDING');

    const inMaintenance = dataOf(await app.gql('{ monitors(status: MAINTENANCE) { name } }')).monitors;
    expect(inMaintenance).toEqual([{ name: 'db' }]);

    const maintenance = dataOf(await app.gql('{ monitors { name maintenance { activeWindow } } }')).monitors.map(
      (monitor: { name: string; maintenance: { activeWindow: string | null } }) => [
        monitor.name,
        monitor.maintenance.activeWindow,
      ],
    );
    expect(maintenance).toEqual([
      ['db', 'DB upgrade'],
      ['web', null],
      ['plain', null],
    ]);

    // REST and the public status page read the same status.
    expect((await call(app, 'GET', `/api/moniteurs/${db.id}`)).body.moniteur.etat).toBe('MAINTENANCE');
    expect((await call(app, 'GET', `/api/moniteurs/${web.id}`)).body.moniteur.etat).toBe('PENDING');
    const page = await call(app, 'POST', '/api/pages-statut', {
      slug: 'scopes',
      titre: 'Scopes',
      sections: [{ nom: 'All', moniteurs: [db.id, web.id] }],
    });
    expect(page.status).toBe(201);
    const shown = dataOf(
      await app.gql('{ publicStatusPage(slug: "scopes") { sections { monitors { name status } } } }'),
    ).publicStatusPage.sections[0].monitors;
    expect(shown).toEqual([
      { name: 'db', status: 'MAINTENANCE' },
      { name: 'web', status: 'PENDING' },
    ]);
    await call(app, 'DELETE', `/api/pages-statut/${page.body.page.id}`);

    // /metrics: the one-hot status.
    const metrics = await scrape(app.url);
    const statusIn = (id: number) =>
      metrics.samples('vigie_monitor_status', { monitor_id: String(id) }).find((sample) => Number(sample.value) === 1)
        ?.labels?.status;
    expect(statusIn(db.id)).toBe('MAINTENANCE');
    expect(statusIn(web.id)).toBe('PENDING');
  });

  it('a window for some monitors and a tag covers both; one with neither covers every monitor', async () => {
    const { db, web, plain } = await threeMonitors();
    const some = dataOf(
      await createWindow({ name: 'Some', monitorIds: [String(plain.id)], tags: ['frontend'], ...OPEN_NOW() }),
    ).createMaintenanceWindow;
    expect(some).toMatchObject({ monitorId: null, monitorIds: [String(plain.id)], tags: ['frontend'] });
    expect([await statusOf(db.id), await statusOf(web.id), await statusOf(plain.id)]).toEqual([
      'PENDING',
      'MAINTENANCE',
      'MAINTENANCE',
    ]);

    const all = dataOf(await createWindow({ name: 'All', ...OPEN_NOW() })).createMaintenanceWindow;
    expect(all).toMatchObject({ monitorId: null, monitorIds: [], tags: [], allMonitors: true });
    expect(await statusOf(db.id)).toBe('MAINTENANCE');
  });

  it('keeps monitorId working as a shortcut, and refuses unknown monitors naming the field', async () => {
    const { db, web } = await threeMonitors();
    const single = dataOf(
      await createWindow({ name: 'One', monitorId: String(db.id), ...OPEN_NOW() }),
    ).createMaintenanceWindow;
    expect(single).toMatchObject({ monitorId: String(db.id), monitorIds: [String(db.id)], tags: [] });
    expect(await statusOf(web.id)).toBe('PENDING');

    // Updating monitorIds and tags; the deprecated monitorId then reads null (several monitors).
    const updated = dataOf(
      await app.gql(
        `mutation ($id: ID!, $ids: [ID!]) { updateMaintenanceWindow(id: $id, input: { monitorIds: $ids, tags: ["eu"] })
           { ${WINDOW_FIELDS} } }`,
        { id: single.id, ids: [String(db.id), String(web.id)] },
      ),
    ).updateMaintenanceWindow;
    expect(updated).toMatchObject({ monitorId: null, monitorIds: [String(db.id), String(web.id)], tags: ['eu'] });
    expect(await statusOf(web.id)).toBe('MAINTENANCE');

    // monitorId: null as before means every monitor: it clears the monitors and the tags.
    const everyMonitor = dataOf(
      await app.gql(
        `mutation ($id: ID!) { updateMaintenanceWindow(id: $id, input: { monitorId: null }) { ${WINDOW_FIELDS} } }`,
        { id: single.id },
      ),
    ).updateMaintenanceWindow;
    expect(everyMonitor).toMatchObject({ monitorIds: [], tags: [], allMonitors: true });

    const unknown = await createWindow({
      name: 'Ghost',
      monitorIds: [String(db.id), '999998', '999999'],
      ...OPEN_NOW(),
    });
    const error = errorOf(unknown, 'BAD_USER_INPUT');
    expect(error.extensions?.field).toBe('monitorIds');
    expect(error.message).toMatch(/monitors 999998, 999999 do not exist/);
    const both = await createWindow({
      name: 'Both',
      monitorId: String(db.id),
      monitorIds: [String(web.id)],
      ...OPEN_NOW(),
    });
    expect(errorOf(both, 'BAD_USER_INPUT').extensions?.field).toBe('monitorIds');
    const emptyTag = await createWindow({ name: 'Blank', tags: ['  '], ...OPEN_NOW() });
    expect(errorOf(emptyTag, 'BAD_USER_INPUT').extensions?.field).toBe('tags.0');
    const badId = await createWindow({ name: 'Bad', monitorIds: ['abc'], ...OPEN_NOW() });
    expect(errorOf(badId, 'BAD_USER_INPUT').extensions?.field).toBe('monitorIds.0');
  });

  it('over REST: moniteurs and etiquettes, moniteur_id kept, unknown monitors a 400 naming moniteurs', async () => {
    const { db, web } = await threeMonitors();
    const created = await call(app, 'POST', '/api/maintenances', {
      nom: 'Deploy',
      moniteurs: [web.id],
      etiquettes: ['database'],
      debut: '2099-02-01T00:00:00.000Z',
      fin: '2099-02-01T01:00:00.000Z',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.maintenance).toMatchObject({
      moniteur_id: null,
      moniteurs: [web.id],
      etiquettes: ['database'],
    });
    const id = created.body.maintenance.id;
    const listed = (await call(app, 'GET', '/api/maintenances')).body.maintenances;
    expect(listed).toEqual([created.body.maintenance]);

    const legacy = await call(app, 'PATCH', `/api/maintenances/${id}`, { moniteur_id: db.id });
    expect(legacy.body.maintenance).toMatchObject({ moniteur_id: db.id, moniteurs: [db.id], etiquettes: [] });
    const retagged = await call(app, 'PATCH', `/api/maintenances/${id}`, { etiquettes: ['frontend', 'eu'] });
    expect(retagged.body.maintenance).toMatchObject({
      moniteur_id: null,
      moniteurs: [db.id],
      etiquettes: ['frontend', 'eu'],
    });

    const unknown = await call(app, 'PATCH', `/api/maintenances/${id}`, { moniteurs: [db.id, 999999] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.erreur).toBe('moniteurs: monitor 999999 does not exist');
    const notIds = await call(app, 'POST', '/api/maintenances', { nom: 'x', moniteurs: ['web'], ...REST_OPEN_NOW() });
    expect(notIds.status).toBe(400);
    expect(notIds.body.erreur).toMatch(/^moniteurs\.0: /);
    const notTags = await call(app, 'POST', '/api/maintenances', { nom: 'x', etiquettes: 'eu', ...REST_OPEN_NOW() });
    expect(notTags.status).toBe(400);
    expect(notTags.body.erreur).toMatch(/^etiquettes: /);
    expect((await call(app, 'GET', '/api/maintenances')).body.maintenances).toEqual([retagged.body.maintenance]);
  });

  it('a deleted monitor leaves the windows naming it; a window naming only it goes too; tag windows stay', async () => {
    const { db, web, plain } = await threeMonitors();
    dataOf(await createWindow({ name: 'Only web', monitorIds: [String(web.id)], ...OPEN_NOW() }));
    const two = dataOf(
      await createWindow({ name: 'Web and plain', monitorIds: [String(web.id), String(plain.id)], ...OPEN_NOW() }),
    ).createMaintenanceWindow;
    const withTag = dataOf(
      await createWindow({ name: 'Web and eu', monitorIds: [String(web.id)], tags: ['eu'], ...OPEN_NOW() }),
    ).createMaintenanceWindow;

    expect((await call(app, 'DELETE', `/api/moniteurs/${web.id}`)).status).toBe(204);
    const windows = dataOf(await app.gql(`{ maintenanceWindows { ${WINDOW_FIELDS} } }`)).maintenanceWindows;
    // The window that named only the deleted monitor must not turn into one for every monitor.
    expect(windows.map((window: { id: string }) => window.id)).toEqual([two.id, withTag.id]);
    expect(windows[0]).toMatchObject({ monitorIds: [String(plain.id)], tags: [] });
    expect(windows[1]).toMatchObject({ monitorIds: [], tags: ['eu'], allMonitors: false });
    expect(await statusOf(db.id)).toBe('MAINTENANCE');

    // The database refuses a window naming a monitor that does not exist, whoever writes it.
    await expect(
      app.testDb.db.query(
        `INSERT INTO monitoring.maintenances (nom, moniteurs, debut, fin) VALUES ('raw', $1, now(), now() + interval '1 hour')`,
        [[db.id, 999999]],
      ),
    ).rejects.toMatchObject({ code: '23503' });

    // Emptying the data deletes the monitors: the window naming only them goes, the one by tag stays.
    expect((await call(app, 'DELETE', '/api/resultats')).status).toBeLessThan(300);
    const kept = dataOf(await app.gql(`{ maintenanceWindows { ${WINDOW_FIELDS} } }`)).maintenanceWindows;
    expect(kept).toEqual([expect.objectContaining({ id: withTag.id, monitorIds: [], tags: ['eu'] })]);
  });
});
