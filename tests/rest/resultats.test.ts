// GET /api/resultats (newest first, limits) and DELETE /api/resultats (empties everything, scheduler included).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertResults } from '../../server/results/index.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createMonitor, result } from '../helpers/factories.ts';
import { startHttpTarget, type HttpTarget } from '../helpers/targets.ts';
import { activeMonitors, call, counts, ISO_SECONDS, STATUT_KEYS, waitFor } from './support.ts';

const SEEDED = 1200;
let app: TestApp;
let target: HttpTarget;

beforeAll(async () => {
  [app, target] = await Promise.all([startTestApp(), startHttpTarget()]);
  // One statement: SEEDED one-off results, seed 1 the newest, one second apart, alternating up and down.
  const now = Date.now();
  await insertResults(
    app.testDb.db,
    Array.from({ length: SEEDED }, (_, index) => {
      const i = index + 1;
      const up = i % 2 === 1;
      return result(null, up, {
        httpStatus: up ? 200 : 503,
        latencyMs: i,
        checkedAt: new Date(now - i * 1000),
        target: `http://seed.test/${i}`,
        cause: null,
        error: null,
      });
    }),
  );
});

afterAll(async () => {
  await Promise.all([app?.close(), target?.close()]);
});

function seedNumbers(resultats: Array<{ url: string }>): number[] {
  return resultats.map((r) => Number(r.url.replace('http://seed.test/', '')));
}

describe('GET /api/resultats', () => {
  it('answers exactly {"resultats": [...]} with statut objects, newest first', async () => {
    const response = await call(app, 'GET', '/api/resultats?limit=3');
    expect(response.status).toBe(200);
    expect(Object.keys(response.body)).toEqual(['resultats']);
    const resultats = response.body.resultats;
    expect(seedNumbers(resultats)).toEqual([1, 2, 3]);
    for (const statut of resultats) {
      expect(Object.keys(statut).sort()).toEqual(STATUT_KEYS);
      expect(statut.verifie_a).toMatch(ISO_SECONDS);
    }
    expect(resultats[0]).toMatchObject({ est_disponible: true, code_http: 200, latence_ms: 1 });
    expect(resultats[1]).toMatchObject({ est_disponible: false, code_http: 503, latence_ms: 2 });
    expect(Date.parse(resultats[0].verifie_a)).toBeGreaterThan(Date.parse(resultats[1].verifie_a));
  });

  it('returns 50 results when no limit is given', async () => {
    const response = await call(app, 'GET', '/api/resultats');
    expect(response.status).toBe(200);
    expect(seedNumbers(response.body.resultats)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('clamps a very large limit to the documented maximum of 1000', async () => {
    for (const limit of ['5000', '1001', '999999999999999999999']) {
      const response = await call(app, 'GET', `/api/resultats?limit=${limit}`);
      expect(response.status, limit).toBe(200);
      expect(response.body.resultats, limit).toHaveLength(1000);
    }
    const exact = await call(app, 'GET', '/api/resultats?limit=1000');
    expect(seedNumbers(exact.body.resultats).at(-1)).toBe(1000);
    const below = await call(app, 'GET', '/api/resultats?limit=999');
    expect(below.body.resultats).toHaveLength(999);
  });

  it('lists a fresh check above older results', async () => {
    const url = `${target.url}/status/202`;
    const checked = await call(app, 'POST', '/api/verifier', { url });
    const response = await call(app, 'GET', '/api/resultats?limit=2');
    expect(response.body.resultats).toEqual([
      checked.body.statut,
      expect.objectContaining({ url: 'http://seed.test/1' }),
    ]);
  });
});

describe('DELETE /api/resultats', () => {
  it('empties monitors, results and alerts, and the scheduler drops the monitors', async () => {
    const first = await createMonitor(app.testDb.db, {
      name: 'to delete 1',
      target: `${target.url}/`,
      intervalSeconds: 1,
    });
    const second = await createMonitor(app.testDb.db, {
      name: 'to delete 2',
      target: `${target.url}/`,
      intervalSeconds: 1,
    });
    // An alert, written by the trigger from a DOWN->UP transition of the first monitor.
    const now = Date.now();
    await insertResults(app.testDb.db, [
      result(first.id, false, {
        latencyMs: 5,
        checkedAt: new Date(now + 3_600_000),
        target: 'x',
        cause: null,
        error: null,
      }),
      result(first.id, true, { latencyMs: 5, checkedAt: new Date(now + 7_200_000), target: 'x' }),
    ]);
    await waitFor('both monitors scheduled', async () => (await activeMonitors(app)) === 2);
    await waitFor('a scheduled result of the second monitor', async () => {
      const { rows } = await app.testDb.db.query(`SELECT 1 FROM monitoring.statuts WHERE moniteur_id = $1`, [
        second.id,
      ]);
      return rows.length > 0;
    });
    const before = await counts(app);
    expect(before.moniteurs).toBe(2);
    expect(before.alertes).toBeGreaterThanOrEqual(1);
    expect(before.statuts).toBeGreaterThan(SEEDED);

    const response = await call(app, 'DELETE', '/api/resultats');
    expect(response.status).toBe(200);
    expect(response.body.erreur).toBeUndefined();

    expect(await counts(app)).toEqual({ moniteurs: 0, statuts: 0, alertes: 0, etats_moniteurs: 0 });
    await waitFor('the scheduler to drop every monitor', async () => (await activeMonitors(app)) === 0);
    expect((await call(app, 'GET', '/api/moniteurs')).body).toEqual({ moniteurs: [] });
    expect((await call(app, 'GET', '/api/resultats')).body).toEqual({ resultats: [] });
    expect((await call(app, 'GET', `/api/moniteurs/${first.id}`)).status).toBe(404);

    // A check that was in flight during the delete must not bring rows back.
    await app.scheduler.stop();
    expect(await counts(app)).toEqual({ moniteurs: 0, statuts: 0, alertes: 0, etats_moniteurs: 0 });
  });
});
