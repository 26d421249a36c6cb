// Heartbeats on a cron schedule over REST and GraphQL: planification {cron, fuseau_horaire} / schedule {cron,
// timeZone} stored and shown, its deadline evaluated by the scheduler, and bad schedules refused naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { call, createMoniteur, waitFor } from './support.ts';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(() => app?.close());

const heartbeat = (overrides: Record<string, unknown>) =>
  createMoniteur(app, { nom: 'nightly backup', type: 'push', delai_grace_secondes: 60, ...overrides });

async function graphql(query: string, variables: Record<string, unknown> = {}) {
  const response = await call(app, 'POST', '/graphql', { query, variables });
  return response.body;
}

describe('heartbeats on a cron schedule', () => {
  it('are created with planification and shown with it; null goes back to the interval', async () => {
    const moniteur = await heartbeat({ planification: { cron: '0 3 * * *', fuseau_horaire: 'Europe/Paris' } });
    expect(moniteur.planification).toEqual({ cron: '0 3 * * *', fuseau_horaire: 'Europe/Paris' });
    const utc = await heartbeat({ planification: { cron: '15 * * * *' } });
    expect(utc.planification).toEqual({ cron: '15 * * * *', fuseau_horaire: 'UTC' });
    const patched = await call(app, 'PATCH', `/api/moniteurs/${moniteur.id}`, { planification: null });
    expect(patched.status).toBe(200);
    expect(patched.body.moniteur.planification).toBeNull();
    const interval = await heartbeat({});
    expect(interval.planification).toBeNull();
  });

  it('go DOWN (cause timeout) when the run expected by the schedule does not ping within the grace', async () => {
    // Every 2 seconds (6 fields, seconds first), 1 s of grace, an interval of a day that must not count.
    const moniteur = await heartbeat({
      intervalle_secondes: 86_400,
      delai_grace_secondes: 1,
      planification: { cron: '*/2 * * * * *', fuseau_horaire: 'Asia/Tokyo' },
    });
    const created = Date.now();
    const down = await waitFor(
      'the DOWN result',
      async () => {
        const { body } = await call(app, 'GET', `/api/moniteurs/${moniteur.id}/resultats?limit=10`);
        return body.resultats.length > 0 && body.resultats[0];
      },
      { timeoutMs: 10_000 },
    );
    expect(down).toMatchObject({ est_disponible: false, cause: 'timeout' });
    expect(down.erreur).toBe('no ping received (expected at "*/2 * * * * *" (Asia/Tokyo) + 1 s of grace)');
    // At most 2 s to the next run, 1 s of grace, and a second of rounding (verifie_a is to the second).
    expect(Date.parse(down.verifie_a) - created).toBeLessThan(5_000);
  });

  it('refuse a bad schedule with a 400 naming the field, and nothing stored', async () => {
    const before = (await call(app, 'GET', '/api/moniteurs')).body.moniteurs.length;
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ planification: { cron: '0 3 * *' } }, /^planification\.cron: .*5 fields/],
      [{ planification: { cron: '61 * * * *' } }, /^planification\.cron: is not a valid cron expression/],
      [
        { planification: { cron: '0 3 * * *', fuseau_horaire: 'Mars/Olympus' } },
        /^planification\.fuseau_horaire: .*not a known time zone/,
      ],
      [{ planification: { fuseau_horaire: 'UTC' } }, /^planification\.cron: is required/],
      [{ planification: { cron: '0 3 * * *', zone: 'UTC' } }, /^planification: .*zone/],
      [{ planification: '0 3 * * *' }, /^planification: /],
      [
        { type: 'http', cible: 'http://127.0.0.1:9/', planification: { cron: '0 3 * * *' } },
        /^planification: only heartbeat monitors/,
      ],
    ];
    for (const [overrides, message] of cases) {
      const response = await call(app, 'POST', '/api/moniteurs', {
        nom: 'bad',
        type: 'push',
        ...overrides,
      });
      expect(response.status, JSON.stringify(overrides)).toBe(400);
      expect(response.body.erreur, JSON.stringify(overrides)).toMatch(message);
    }
    expect((await call(app, 'GET', '/api/moniteurs')).body.moniteurs.length).toBe(before);
  });

  it('GraphQL: schedule {cron, timeZone} on create and update, BAD_USER_INPUT naming the field', async () => {
    const created = await graphql(
      `mutation($input: CreateMonitorInput!) { createMonitor(input: $input) { id schedule { cron timeZone } } }`,
      { input: { name: 'backup', kind: 'PUSH', schedule: { cron: '0 3 * * 0', timeZone: 'Europe/Paris' } } },
    );
    expect(created.errors).toBeUndefined();
    expect(created.data.createMonitor.schedule).toEqual({ cron: '0 3 * * 0', timeZone: 'Europe/Paris' });
    const bad = await graphql(
      `mutation($id: ID!) { updateMonitor(id: $id, input: { schedule: { cron: "0 3 * * 0", timeZone: "Nowhere/City" } }) { id } }`,
      { id: created.data.createMonitor.id },
    );
    expect(bad.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(bad.errors[0].message).toMatch(/schedule\.timeZone/);
    const cleared = await graphql(
      `mutation($id: ID!) { updateMonitor(id: $id, input: { schedule: null }) { schedule { cron } } }`,
      { id: created.data.createMonitor.id },
    );
    expect(cleared.data.updateMonitor.schedule).toBeNull();
  });
});
