// Monitor.maintenance: whether a monitor is in a maintenance window now (its own or one for all monitors) and
// until when, and its next window; a list of monitors reads the windows once.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMonitor } from '../helpers/factories.ts';
import { dataOf, startGraphQLApp, type GraphQLTestApp } from '../helpers/graphql.ts';

let app: GraphQLTestApp;
let covered: string;
let other: string;

const MAINTENANCE = 'maintenance { activeUntil activeWindow next { startsAt endsAt } nextWindow }';

beforeAll(async () => {
  app = await startGraphQLApp();
  await app.scheduler.stop();
  covered = String((await createMonitor(app.testDb.db, { name: 'covered', paused: true })).id);
  other = String((await createMonitor(app.testDb.db, { name: 'other', paused: true })).id);
}, 60_000);

afterAll(async () => {
  await app?.close();
});

async function maintenanceOf(id: string) {
  return dataOf(await app.gql(`query ($id: ID!) { monitor(id: $id) { ${MAINTENANCE} } }`, { id })).monitor.maintenance;
}

async function createWindow(input: Record<string, unknown>): Promise<void> {
  const response = await app.gql(
    `mutation ($input: MaintenanceWindowInput!) { createMaintenanceWindow(input: $input) { id } }`,
    { input },
  );
  dataOf(response);
}

it('says a monitor without windows is not in maintenance and has none coming', async () => {
  expect(await maintenanceOf(covered)).toEqual({ activeUntil: null, activeWindow: null, next: null, nextWindow: null });
});

it('gives the next window of the monitor it covers, and none to another monitor', async () => {
  await createWindow({
    name: 'Provider migration',
    monitorId: covered,
    startsAt: '2099-03-01T22:00:00Z',
    endsAt: '2099-03-02T01:00:00Z',
  });
  expect(await maintenanceOf(covered)).toEqual({
    activeUntil: null,
    activeWindow: null,
    next: { startsAt: '2099-03-01T22:00:00.000Z', endsAt: '2099-03-02T01:00:00.000Z' },
    nextWindow: 'Provider migration',
  });
  expect((await maintenanceOf(other)).next).toBeNull();
});

it('puts every monitor in a window for all monitors open now, until its end; the next one comes first', async () => {
  // Every minute, for a day: open now, and the next occurrence starts within the minute.
  await createWindow({ name: 'Always', cron: '* * * * *', durationMinutes: 1440 });
  for (const id of [covered, other]) {
    const maintenance = await maintenanceOf(id);
    expect(maintenance.activeWindow).toBe('Always');
    const until = new Date(maintenance.activeUntil).getTime();
    expect(until).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    expect(maintenance.nextWindow).toBe('Always');
    expect(new Date(maintenance.next.startsAt).getTime()).toBeLessThanOrEqual(Date.now() + 60_000);
  }
});

it('reads the windows once for a whole list of monitors', async () => {
  for (let n = 0; n < 20; n++) await createMonitor(app.testDb.db, { name: `bulk ${n}`, paused: true });
  app.resetStatements();
  const { monitors } = dataOf(await app.gql(`{ monitors { id ${MAINTENANCE} } }`));
  expect(monitors.length).toBe(22);
  for (const monitor of monitors) expect(monitor.maintenance.activeWindow).toBe('Always');
  const windowReads = app.graphqlStatements().filter((sql) => /^\s*SELECT \* FROM monitoring\.maintenances/.test(sql));
  expect(windowReads).toHaveLength(1);
});
