// When PostgreSQL is stuck behind a lock or gone, API requests answer 503 / DATABASE_UNAVAILABLE quickly and
// /api/etat keeps answering within a second; once the database is back, requests work again. On a private
// cluster: these tests lock and stop the server.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../server/app.ts';
import { REFUSED_QUERIES_WINDOW_MS } from '../../server/health.ts';
import { testConfig } from '../helpers/app.ts';
import { silentLogger } from '../helpers/logger.ts';
import { type PrivateCluster, startPrivateCluster } from '../helpers/private-cluster.ts';

const STATEMENT_TIMEOUT_MS = 1_500;
const LOCK_TIMEOUT_MS = 1_000;
const ACQUIRE_TIMEOUT_MS = 1_000;
/** Scheduling noise on a shared two-core machine. */
const SLACK_MS = 1_000;

let cluster: PrivateCluster;
let app: App;

beforeAll(async () => {
  cluster = await startPrivateCluster();
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query('CREATE DATABASE vigie');
  await admin.end();
  const config = testConfig({
    DATABASE_URL: cluster.urlFor('vigie'),
    BASE_TIMEOUT_REQUETE_MS: String(STATEMENT_TIMEOUT_MS),
    BASE_TIMEOUT_VERROU_MS: String(LOCK_TIMEOUT_MS),
    BASE_TIMEOUT_CONNEXION_MS: String(ACQUIRE_TIMEOUT_MS),
  });
  app = await startApp(config, silentLogger());
});

afterAll(async () => {
  await app?.stop();
  await cluster?.destroy();
});

async function timed(path: string, init?: RequestInit) {
  const started = performance.now();
  const response = await fetch(app.url + path, { ...init, signal: AbortSignal.timeout(15_000) });
  const text = await response.text();
  return { response, body: JSON.parse(text), ms: performance.now() - started };
}

const graphql = (query: string) =>
  timed('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });

/** Holds ACCESS EXCLUSIVE on monitoring.statuts from another session while `fn` runs. */
async function withStatutsLocked(fn: () => Promise<void>): Promise<void> {
  const locker = new pg.Client({ connectionString: cluster.urlFor('vigie') });
  await locker.connect();
  try {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE monitoring.statuts IN ACCESS EXCLUSIVE MODE');
    await fn();
  } finally {
    await locker.query('ROLLBACK').catch(() => undefined);
    await locker.end();
  }
}

describe('a table locked by another session', () => {
  it('answers REST and GraphQL reads with 503 / DATABASE_UNAVAILABLE within the lock timeout', async () => {
    await withStatutsLocked(async () => {
      const rest = await timed('/api/resultats?limit=5');
      expect(rest.response.status).toBe(503);
      expect(rest.response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(rest.body).toEqual({ erreur: 'base de données indisponible' });
      expect(rest.ms).toBeLessThan(LOCK_TIMEOUT_MS + SLACK_MS);

      const gql = await graphql('{ results(first: 5) { nodes { id } } }');
      expect(gql.body.errors?.[0]?.extensions?.code).toBe('DATABASE_UNAVAILABLE');
      expect(gql.ms).toBeLessThan(LOCK_TIMEOUT_MS + SLACK_MS);
    });
  });

  it('keeps /api/etat under a second while stuck requests hold every API connection', async () => {
    await withStatutsLocked(async () => {
      // More waiting requests than the API pool has connections (10).
      const stuck = Array.from({ length: 14 }, () => timed('/api/resultats?limit=5'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      const etat = await timed('/api/etat');
      expect(etat.ms).toBeLessThan(1_000);
      // The server's own work (result writes, scheduling) has connections of its own.
      const started = performance.now();
      await app.db.background.query('SELECT count(*) FROM monitoring.moniteurs');
      expect(performance.now() - started).toBeLessThan(500);
      for (const request of await Promise.all(stuck)) {
        expect(request.response.status).toBe(503);
        // At worst: wait for a connection, then for the lock.
        expect(request.ms).toBeLessThan(ACQUIRE_TIMEOUT_MS + LOCK_TIMEOUT_MS + SLACK_MS);
      }
      // The database answers its ping, but queries were refused: degraded, saying why.
      const degraded = await timed('/api/etat');
      expect(degraded.ms).toBeLessThan(1_000);
      expect(degraded.response.status).toBe(503);
      expect(degraded.body.statut).toBe('degrade');
      expect(degraded.body.base_de_donnees).toEqual({
        statut: 'lente',
        type: 'postgres',
        latence_ms: expect.any(Number),
        raison: expect.stringMatching(/^queries refused within the last 10 s: /),
      });
    });
    // The lock gone, reads work again.
    expect((await timed('/api/resultats?limit=5')).response.status).toBe(200);
  });
});

describe('the database server stopped', () => {
  it('answers 503 with Retry-After, DATABASE_UNAVAILABLE, a degraded /api/etat, and recovers when it is back', async () => {
    expect((await timed('/api/resultats?limit=5')).response.status).toBe(200);
    await cluster.stop();
    try {
      const rest = await timed('/api/resultats?limit=5');
      expect(rest.response.status).toBe(503);
      expect(rest.response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(rest.body).toEqual({ erreur: 'base de données indisponible' });
      expect(rest.ms).toBeLessThan(ACQUIRE_TIMEOUT_MS + SLACK_MS);

      const gql = await graphql('{ results(first: 5) { nodes { id } } }');
      expect(gql.body.errors?.[0]?.extensions?.code).toBe('DATABASE_UNAVAILABLE');

      const etat = await timed('/api/etat');
      expect(etat.ms).toBeLessThan(1_000);
      expect(etat.response.status).toBe(503);
      expect(etat.body.statut).toBe('degrade');
      expect(etat.body.base_de_donnees).toMatchObject({ statut: 'injoignable', type: 'postgres' });
      expect(etat.body.base_de_donnees.raison).toEqual(expect.any(String));

      const health = await graphql('{ health { ok database { ok reason } } }');
      expect(health.ms).toBeLessThan(1_000);
      expect(health.body.data.health).toEqual({ ok: false, database: { ok: false, reason: expect.any(String) } });
    } finally {
      await cluster.start();
    }
    // Connections broken by the stop are replaced: within a few seconds everything answers again.
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await timed('/api/resultats?limit=5')).response.status;
      if (status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(status).toBe(200);
    expect((await graphql('{ results(first: 5) { nodes { id } } }')).body.errors).toBeUndefined();
    // Degraded while queries refused during the outage are recent, then ok.
    await expect
      .poll(async () => (await timed('/api/etat')).body.statut, { timeout: REFUSED_QUERIES_WINDOW_MS + SLACK_MS })
      .toBe('ok');
    expect((await timed('/api/etat')).response.status).toBe(200);
  });
});
