// /api/moniteurs CRUD, pause/resume, and the scheduler applying every change without a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertResults } from '../../server/results/index.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { result } from '../helpers/factories.ts';
import { startHttpTarget, startTcpTarget, type HttpTarget, type TcpTarget } from '../helpers/targets.ts';
import { call, counts, createMoniteur, ISO_SECONDS, moniteurBody, STATUT_KEYS, waitFor } from './support.ts';

const MONITEUR_KEYS = [
  'cible',
  'cree_a',
  'derniere_verification_a',
  'en_pause',
  'etat',
  'etiquettes',
  'id',
  'intervalle_secondes',
  'modifie_a',
  'nom',
  'parametres_http',
  'seuil_lent_ms',
  'tentatives',
  'timeout_secondes',
  'type',
];
const DEFAULT_HTTP = {
  methode: 'GET',
  entetes: {},
  corps: null,
  codes_attendus: '200-399',
  suivre_redirections: true,
  mot_cle: null,
  mot_cle_regex: false,
  mot_cle_absent: false,
  ignorer_erreurs_tls: false,
};

let app: TestApp;
let target: HttpTarget;
let tcp: TcpTarget;

beforeAll(async () => {
  [app, target, tcp] = await Promise.all([startTestApp(), startHttpTarget(), startTcpTarget()]);
});

afterAll(async () => {
  await Promise.all([app?.close(), target?.close(), tcp?.close()]);
});

async function row(id: number): Promise<any> {
  const { rows } = await app.testDb.db.query(`SELECT * FROM monitoring.moniteurs WHERE id = $1`, [id]);
  return rows[0];
}

async function alertTypes(id: number): Promise<string[]> {
  const { rows } = await app.testDb.db.query<{ type: string }>(
    `SELECT type FROM monitoring.alertes WHERE moniteur_id = $1 ORDER BY id`,
    [id],
  );
  return rows.map((r) => r.type);
}

const getMoniteur = async (id: number) => (await call(app, 'GET', `/api/moniteurs/${id}`)).body.moniteur;

describe('monitor CRUD', () => {
  it('creates a monitor (201) with every setting, and stores it', async () => {
    const response = await call(app, 'POST', '/api/moniteurs', {
      nom: 'Site public',
      type: 'http',
      cible: target.url,
      intervalle_secondes: 30,
      timeout_secondes: 5,
      tentatives: 2,
      seuil_lent_ms: 500,
      en_pause: true,
      etiquettes: ['prod', 'web', 'prod'],
      parametres_http: { methode: 'HEAD', codes_attendus: '200-299,301', entetes: { 'X-Probe': 'vigie' } },
    });
    expect(response.status).toBe(201);
    expect(Object.keys(response.body)).toEqual(['moniteur']);
    const moniteur = response.body.moniteur;
    // Later settings may add keys; these ones are the contract.
    expect(Object.keys(moniteur)).toEqual(expect.arrayContaining(MONITEUR_KEYS));
    expect(moniteur).toMatchObject({
      nom: 'Site public',
      type: 'http',
      cible: `${target.url}/`,
      intervalle_secondes: 30,
      timeout_secondes: 5,
      tentatives: 2,
      seuil_lent_ms: 500,
      en_pause: true,
      etat: 'PAUSED',
      etiquettes: ['prod', 'web'],
      derniere_verification_a: null,
      parametres_http: {
        ...DEFAULT_HTTP,
        methode: 'HEAD',
        codes_attendus: '200-299,301',
        entetes: { 'X-Probe': 'vigie' },
      },
    });
    expect(Number.isInteger(moniteur.id)).toBe(true);
    expect(Date.parse(moniteur.cree_a)).not.toBeNaN();

    const stored = await row(moniteur.id);
    expect(stored).toMatchObject({
      nom: 'Site public',
      type: 'http',
      cible: `${target.url}/`,
      intervalle_secondes: 30,
      tentatives: 2,
      en_pause: true,
      etiquettes: ['prod', 'web'],
    });
    expect(stored.parametres_http).toMatchObject({
      method: 'HEAD',
      expectedStatus: [
        [200, 299],
        [301, 301],
      ],
    });
  });

  it('fills in the defaults for what is omitted', async () => {
    const moniteur = await createMoniteur(app, {
      nom: 'Minimal',
      type: 'tcp',
      cible: `127.0.0.1:${tcp.port}`,
      en_pause: true,
    });
    expect(moniteur).toMatchObject({
      intervalle_secondes: 60,
      timeout_secondes: 10,
      tentatives: 1,
      seuil_lent_ms: 800,
      etiquettes: [],
      parametres_http: DEFAULT_HTTP,
    });
    // A default timeout shrinks to fit a short interval.
    const fast = await createMoniteur(app, moniteurBody(`${target.url}/`, { intervalle_secondes: 2, en_pause: true }));
    expect(fast.timeout_secondes).toBeCloseTo(1.6);
  });

  it('lists monitors and reads one', async () => {
    const created = await createMoniteur(app, moniteurBody(`${target.url}/list`, { nom: 'listed', en_pause: true }));
    const list = await call(app, 'GET', '/api/moniteurs');
    expect(list.status).toBe(200);
    expect(Object.keys(list.body)).toEqual(['moniteurs']);
    expect(list.body.moniteurs).toContainEqual(created);
    const ids = list.body.moniteurs.map((m: { id: number }) => m.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));

    const one = await call(app, 'GET', `/api/moniteurs/${created.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual({ moniteur: created });
  });

  it('PUT replaces every setting (omitted ones go back to their defaults)', async () => {
    const created = await createMoniteur(
      app,
      moniteurBody(`${target.url}/`, {
        tentatives: 3,
        etiquettes: ['a'],
        en_pause: true,
        parametres_http: { methode: 'POST', corps: '{}' },
      }),
    );
    const response = await call(app, 'PUT', `/api/moniteurs/${created.id}`, {
      nom: 'replaced',
      type: 'tcp',
      cible: `127.0.0.1:${tcp.port}`,
      en_pause: true,
    });
    expect(response.status).toBe(200);
    const replaced = response.body.moniteur;
    expect(replaced).toMatchObject({
      id: created.id,
      nom: 'replaced',
      type: 'tcp',
      cible: `127.0.0.1:${tcp.port}`,
      tentatives: 1,
      etiquettes: [],
      intervalle_secondes: 60,
      parametres_http: DEFAULT_HTTP,
      cree_a: created.cree_a,
    });
    expect(Date.parse(replaced.modifie_a)).toBeGreaterThanOrEqual(Date.parse(created.modifie_a));
    expect(await row(created.id)).toMatchObject({ nom: 'replaced', type: 'tcp', tentatives: 1, etiquettes: [] });
    expect(await getMoniteur(created.id)).toEqual(replaced);
  });

  it('PATCH changes only the given fields, parametres_http included', async () => {
    const created = await createMoniteur(
      app,
      moniteurBody(`${target.url}/`, {
        tentatives: 3,
        etiquettes: ['a'],
        en_pause: true,
        timeout_secondes: 4,
        parametres_http: { methode: 'HEAD', codes_attendus: '200,204', suivre_redirections: false },
      }),
    );
    const { modifie_a: _ignored, ...unchanged } = created;

    const renamed = await call(app, 'PATCH', `/api/moniteurs/${created.id}`, { nom: 'renamed' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.moniteur).toEqual({ ...unchanged, nom: 'renamed', modifie_a: expect.any(String) });

    const keyword = await call(app, 'PATCH', `/api/moniteurs/${created.id}`, { parametres_http: { mot_cle: 'OK' } });
    expect(keyword.status).toBe(200);
    expect(keyword.body.moniteur.parametres_http).toEqual({
      ...created.parametres_http,
      mot_cle: 'OK',
    });
    expect(keyword.body.moniteur).toMatchObject({
      nom: 'renamed',
      tentatives: 3,
      etiquettes: ['a'],
      timeout_secondes: 4,
    });
    expect((await row(created.id)).parametres_http).toMatchObject({
      method: 'HEAD',
      keyword: 'OK',
      followRedirects: false,
    });

    const nothing = await call(app, 'PATCH', `/api/moniteurs/${created.id}`, {});
    expect(nothing.status).toBe(200);
    expect(nothing.body.moniteur).toEqual({ ...keyword.body.moniteur, modifie_a: expect.any(String) });
  });

  it('pause and reprise toggle en_pause and the PAUSED state', async () => {
    const created = await createMoniteur(app, moniteurBody(`${target.url}/`, { nom: 'pausable' }));
    expect(created).toMatchObject({ en_pause: false, etat: 'PENDING' });

    const paused = await call(app, 'POST', `/api/moniteurs/${created.id}/pause`);
    expect(paused.status).toBe(200);
    expect(paused.body.moniteur).toMatchObject({ id: created.id, en_pause: true, etat: 'PAUSED' });
    expect((await row(created.id)).en_pause).toBe(true);
    // Pausing twice is harmless.
    expect((await call(app, 'POST', `/api/moniteurs/${created.id}/pause`)).body.moniteur.en_pause).toBe(true);

    const resumed = await call(app, 'POST', `/api/moniteurs/${created.id}/reprise`);
    expect(resumed.status).toBe(200);
    expect(resumed.body.moniteur.en_pause).toBe(false);
    expect(resumed.body.moniteur.etat).not.toBe('PAUSED');
    expect((await row(created.id)).en_pause).toBe(false);
    await call(app, 'DELETE', `/api/moniteurs/${created.id}`);
  });

  it('DELETE answers 204 with no body, then the monitor is gone (404) with its results', async () => {
    const created = await createMoniteur(app, moniteurBody(`${target.url}/`, { nom: 'doomed', en_pause: true }));
    await insertResults(app.testDb.db, [
      result(created.id, true, { httpStatus: null, latencyMs: 1, checkedAt: new Date(), target: 'x' }),
    ]);
    const response = await app.request(`/api/moniteurs/${created.id}`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(await row(created.id)).toBeUndefined();
    const { rows } = await app.testDb.db.query(`SELECT 1 FROM monitoring.statuts WHERE moniteur_id = $1`, [created.id]);
    expect(rows).toHaveLength(0);
    for (const [method, path] of [
      ['GET', ''],
      ['DELETE', ''],
      ['POST', '/pause'],
      ['GET', '/resultats'],
    ]) {
      const gone = await call(app, method!, `/api/moniteurs/${created.id}${path}`);
      expect(gone.status, `${method} ${path}`).toBe(404);
      expect(gone.body.erreur).toMatch(new RegExp(`monitor ${created.id} does not exist`));
    }
  });
});

describe('monitors at work', () => {
  it('checks a monitor every second and shows its results, newest first', async () => {
    const created = await createMoniteur(
      app,
      moniteurBody(`${target.url}/status/200`, { nom: 'every second', intervalle_secondes: 1 }),
    );
    expect(created.timeout_secondes).toBeCloseTo(0.8);
    const resultats = await waitFor('two results', async () => {
      const { body } = await call(app, 'GET', `/api/moniteurs/${created.id}/resultats`);
      return body.resultats.length >= 2 ? body.resultats : null;
    });
    for (const resultat of resultats) {
      expect(Object.keys(resultat)).toEqual(
        expect.arrayContaining([...STATUT_KEYS, 'id', 'moniteur_id', 'cause', 'erreur']),
      );
      expect(resultat).toMatchObject({
        moniteur_id: created.id,
        est_disponible: true,
        code_http: 200,
        cause: null,
        erreur: null,
        url: `${target.url}/status/200`,
      });
      expect(resultat.verifie_a).toMatch(ISO_SECONDS);
      expect(resultat.duree_connexion_ms).toEqual(expect.any(Number));
    }
    expect(resultats[0].id).toBeGreaterThan(resultats[1].id);
    const limited = await call(app, 'GET', `/api/moniteurs/${created.id}/resultats?limit=1`);
    expect(limited.body.resultats).toEqual([expect.objectContaining({ id: expect.any(Number) })]);
    expect(limited.body.resultats[0].id).toBeGreaterThanOrEqual(resultats[0].id);

    const moniteur = await getMoniteur(created.id);
    expect(moniteur.etat).toBe('UP');
    expect(moniteur.derniere_verification_a).not.toBeNull();
    await call(app, 'DELETE', `/api/moniteurs/${created.id}`);
  });

  it('writes a DOWN alert when the target fails and an UP alert when it recovers', async () => {
    const flaky = await startHttpTarget();
    try {
      const created = await createMoniteur(
        app,
        moniteurBody(`${flaky.url}/`, { nom: 'flaky', intervalle_secondes: 1 }),
      );
      await waitFor('the monitor to be UP', async () => (await getMoniteur(created.id)).etat === 'UP');
      expect(await alertTypes(created.id)).toEqual([]);

      flaky.setStatus(500);
      await waitFor('a DOWN alert', async () => (await alertTypes(created.id)).length === 1);
      expect(await alertTypes(created.id)).toEqual(['DOWN']);
      const { rows } = await app.testDb.db.query<any>(`SELECT cause FROM monitoring.alertes WHERE moniteur_id = $1`, [
        created.id,
      ]);
      expect(rows[0].cause).toMatch(/500/);
      expect((await getMoniteur(created.id)).etat).toBe('DOWN');

      flaky.setStatus(200);
      await waitFor('an UP alert', async () => (await alertTypes(created.id)).length === 2);
      expect(await alertTypes(created.id)).toEqual(['DOWN', 'UP']);
      expect((await getMoniteur(created.id)).etat).toBe('UP');
      await call(app, 'DELETE', `/api/moniteurs/${created.id}`);
    } finally {
      await flaky.close();
    }
  });

  it('applies an edit of the target at once, without a restart', async () => {
    const [before, after] = await Promise.all([startHttpTarget(), startHttpTarget()]);
    try {
      const created = await createMoniteur(
        app,
        moniteurBody(`${before.url}/`, { nom: 'moving', intervalle_secondes: 1 }),
      );
      await waitFor('the first target to be checked', () => before.requests > 0);
      const patched = await call(app, 'PATCH', `/api/moniteurs/${created.id}`, { cible: `${after.url}/` });
      expect(patched.status).toBe(200);
      expect(patched.body.moniteur.cible).toBe(`${after.url}/`);

      await waitFor('the new target to be checked', () => after.requests > 0);
      await waitFor('a stored result for the new target', async () => {
        const { rows } = await app.testDb.db.query(
          `SELECT 1 FROM monitoring.statuts WHERE moniteur_id = $1 AND url = $2`,
          [created.id, `${after.url}/`],
        );
        return rows.length > 0;
      });
      // Once the new target is checked, the old one hears nothing more.
      const oldRequests = before.requests;
      const seenByNew = after.requests;
      await waitFor('one more check of the new target', () => after.requests > seenByNew, { timeoutMs: 3000 });
      expect(before.requests).toBe(oldRequests);
      await call(app, 'DELETE', `/api/moniteurs/${created.id}`);
    } finally {
      await Promise.all([before.close(), after.close()]);
    }
  });

  it('keeps the row counts consistent: one state row per monitor', async () => {
    const c = await counts(app);
    expect(c.etats_moniteurs).toBe(c.moniteurs);
  });
});
