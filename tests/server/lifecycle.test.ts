// The service as a process: starts on the configured database, keeps its data across restarts, and on
// SIGTERM finishes the check in flight, stores it and exits within TIMEOUT_ARRET_SERVEUR_SECONDES.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openEmbedded } from '../../server/db/embedded.ts';
import { createTestDb, testDbKind, type TestDb } from '../helpers/db.ts';
import { startServiceProcess } from '../helpers/process.ts';
import { startHttpTarget, type HttpTarget } from '../helpers/targets.ts';

let target: HttpTarget;
let testDb: TestDb | null = null;
let dataDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  target = await startHttpTarget();
  dataDir = mkdtempSync(join(tmpdir(), 'vigie-lifecycle-'));
  if (testDbKind === 'postgres') {
    testDb = await createTestDb();
    env = { DATABASE_URL: testDb.url!, TIMEOUT_ARRET_SERVEUR_SECONDES: '5' };
  } else {
    env = { DATABASE_URL: '', DATA_DIR: dataDir, TIMEOUT_ARRET_SERVEUR_SECONDES: '5' };
  }
});
afterAll(async () => {
  await target.close();
  await testDb?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function countResults(): Promise<number> {
  // The embedded database is a folder only one process may open: read it once the service has exited.
  const db = testDb?.db ?? (await openEmbedded(dataDir));
  try {
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM monitoring.statuts');
    return rows[0]!.n;
  } finally {
    if (!testDb) await db.close();
  }
}

it('keeps monitors across a restart and stores the check in flight at SIGTERM', { timeout: 90_000 }, async () => {
  const first = await startServiceProcess(env);
  const health = await (await fetch(`${first.url}/api/etat`)).json();
  expect(health.base_de_donnees).toMatchObject({ statut: 'ok', type: testDbKind });

  const created = await fetch(`${first.url}/api/moniteurs`, {
    method: 'POST',
    body: JSON.stringify({ nom: 'slow site', type: 'http', cible: `${target.url}/slow/1500`, intervalle_secondes: 60 }),
  });
  expect(created.status).toBe(201);
  await expect.poll(() => target.requests, { timeout: 5000 }).toBeGreaterThan(0);

  // The check takes 1.5 s; SIGTERM lands in the middle of it.
  const { code, ms } = await first.stop('SIGTERM');
  expect(code).toBe(0);
  expect(ms).toBeLessThan(5000);
  expect(first.logs.join('\n')).toContain('shutting down');
  expect(await countResults()).toBe(1);

  const second = await startServiceProcess(env);
  const list = await (await fetch(`${second.url}/api/moniteurs`)).json();
  expect(list.moniteurs.map((monitor: { nom: string }) => monitor.nom)).toEqual(['slow site']);
  expect((await second.stop('SIGINT')).code).toBe(0);
});
