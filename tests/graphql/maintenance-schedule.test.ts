// Maintenance windows over GraphQL: whether one is open now and until when, its next occurrences, a preview of a
// schedule being written, and time zones checked (an unknown one used to break every monitor list).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMonitor } from '../helpers/factories.ts';
import { dataOf, errorOf, startGraphQLApp, type GraphQLTestApp } from '../helpers/graphql.ts';
import { call } from '../rest/support.ts';

let app: GraphQLTestApp;

beforeAll(async () => {
  app = await startGraphQLApp();
  await app.scheduler.stop();
}, 60_000);

afterAll(async () => {
  await app?.close();
});

const WINDOWS = `{ maintenanceWindows { name cron activeUntil nextOccurrences(count: 3) { startsAt endsAt } } }`;

describe('maintenance schedules', () => {
  it('preview the next occurrences of a recurring schedule in its time zone', async () => {
    const preview = dataOf(
      await app.gql(
        `{ maintenanceSchedule(cron: "0 3 * * 0", durationMinutes: 90, timeZone: "Europe/Paris") { startsAt endsAt } }`,
      ),
    ).maintenanceSchedule as Array<{ startsAt: string; endsAt: string }>;
    expect(preview).toHaveLength(5);
    let previous = Date.now();
    for (const occurrence of preview) {
      const start = new Date(occurrence.startsAt);
      expect(start.getTime()).toBeGreaterThan(previous);
      previous = start.getTime();
      // Sundays at 03:00 in Paris.
      const local = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Paris',
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
      }).format(start);
      expect(local).toBe('Sun 03:00');
      expect(Date.parse(occurrence.endsAt) - start.getTime()).toBe(90 * 60_000);
    }
  });

  it('refuse a bad cron expression or time zone with the field named, over GraphQL and REST', async () => {
    const cron = await app.gql(`{ maintenanceSchedule(cron: "every sunday", durationMinutes: 60) { startsAt } }`);
    expect(errorOf(cron, 'BAD_USER_INPUT').extensions?.field).toBe('cron');
    const zone = await app.gql(
      `{ maintenanceSchedule(cron: "0 3 * * *", durationMinutes: 60, timeZone: "Mars/Olympus") { startsAt } }`,
    );
    expect(errorOf(zone, 'BAD_USER_INPUT').message).toMatch(/"Mars\/Olympus" is not a known time zone/);

    const monitor = await createMonitor(app.testDb.db, { paused: true });
    const refused = await call(app, 'POST', '/api/maintenances', {
      nom: 'nowhere',
      cron: '0 3 * * *',
      duree_minutes: 60,
      fuseau_horaire: 'Mars/Olympus',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.erreur).toMatch(/^fuseau_horaire: "Mars\/Olympus" is not a known time zone/);
    // The monitors can still be listed (the window was never stored).
    expect(dataOf(await app.gql('{ monitors { id status } }')).monitors).toEqual([
      { id: String(monitor.id), status: 'PAUSED' },
    ]);
  });

  it('refuse a cron expression with fields missing, dates that do not exist or are out of range, and ids too large', async () => {
    const short = await app.gql(`{ maintenanceSchedule(cron: "0 3 * *", durationMinutes: 60) { startsAt } }`);
    expect(errorOf(short, 'BAD_USER_INPUT').message).toMatch(/5 fields .* got 4/);
    expect(errorOf(short, 'BAD_USER_INPUT').extensions?.field).toBe('cron');
    const daily = await app.gql(`{ maintenanceSchedule(cron: "@daily", durationMinutes: 60) { startsAt } }`);
    expect(dataOf(daily).maintenanceSchedule).toHaveLength(5);

    const refusals: Array<[Record<string, unknown>, RegExp]> = [
      [
        { nom: 'short', cron: '0 3 * *', duree_minutes: 60 },
        /^cron: is not a valid cron expression: it needs 5 fields/,
      ],
      [{ nom: 'feb', debut: '2026-02-30T00:00:00Z', fin: '2026-03-31T00:00:00Z' }, /^debut: must be an ISO-8601 date/],
      [{ nom: 'far', debut: '-200000-01-01T00:00:00Z', fin: '2026-03-31T00:00:00Z' }, /^debut: must be an ISO-8601/],
      [{ nom: 'far', debut: '2026-03-01T00:00:00Z', fin: '+275760-09-13T00:00:00Z' }, /^fin: must be an ISO-8601/],
      [{ nom: 'bool', debut: true, fin: 2 }, /^debut: must be an ISO-8601 date/],
      [{ nom: 'big', moniteur_id: 3_000_000_000, cron: '0 3 * * *', duree_minutes: 60 }, /^moniteur_id: /],
    ];
    for (const [body, message] of refusals) {
      const refused = await call(app, 'POST', '/api/maintenances', body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.erreur).toMatch(message);
    }
    const tooLarge = await app.gql(`mutation { deleteMaintenanceWindow(id: "99999999999") }`);
    expect(errorOf(tooLarge, 'BAD_USER_INPUT').message).toMatch(/numeric id of at most 2147483647/);
    const page = await call(app, 'POST', '/api/pages-statut', {
      slug: 'big-ids',
      titre: 'Big ids',
      sections: [{ nom: 'a', moniteurs: [3_000_000_000] }],
    });
    expect(page.status).toBe(400);
    expect(page.body.erreur).toMatch(/^sections\.0\.moniteurs\.0: must be monitor ids/);
  });

  it('say whether a window is open now and until when, and when it comes next', async () => {
    const created = dataOf(
      await app.gql(
        `mutation { createMaintenanceWindow(input: { name: "Always", cron: "* * * * *", durationMinutes: 5 }) { id activeUntil } }`,
      ),
    ).createMaintenanceWindow;
    expect(Date.parse(created.activeUntil)).toBeGreaterThan(Date.now());
    expect(Date.parse(created.activeUntil)).toBeLessThanOrEqual(Date.now() + 5 * 60_000);
    const soon = new Date(Date.now() + 3_600_000);
    const later = new Date(Date.now() + 7_200_000);
    await app.gql(
      `mutation ($from: DateTime!, $to: DateTime!) { createMaintenanceWindow(input: { name: "Once", startsAt: $from, endsAt: $to }) { id } }`,
      { from: soon.toISOString(), to: later.toISOString() },
    );
    const windows = dataOf(await app.gql(WINDOWS)).maintenanceWindows as Array<{
      name: string;
      activeUntil: string | null;
      nextOccurrences: Array<{ startsAt: string; endsAt: string }>;
    }>;
    const always = windows.find((window) => window.name === 'Always')!;
    expect(always.nextOccurrences).toHaveLength(3);
    expect(Date.parse(always.nextOccurrences[1]!.startsAt) - Date.parse(always.nextOccurrences[0]!.startsAt)).toBe(
      60_000,
    );
    const once = windows.find((window) => window.name === 'Once')!;
    expect(once.activeUntil).toBeNull();
    expect(once.nextOccurrences).toEqual([{ startsAt: soon.toISOString(), endsAt: later.toISOString() }]);
  });

  it('change over REST (PATCH) and GraphQL (updateMaintenanceWindow), checked whole, nothing half-applied', async () => {
    const monitor = await createMonitor(app.testDb.db, { paused: true });
    const created = await call(app, 'POST', '/api/maintenances', {
      nom: 'Deploy',
      debut: '2099-02-01T00:00:00.000Z',
      fin: '2099-02-01T01:00:00.000Z',
    });
    expect(created.status).toBe(201);
    const id = created.body.maintenance.id as number;
    const stored = async () =>
      (await call(app, 'GET', '/api/maintenances')).body.maintenances.find((m: { id: number }) => m.id === id);

    // REST: the given fields change, the others stay.
    const renamed = await call(app, 'PATCH', `/api/maintenances/${id}`, { nom: 'Deploy v2', moniteur_id: monitor.id });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body.maintenance).toMatchObject({
      id,
      nom: 'Deploy v2',
      moniteur_id: monitor.id,
      debut: '2099-02-01T00:00:00.000Z',
      fin: '2099-02-01T01:00:00.000Z',
      cron: null,
    });
    expect(await stored()).toEqual(renamed.body.maintenance);

    // Refused as a new window would be, in REST's words; nothing changed.
    const before = await stored();
    const both = await call(app, 'PATCH', `/api/maintenances/${id}`, {
      nom: 'x',
      cron: '0 3 * * *',
      duree_minutes: 60,
    });
    expect(both.status).toBe(400);
    expect(both.body.erreur).toBe('cron: give either a cron expression or debut/fin, not both');
    const backwards = await call(app, 'PATCH', `/api/maintenances/${id}`, { nom: 'x', fin: '2099-01-01T00:00:00Z' });
    expect(backwards.status).toBe(400);
    expect(backwards.body.erreur).toBe('fin: must be after debut');
    expect((await call(app, 'PATCH', `/api/maintenances/${id}`, { nom: '' })).body.erreur).toMatch(/^nom: /);
    expect((await call(app, 'PATCH', `/api/maintenances/${id}`, { nom: 'x', inconnu: 1 })).status).toBe(400);
    expect((await call(app, 'PATCH', '/api/maintenances/999999', { nom: 'x' })).status).toBe(404);
    expect(await stored()).toEqual(before);

    // GraphQL: made recurring (the one-off dates cleared), then refused without a duration.
    const recurring = dataOf(
      await app.gql(
        `mutation ($id: ID!) { updateMaintenanceWindow(id: $id, input: { startsAt: null, endsAt: null, monitorId: null,
          cron: "0 3 * * 0", durationMinutes: 30, timeZone: "Europe/Paris" }) { id name monitorId cron durationMinutes timeZone } }`,
        { id: String(id) },
      ),
    ).updateMaintenanceWindow;
    expect(recurring).toEqual({
      id: String(id),
      name: 'Deploy v2',
      monitorId: null,
      cron: '0 3 * * 0',
      durationMinutes: 30,
      timeZone: 'Europe/Paris',
    });
    const refused = await app.gql(
      `mutation ($id: ID!) { updateMaintenanceWindow(id: $id, input: { name: "y", durationMinutes: null }) { id } }`,
      { id: String(id) },
    );
    expect(errorOf(refused, 'BAD_USER_INPUT').extensions?.field).toBe('durationMinutes');
    expect((await stored()).nom).toBe('Deploy v2');
    // GraphQL names the fields in its own words.
    const backwardsInGraphQL = await app.gql(
      `mutation ($id: ID!) { updateMaintenanceWindow(id: $id, input: { cron: null, durationMinutes: null,
        startsAt: "2099-02-01T00:00:00Z", endsAt: "2099-01-01T00:00:00Z" }) { id } }`,
      { id: String(id) },
    );
    expect(errorOf(backwardsInGraphQL, 'BAD_USER_INPUT').message).toMatch(/must be after startsAt/);
    const missing = await app.gql(`mutation { updateMaintenanceWindow(id: "999999", input: { name: "y" }) { id } }`);
    errorOf(missing, 'NOT_FOUND');
  });
});
