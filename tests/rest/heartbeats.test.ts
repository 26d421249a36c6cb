// Heartbeat (push) monitors over REST: the ping URL and its /start and /fail, deadlines missed turning the monitor
// DOWN through the results and their triggers (one alert), a new token, the rate limit, and bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PINGS_PER_MINUTE } from '../../server/rest/ping-routes.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { call, createMoniteur, waitFor } from './support.ts';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(() => app?.close());

/** A heartbeat expected every `interval` s plus `grace` s. */
function heartbeat(overrides: Record<string, unknown> = {}) {
  return createMoniteur(app, {
    nom: 'nightly backup',
    type: 'push',
    intervalle_secondes: 60,
    delai_grace_secondes: 60,
    ...overrides,
  });
}

/** The path of a monitor's ping URL (the app's public URL is localhost, not the test port). */
const pingPath = (moniteur: { url_ping: string }) => new URL(moniteur.url_ping).pathname;

async function resultsOf(id: number): Promise<any[]> {
  const response = await call(app, 'GET', `/api/moniteurs/${id}/resultats?limit=100`);
  expect(response.status).toBe(200);
  return response.body.resultats;
}

async function alertsOf(id: number): Promise<Array<{ type: string }>> {
  const { rows } = await app.testDb.db.query<{ type: string }>(
    'SELECT type FROM monitoring.alertes WHERE moniteur_id = $1 ORDER BY id',
    [id],
  );
  return rows;
}

describe('heartbeat monitors', () => {
  it('get a secret ping URL under the public URL, and need no target', async () => {
    const moniteur = await heartbeat();
    expect(moniteur).toMatchObject({
      type: 'push',
      cible: 'heartbeat',
      delai_grace_secondes: 60,
      parametres_dns: null,
    });
    expect(moniteur.url_ping).toMatch(new RegExp(`^${app.config.publicUrl}/api/ping/[A-Za-z0-9_-]{32}$`));
    const other = await heartbeat();
    expect(other.url_ping).not.toBe(moniteur.url_ping);
    // Other kinds have none.
    const http = await createMoniteur(app, { nom: 'site', type: 'http', cible: 'http://127.0.0.1:9/', en_pause: true });
    expect(http.url_ping).toBeNull();
  });

  it('a ping (GET or POST) stores an UP result, the run duration as latency and the body as the message', async () => {
    const moniteur = await heartbeat();
    const ok = await app.request(pingPath(moniteur));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('OK\n');
    await waitFor('the UP result', async () => (await resultsOf(moniteur.id)).length === 1);
    const posted = await app.request(`${pingPath(moniteur)}?duree_ms=456`, {
      method: 'POST',
      body: 'x'.repeat(20_000),
    });
    expect(posted.status).toBe(200);
    const results = await waitFor('two results', async () => {
      const stored = await resultsOf(moniteur.id);
      return stored.length === 2 && stored;
    });
    expect(results[0]).toMatchObject({ est_disponible: true, latence_ms: 456, cause: null, erreur: null });
    const { rows } = await app.testDb.db.query<{ message: string }>(
      'SELECT message FROM monitoring.battements WHERE moniteur_id = $1',
      [moniteur.id],
    );
    expect(rows[0]!.message).toBe('x'.repeat(10_240));
    await waitFor(
      'UP',
      async () => (await call(app, 'GET', `/api/moniteurs/${moniteur.id}`)).body.moniteur.etat === 'UP',
    );
  });

  it('goes DOWN (cause timeout) once interval + grace pass without a ping, with one DOWN alert, and UP on the next ping', async () => {
    const moniteur = await heartbeat({ intervalle_secondes: 1, delai_grace_secondes: 1 });
    // A first ping: a monitor that was never UP goes DOWN without an alert, like any new monitor.
    const pingedAt = Date.now();
    expect((await app.request(pingPath(moniteur))).status).toBe(200);
    await waitFor(
      'the DOWN state',
      async () => (await call(app, 'GET', `/api/moniteurs/${moniteur.id}`)).body.moniteur.etat === 'DOWN',
      { timeoutMs: 8000 },
    );
    const [down] = await resultsOf(moniteur.id);
    expect(down).toMatchObject({ est_disponible: false, cause: 'timeout' });
    expect(down.erreur).toMatch(/^no ping since .* \(expected every 1 s \+ 1 s of grace\)$/);
    // Evaluated when missed, not a whole interval later (verifie_a is to the second).
    const late = Date.parse(down.verifie_a) - (pingedAt + 2000);
    expect(late).toBeGreaterThanOrEqual(-1000);
    expect(late).toBeLessThan(2000);
    expect(await alertsOf(moniteur.id)).toEqual([{ type: 'DOWN' }]);
    // Still late: more DOWN results, no second alert.
    await waitFor('a second DOWN result', async () => (await resultsOf(moniteur.id)).length >= 2, { timeoutMs: 5000 });
    expect(await alertsOf(moniteur.id)).toEqual([{ type: 'DOWN' }]);
    expect((await app.request(pingPath(moniteur))).status).toBe(200);
    await waitFor('the UP alert', async () => (await alertsOf(moniteur.id)).length === 2);
    expect(await alertsOf(moniteur.id)).toEqual([{ type: 'DOWN' }, { type: 'UP' }]);
  });

  it('a /start without a success within the grace is DOWN with cause timeout; a success after it measures the run', async () => {
    const moniteur = await heartbeat({ intervalle_secondes: 3600, delai_grace_secondes: 1 });
    // By then the scheduler has looked at the new monitor and waits for its regular deadline, an hour off: only the
    // start's notification brings the run's deadline forward.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await app.request(`${pingPath(moniteur)}/start`, { method: 'POST' })).status).toBe(200);
    const [down] = await waitFor(
      'the DOWN result',
      async () => {
        const stored = await resultsOf(moniteur.id);
        return stored.length > 0 && stored;
      },
      { timeoutMs: 5000 },
    );
    expect(down).toMatchObject({ est_disponible: false, cause: 'timeout' });
    expect(down.erreur).toMatch(/not finished within the grace of 1 s/);
    // A start then a success: the time between them is the latency.
    expect((await app.request(`${pingPath(moniteur)}/start`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await app.request(pingPath(moniteur))).status).toBe(200);
    const [up] = await waitFor('the UP result', async () => {
      const stored = await resultsOf(moniteur.id);
      return stored[0]?.est_disponible && stored;
    });
    expect(up.latence_ms).toBeGreaterThanOrEqual(300);
    expect(up.latence_ms).toBeLessThan(5000);
  });

  it('/fail is DOWN at once, its body as the error', async () => {
    const moniteur = await heartbeat();
    expect((await app.request(pingPath(moniteur))).status).toBe(200);
    await waitFor('UP', async () => (await resultsOf(moniteur.id)).length === 1);
    const response = await app.request(`${pingPath(moniteur)}/fail`, { method: 'POST', body: 'disk full' });
    expect(response.status).toBe(200);
    const [down] = await waitFor('the DOWN result', async () => {
      const stored = await resultsOf(moniteur.id);
      return stored.length > 1 && stored;
    });
    expect(down).toMatchObject({ est_disponible: false, cause: 'heartbeat_fail', erreur: 'disk full' });
    await waitFor('the DOWN alert', async () => (await alertsOf(moniteur.id)).length === 1);
  });

  it('an unknown token is a bare 404, and regenerating the token retires the old URL', async () => {
    const unknown = await call(app, 'GET', '/api/ping/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(unknown).toMatchObject({ status: 404, body: { erreur: 'not found' } });
    const moniteur = await heartbeat();
    const renewed = await call(app, 'POST', `/api/moniteurs/${moniteur.id}/jeton-ping`);
    expect(renewed.status).toBe(200);
    expect(renewed.body.moniteur.url_ping).not.toBe(moniteur.url_ping);
    const old = await call(app, 'GET', pingPath(moniteur));
    expect(old).toMatchObject({ status: 404, body: { erreur: 'not found' } });
    expect((await app.request(pingPath(renewed.body.moniteur))).status).toBe(200);
    // A monitor of another kind has no token to renew.
    const http = await createMoniteur(app, { nom: 'site', type: 'http', cible: 'http://127.0.0.1:9/', en_pause: true });
    expect((await call(app, 'POST', `/api/moniteurs/${http.id}/jeton-ping`)).status).toBe(404);
    // Deleted: its URL is gone too.
    expect((await call(app, 'DELETE', `/api/moniteurs/${moniteur.id}`)).status).toBe(204);
    expect((await call(app, 'GET', pingPath(renewed.body.moniteur))).status).toBe(404);
  });

  it('limits pings per token', async () => {
    const moniteur = await heartbeat({ en_pause: true });
    for (let i = 0; i < PINGS_PER_MINUTE; i++) expect((await app.request(pingPath(moniteur))).status).toBe(200);
    const refused = await call(app, 'GET', pingPath(moniteur));
    expect(refused.status).toBe(429);
    expect(refused.body.erreur).toMatch(/too many pings/);
    // Another token is not held back.
    const other = await heartbeat({ en_pause: true });
    expect((await app.request(pingPath(other))).status).toBe(200);
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ nom: 'x', type: 'push', delai_grace_secondes: -1 }, /delai_grace_secondes/],
      [{ nom: 'x', type: 'push', delai_grace_secondes: 'soon' }, /delai_grace_secondes/],
      [{ nom: 'x', type: 'cron' }, /type: must be one of http, tcp, icmp, push, dns/],
      [{ nom: 'x', type: 'http' }, /cible: is required/],
      // Evaluated in one location: several locations, or a quorum of them, cannot be.
      [
        { nom: 'x', type: 'push', emplacements: ['a', 'b'] },
        /^emplacements: a heartbeat monitor is evaluated in one location/,
      ],
      [{ nom: 'x', type: 'push', quorum: 2 }, /^quorum: must be 1 for a heartbeat monitor/],
    ];
    for (const [body, message] of cases) {
      const response = await call(app, 'POST', '/api/moniteurs', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.erreur).toMatch(message);
    }
    const moniteur = await heartbeat();
    const badDuration = await call(app, 'GET', `${pingPath(moniteur)}?duree_ms=abc`);
    expect(badDuration.status).toBe(400);
    expect(badDuration.body.erreur).toMatch(/duree_ms/);
  });
});
