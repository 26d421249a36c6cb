// GET /api/etat: health of the server, its database and its scheduler.
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import type { Db } from '../../server/db/index.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { testDbKind } from '../helpers/db.ts';
import { silentLogger } from '../helpers/logger.ts';
import { startHttpTarget, type HttpTarget } from '../helpers/targets.ts';
import { activeMonitors, call, createMoniteur, moniteurBody, waitFor } from './support.ts';

let app: TestApp;
let target: HttpTarget;

beforeAll(async () => {
  [app, target] = await Promise.all([startTestApp(), startHttpTarget()]);
});

afterAll(async () => {
  await Promise.all([app?.close(), target?.close()]);
});

describe('GET /api/etat', () => {
  it('reports the server and its database as ok', async () => {
    const started = Date.now();
    const response = await call(app, 'GET', '/api/etat');
    expect(response.status).toBe(200);
    const body = response.body;
    expect(body.statut).toBe('ok');
    expect(body.base_de_donnees.statut).toBe('ok');
    expect(body.base_de_donnees.type).toBe(testDbKind);
    expect(typeof body.base_de_donnees.latence_ms).toBe('number');
    expect(body.base_de_donnees.latence_ms).toBeGreaterThanOrEqual(0);
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Date.parse(body.demarre_a)).toBeLessThanOrEqual(started);
    expect(body.planificateur).toEqual({
      moniteurs_actifs: 0,
      verifications_en_cours: expect.any(Number),
      verifications_en_attente: 0,
      sature: false,
      verifications_en_retard: 0,
      retard_max_secondes: 0,
      limite_par: [],
      hotes_satures: [],
    });
    expect(body.resultats).toEqual({
      en_attente: expect.any(Number),
      perdus: 0,
      refuses: 0,
      ecartes: 0,
      ecritures_en_panne: false,
    });
  });

  it('lists the live instances under "instances", with the monitors each checks', async () => {
    const monitor = await createMoniteur(app, moniteurBody(`${target.url}/`));
    try {
      await waitFor('the heartbeat to report the monitor', async () => {
        const { instances } = (await call(app, 'GET', '/api/etat')).body;
        return instances.length === 1 && instances[0].moniteurs === 1;
      });
      const { instances } = (await call(app, 'GET', '/api/etat')).body;
      expect(instances).toEqual([
        {
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          nom: hostname(),
          emplacement: 'default',
          version: expect.stringMatching(/^\d+\.\d+\.\d+/),
          demarre_a: expect.any(String),
          vu_a: expect.any(String),
          moniteurs: 1,
        },
      ]);
    } finally {
      expect((await call(app, 'DELETE', `/api/moniteurs/${monitor.id}`)).status).toBe(204);
    }
  });

  it('counts the monitors the scheduler runs: created, paused, resumed, deleted', async () => {
    const monitor = await createMoniteur(app, moniteurBody(`${target.url}/`));
    await waitFor('the new monitor to be scheduled', async () => (await activeMonitors(app)) === 1);
    expect((await call(app, 'POST', `/api/moniteurs/${monitor.id}/pause`)).status).toBe(200);
    await waitFor('the paused monitor to leave the scheduler', async () => (await activeMonitors(app)) === 0);
    expect((await call(app, 'POST', `/api/moniteurs/${monitor.id}/reprise`)).status).toBe(200);
    await waitFor('the resumed monitor to come back', async () => (await activeMonitors(app)) === 1);
    expect((await call(app, 'DELETE', `/api/moniteurs/${monitor.id}`)).status).toBe(204);
    await waitFor('the deleted monitor to leave the scheduler', async () => (await activeMonitors(app)) === 0);
  });

  it('rejects other methods with 405 and says which one is allowed', async () => {
    const response = await call(app, 'POST', '/api/etat', {});
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(response.body.erreur).toMatch(/POST/);
  });
});

describe('GET /api/etat with its database unreachable', () => {
  it('answers 503 with the database marked unreachable, without leaking the driver message', async () => {
    // A second server on the same database, except that its pings fail while `reachable` is false.
    const real = app.testDb.db;
    let reachable = true;
    const secret = 'postgres://vigie:s3cr3t-password@db.internal:5432/vigie';
    // Both drivers' methods are closures (no `this`), so a spread copy keeps them working.
    const flaky: Db = {
      ...real,
      ping: async () => {
        if (!reachable) throw new Error(`connect ECONNREFUSED ${secret}`);
        return real.ping();
      },
      close: async () => undefined, // the first app owns the database
    };
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1' });
    const sick = await startApp(config, silentLogger(), { db: flaky });
    try {
      expect((await fetch(`${sick.url}/api/etat`)).status).toBe(200);
      reachable = false;
      const response = await fetch(`${sick.url}/api/etat`);
      const text = await response.text();
      expect(response.status).toBe(503);
      expect(text).not.toContain('s3cr3t');
      const body = JSON.parse(text);
      expect(body.statut).toBe('degrade');
      expect(body.base_de_donnees).toEqual({ statut: 'injoignable', type: testDbKind, raison: 'unreachable' });
      reachable = true;
      expect((await fetch(`${sick.url}/api/etat`)).status).toBe(200);
    } finally {
      await sick.stop();
    }
  });
});

describe('GET /api/etat with a database that does not answer', () => {
  it('answers within a second, degraded, with the reason', async () => {
    // A ping stuck forever (a hung connection, a server that accepts but never answers).
    const hung: Db = {
      ...app.testDb.db,
      ping: () => new Promise<number>(() => undefined),
      close: async () => undefined,
    };
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1' });
    const sick = await startApp(config, silentLogger(), { db: hung });
    try {
      const started = performance.now();
      const response = await fetch(`${sick.url}/api/etat`, { signal: AbortSignal.timeout(10_000) });
      const ms = performance.now() - started;
      expect(response.status).toBe(503);
      const body = await response.json();
      expect(body.statut).toBe('degrade');
      expect(body.base_de_donnees).toEqual({
        statut: 'injoignable',
        type: testDbKind,
        raison: 'no answer within 750 ms',
      });
      expect(ms).toBeLessThan(1_000);
    } finally {
      await sick.stop();
    }
  });
});
