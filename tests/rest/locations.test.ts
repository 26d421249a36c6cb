// Locations through REST: a monitor's emplacements and quorum, each result's emplacement, and the results and
// statistics of one location (?emplacement=); the original `statut` object keeps its exact keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertResults } from '../../server/results/index.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { result } from '../helpers/factories.ts';
import { call, createMoniteur, moniteurBody, STATUT_KEYS } from './support.ts';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(async () => {
  await app?.close();
});

describe('locations and quorum in REST', () => {
  let id: number;

  it('creates a monitor checked from named locations with a quorum, and shows them', async () => {
    const created = await createMoniteur(
      app,
      moniteurBody('http://127.0.0.1:9/', { en_pause: true, emplacements: ['paris', 'tokyo', 'lima'], quorum: 2 }),
    );
    expect(created).toMatchObject({ emplacements: ['paris', 'tokyo', 'lima'], quorum: 2 });
    id = created.id;
    const shown = await call(app, 'GET', `/api/moniteurs/${id}`);
    expect(shown.body.moniteur).toMatchObject({ emplacements: ['paris', 'tokyo', 'lima'], quorum: 2 });
  });

  it('defaults to every location and a quorum of 1; an empty list names every location', async () => {
    const plain = await createMoniteur(app, moniteurBody('http://127.0.0.1:9/', { en_pause: true }));
    expect(plain).toMatchObject({ emplacements: null, quorum: 1 });
    const empty = await createMoniteur(app, moniteurBody('http://127.0.0.1:9/', { en_pause: true, emplacements: [] }));
    expect(empty.emplacements).toBeNull();
  });

  it('PATCH changes the locations, refusing a quorum the new list cannot reach', async () => {
    const refused = await call(app, 'PATCH', `/api/moniteurs/${id}`, { emplacements: ['paris'] });
    expect(refused.status).toBe(400);
    expect(refused.body.erreur).toMatch(/^quorum: must be at most the number of locations named \(1\), got 2/);
    const changed = await call(app, 'PATCH', `/api/moniteurs/${id}`, { emplacements: ['paris', 'tokyo'] });
    expect(changed.status).toBe(200);
    expect(changed.body.moniteur).toMatchObject({ emplacements: ['paris', 'tokyo'], quorum: 2 });
    const everywhere = await call(app, 'PATCH', `/api/moniteurs/${id}`, { emplacements: null });
    expect(everywhere.body.moniteur).toMatchObject({ emplacements: null, quorum: 2 });
  });

  it('gives each result its emplacement, and the results and statistics of one location', async () => {
    const now = Date.now();
    await insertResults(app.testDb.db, [
      result(id, true, { location: 'paris', checkedAt: new Date(now - 3_000), latencyMs: 10 }),
      result(id, false, { location: 'tokyo', checkedAt: new Date(now - 2_000), latencyMs: 500 }),
      result(id, true, { location: 'tokyo', checkedAt: new Date(now - 1_000), latencyMs: 30 }),
    ]);
    const all = await call(app, 'GET', `/api/moniteurs/${id}/resultats`);
    expect(all.body.resultats.map((r: { emplacement: string }) => r.emplacement)).toEqual(['tokyo', 'tokyo', 'paris']);
    const tokyo = await call(app, 'GET', `/api/moniteurs/${id}/resultats?emplacement=tokyo`);
    expect(tokyo.body.resultats).toHaveLength(2);
    expect(new Set(tokyo.body.resultats.map((r: { emplacement: string }) => r.emplacement))).toEqual(
      new Set(['tokyo']),
    );

    const latest = await call(app, 'GET', '/api/resultats?emplacement=paris');
    expect(latest.body.resultats).toHaveLength(1);
    // The original service's object, exactly.
    expect(Object.keys(latest.body.resultats[0]).sort()).toEqual(STATUT_KEYS);

    const stats = await call(app, 'GET', `/api/moniteurs/${id}/stats?fenetre=1h&emplacement=tokyo`);
    expect(stats.status).toBe(200);
    expect(stats.body.stats).toMatchObject({ verifications: 2, echecs: 1 });
    const every = await call(app, 'GET', `/api/moniteurs/${id}/stats?fenetre=1h`);
    expect(every.body.stats).toMatchObject({ verifications: 3, echecs: 1 });
  });

  it('refuses a location filter longer than a location can be', async () => {
    const response = await call(app, 'GET', `/api/resultats?emplacement=${'x'.repeat(101)}`);
    expect(response.status).toBe(400);
    expect(response.body.erreur).toMatch(/^emplacement: must be at most 100 characters/);
  });

  it('lists no gone location in GET /api/etat while this one is alive', async () => {
    const etat = await call(app, 'GET', '/api/etat');
    expect(etat.body.emplacements_disparus).toEqual([]);
  });
});
