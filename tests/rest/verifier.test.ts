// POST /api/verifier: checks a URL now, answers the original `statut` shape and stores the result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { closedPort, startHttpTarget, type HttpTarget } from '../helpers/targets.ts';
import { call, ISO_SECONDS, STATUT_KEYS } from './support.ts';

let app: TestApp;
let target: HttpTarget;

beforeAll(async () => {
  [app, target] = await Promise.all([startTestApp(), startHttpTarget()]);
});

afterAll(async () => {
  await Promise.all([app?.close(), target?.close()]);
});

async function storedRow(url: string) {
  const { rows } = await app.testDb.db.query<any>(
    `SELECT * FROM monitoring.statuts WHERE url = $1 ORDER BY id DESC LIMIT 1`,
    [url],
  );
  return rows[0];
}

describe('POST /api/verifier', () => {
  it('checks a reachable URL and answers exactly the original statut object', async () => {
    const url = `${target.url}/`;
    const before = Date.now();
    const requestsBefore = target.requests;
    const response = await call(app, 'POST', '/api/verifier', { url });

    expect(response.status).toBe(200);
    expect(Object.keys(response.body)).toEqual(['statut']);
    const statut = response.body.statut;
    expect(Object.keys(statut).sort()).toEqual(STATUT_KEYS);
    expect(statut.est_disponible).toBe(true);
    expect(statut.code_http).toBe(200);
    expect(Number.isInteger(statut.latence_ms)).toBe(true);
    expect(statut.latence_ms).toBeGreaterThanOrEqual(0);
    expect(statut.latence_ms).toBeLessThan(5000);
    expect(statut.verifie_a).toMatch(ISO_SECONDS);
    expect(Date.parse(statut.verifie_a)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(Date.parse(statut.verifie_a)).toBeLessThanOrEqual(Date.now());
    expect(statut.url).toBe(url);
    // It really went to the target.
    expect(target.requests).toBe(requestsBefore + 1);
  });

  it('stores the result as a one-off row (no monitor) that GET /api/resultats lists first', async () => {
    const url = `${target.url}/status/204`;
    const { body } = await call(app, 'POST', '/api/verifier', { url });
    expect(body.statut).toMatchObject({ est_disponible: true, code_http: 204, url });

    const row = await storedRow(url);
    expect(row).toBeDefined();
    expect(row.moniteur_id).toBeNull();
    expect(row.est_disponible).toBe(true);
    expect(row.code_http).toBe(204);
    expect(row.latence_ms).toBe(body.statut.latence_ms);
    expect(new Date(row.verifie_a).toISOString().replace(/\.\d{3}Z$/, 'Z')).toBe(body.statut.verifie_a);

    const listed = await call(app, 'GET', '/api/resultats?limit=5');
    expect(listed.status).toBe(200);
    expect(listed.body.resultats[0]).toEqual(body.statut);
  });

  it('reports a 500 target as unavailable with its status code, and stores it so', async () => {
    const url = `${target.url}/status/500`;
    const response = await call(app, 'POST', '/api/verifier', { url });
    expect(response.status).toBe(200);
    expect(response.body.statut).toMatchObject({ est_disponible: false, code_http: 500, url });
    const row = await storedRow(url);
    expect(row).toMatchObject({ est_disponible: false, code_http: 500, moniteur_id: null, cause: 'http_status' });
  });

  it('follows the target status set at runtime (setStatus)', async () => {
    const url = `${target.url}/`;
    target.setStatus(503);
    try {
      const down = await call(app, 'POST', '/api/verifier', { url });
      expect(down.body.statut).toMatchObject({ est_disponible: false, code_http: 503 });
    } finally {
      target.setStatus(200);
    }
    const up = await call(app, 'POST', '/api/verifier', { url });
    expect(up.body.statut).toMatchObject({ est_disponible: true, code_http: 200 });
  });

  it('reports a refused connection as unavailable with no status code', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/`;
    const response = await call(app, 'POST', '/api/verifier', { url });
    expect(response.status).toBe(200);
    expect(response.body.statut).toMatchObject({ est_disponible: false, code_http: null, url });
    expect(await storedRow(url)).toMatchObject({ est_disponible: false, cause: 'refused' });
  });

  it('follows an http redirect and reports where the check started', async () => {
    const url = `${target.url}/redirect?to=${encodeURIComponent(`${target.url}/status/201`)}`;
    const response = await call(app, 'POST', '/api/verifier', { url });
    expect(response.body.statut).toMatchObject({ est_disponible: true, code_http: 201, url });
    expect(target.seen.at(-1)?.path).toBe('/status/201');
  });

  it('normalises the URL it stores (trimmed, canonical form)', async () => {
    const response = await call(app, 'POST', '/api/verifier', { url: `  ${target.url.toUpperCase()}  ` });
    expect(response.status).toBe(200);
    expect(response.body.statut.url).toBe(`${target.url}/`);
  });
});
