// GET /api/moniteurs/:id/stats and GraphQL monitorStats / Monitor.stats over a custom range: the same
// figures as the domain computes, in each API's names, and clear errors for bad ranges.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertResults } from '../../server/db/index.ts';
import { createMonitor, result } from '../helpers/factories.ts';
import { dataOf, errorOf, startGraphQLApp, type GraphQLTestApp } from '../helpers/graphql.ts';
import { call } from './support.ts';

let app: GraphQLTestApp;
let monitorId: number;

const at = (time: string) => new Date(`2025-03-10T${time}Z`);

beforeAll(async () => {
  app = await startGraphQLApp();
  await app.scheduler.stop();
  ({ id: monitorId } = await createMonitor(app.testDb.db, { paused: false }));
  await insertResults(app.testDb.db, [
    result(monitorId, true, { checkedAt: at('10:30:00'), latencyMs: 100 }),
    result(monitorId, false, { checkedAt: at('10:50:00') }),
    result(monitorId, true, { checkedAt: at('11:10:00'), latencyMs: 200 }),
    result(monitorId, true, { checkedAt: at('11:40:00'), latencyMs: 300 }),
    result(monitorId, true, { checkedAt: at('12:20:00'), latencyMs: 50 }),
  ]);
}, 60_000);

afterAll(async () => {
  await app?.close();
});

describe('GET /api/moniteurs/:id/stats', () => {
  it('gives availability, latency, incidents, MTTR and a series over debut/fin', async () => {
    const response = await call(
      app,
      'GET',
      `/api/moniteurs/${monitorId}/stats?debut=2025-03-10T10:40:00Z&fin=2025-03-10T12:30:00Z&resolution=3600`,
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      stats: {
        moniteur_id: monitorId,
        debut: '2025-03-10T10:40:00.000Z',
        fin: '2025-03-10T12:30:00.000Z',
        disponibilite: 75,
        verifications: 4,
        echecs: 1,
        latence: { moyenne: 183.333, min: 50, max: 300, p50: 200, p95: 290, p99: 298, percentiles_exacts: true },
        incidents: [{ debut: '2025-03-10T10:50:00.000Z', fin: '2025-03-10T11:10:00.000Z', duree_secondes: 1200 }],
        indisponibilite_secondes: 1200,
        mttr_secondes: 1200,
        resolution_secondes: 3600,
        serie: [
          {
            debut: '2025-03-10T10:00:00.000Z',
            disponibilite: 0,
            verifications: 1,
            echecs: 1,
            latence_moyenne: null,
            latence_min: null,
            latence_max: null,
          },
          {
            debut: '2025-03-10T11:00:00.000Z',
            disponibilite: 100,
            verifications: 2,
            echecs: 0,
            latence_moyenne: 250,
            latence_min: 200,
            latence_max: 300,
          },
          {
            debut: '2025-03-10T12:00:00.000Z',
            disponibilite: 100,
            verifications: 1,
            echecs: 0,
            latence_moyenne: 50,
            latence_min: 50,
            latence_max: 50,
          },
        ],
      },
    });
  });

  it('defaults to the last 24 hours and accepts fenetre', async () => {
    const day = await call(app, 'GET', `/api/moniteurs/${monitorId}/stats`);
    expect(day.status).toBe(200);
    const span = Date.parse(day.body.stats.fin) - Date.parse(day.body.stats.debut);
    expect(span).toBe(24 * 3_600_000);
    const week = await call(app, 'GET', `/api/moniteurs/${monitorId}/stats?fenetre=7j`);
    expect(Date.parse(week.body.stats.fin) - Date.parse(week.body.stats.debut)).toBe(7 * 24 * 3_600_000);
  });

  it.each([
    ['?fenetre=2h', 'fenetre'],
    ['?debut=hier', 'debut'],
    ['?debut=2025-03-10T12:00:00Z&fin=2025-03-10T11:00:00Z', 'fin'],
    ['?fin=2025-03-10T11:00:00Z', 'debut'],
    ['?fenetre=24h&debut=2025-03-10T11:00:00Z', 'fenetre'],
    ['?resolution=abc', 'resolution'],
    ['?fenetre=365j&resolution=60', 'resolution'],
  ])('refuses %s naming %s', async (query, field) => {
    const response = await call(app, 'GET', `/api/moniteurs/${monitorId}/stats${query}`);
    expect(response.status).toBe(400);
    expect(response.body.erreur).toMatch(new RegExp(`^${field}: `));
  });

  it('answers 404 for an unknown monitor', async () => {
    const response = await call(app, 'GET', '/api/moniteurs/987654/stats');
    expect(response.status).toBe(404);
    expect(response.body.erreur).toMatch(/987654/);
  });
});

describe('GraphQL monitorStats and Monitor.stats', () => {
  it('gives the same figures through monitorStats(from, to) and Monitor.stats', async () => {
    const fields = `availability checks failures incidents downtimeSeconds mttrSeconds
      incidentPeriods { start end durationSeconds }
      latency { avg min max p50 exact }
      series(resolutionSeconds: 1800) { start checks availability latencyAvg }`;
    const data = dataOf(
      await app.gql(
        `query ($id: ID!) {
          monitorStats(id: $id, from: "2025-03-10T10:40:00Z", to: "2025-03-10T12:30:00Z") { from to ${fields} }
          monitor(id: $id) { stats(from: "2025-03-10T10:40:00Z", to: "2025-03-10T12:30:00Z") { ${fields} } }
        }`,
        { id: String(monitorId) },
      ),
    );
    expect(data.monitorStats).toEqual({
      from: '2025-03-10T10:40:00.000Z',
      to: '2025-03-10T12:30:00.000Z',
      availability: 75,
      checks: 4,
      failures: 1,
      incidents: 1,
      downtimeSeconds: 1200,
      mttrSeconds: 1200,
      incidentPeriods: [{ start: '2025-03-10T10:50:00.000Z', end: '2025-03-10T11:10:00.000Z', durationSeconds: 1200 }],
      latency: { avg: 550 / 3, min: 50, max: 300, p50: 200, exact: true },
      series: [
        // The 10:30 bucket is cut by the window: only the 10:50 failure is in it.
        { start: '2025-03-10T10:30:00.000Z', checks: 1, availability: 0, latencyAvg: null },
        { start: '2025-03-10T11:00:00.000Z', checks: 1, availability: 100, latencyAvg: 200 },
        { start: '2025-03-10T11:30:00.000Z', checks: 1, availability: 100, latencyAvg: 300 },
        { start: '2025-03-10T12:00:00.000Z', checks: 1, availability: 100, latencyAvg: 50 },
      ],
    });
    const { from, to, ...sameFields } = data.monitorStats;
    expect(data.monitor.stats).toEqual(sameFields);
  });

  it('refuses bad ranges with BAD_USER_INPUT', async () => {
    const ask = (args: string) =>
      app.gql(
        `query ($id: ID!) { monitorStats(id: $id, ${args}) { checks series(resolutionSeconds: 1) { checks } } }`,
        { id: String(monitorId) },
      );
    expect(
      errorOf(await ask('from: "2025-03-10T12:00:00Z", to: "2025-03-10T11:00:00Z"'), 'BAD_USER_INPUT').message,
    ).toMatch(/to/);
    expect(errorOf(await ask('window: DAY, from: "2025-03-10T11:00:00Z"'), 'BAD_USER_INPUT').message).toMatch(/window/);
    expect(errorOf(await ask('window: YEAR'), 'BAD_USER_INPUT').message).toMatch(/resolutionSeconds/);
  });
});
