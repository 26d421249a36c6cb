// The service as a process: starts on the configured database, keeps its data across restarts, and on
// SIGTERM finishes the check in flight, stores it and exits within TIMEOUT_ARRET_SERVEUR_SECONDES; checks still
// running at that deadline are abandoned and counted; and once stopped, nothing keeps the process alive.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openEmbedded } from '../../server/db/embedded.ts';
import { createTestDb, testDbKind, type TestDb } from '../helpers/db.ts';
import { silentLogger } from '../helpers/logger.ts';
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

/** A fresh database for one run of the service: its own data folder, or its own PostgreSQL database. */
async function freshEnv(
  extra: Record<string, string>,
): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  if (testDbKind === 'postgres') {
    const db = await createTestDb();
    return { env: { DATABASE_URL: db.url!, ...extra }, drop: () => db.drop() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'vigie-lifecycle-'));
  return {
    env: { DATABASE_URL: '', DATA_DIR: dir, ...extra },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The service left alone after `stopped` would have been killed by its linger timer, which logs this. */
const LINGERED = 'still running after stopped';

// A loopback-only network namespace (unprivileged user namespace); the service there reaches only itself.
const IN_LOOPBACK_NAMESPACE = ['unshare', '-rn', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"'];
const namespaceProbe = spawnSync(IN_LOOPBACK_NAMESPACE[0]!, [...IN_LOOPBACK_NAMESPACE.slice(1), 'true']);
const namespaceUnavailable =
  namespaceProbe.status === 0
    ? null
    : `unshare -rn is unavailable here: ${namespaceProbe.error?.message ?? namespaceProbe.stderr.toString().trim()}`;
if (namespaceUnavailable) console.warn(`skipping the network namespace test: ${namespaceUnavailable}`);

async function countResults(): Promise<number> {
  // The embedded database is a folder only one process may open: read it once the service has exited.
  const db = testDb?.db ?? (await openEmbedded(dataDir, silentLogger()));
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

it('abandons the checks still running at the deadline, logs how many and exits 0', { timeout: 60_000 }, async () => {
  const fresh = await freshEnv({ TIMEOUT_ARRET_SERVEUR_SECONDES: '2' });
  try {
    const service = await startServiceProcess(fresh.env);
    const before = target.requests;
    for (const name of ['hanging 1', 'hanging 2']) {
      const created = await fetch(`${service.url}/api/moniteurs`, {
        method: 'POST',
        body: JSON.stringify({ nom: name, type: 'http', cible: `${target.url}/hang`, intervalle_secondes: 60 }),
      });
      expect(created.status).toBe(201);
    }
    await expect.poll(() => target.requests - before, { timeout: 5000 }).toBe(2);

    const { code, ms } = await service.stop('SIGTERM');
    const logs = service.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(code).toBe(0);
    expect(ms).toBeGreaterThanOrEqual(1900);
    expect(ms).toBeLessThan(5000);
    const deadline = logs.find((line) => String(line.msg).startsWith('shutdown deadline reached'));
    expect(deadline).toMatchObject({ abandonedChecks: 2, seconds: 2 });
    expect(logs.find((line) => line.msg === 'stopped')).toMatchObject({ abandonedChecks: 2 });
    // The abandoned checks were ended, not left to hold the process until their own timeout.
    expect(service.logs.join('\n')).not.toContain(LINGERED);
  } finally {
    await fresh.drop();
  }
});

it('exits after an abandoned subscription and a /metrics scrape, with no handle left open', {
  timeout: 60_000,
}, async () => {
  const fresh = await freshEnv({ TIMEOUT_ARRET_SERVEUR_SECONDES: '5' });
  try {
    const service = await startServiceProcess(fresh.env);
    // A subscription sent as POST over SSE, then abandoned by the client without reading it to the end.
    const client = new AbortController();
    const stream = await fetch(`${service.url}/graphql`, {
      method: 'POST',
      signal: client.signal,
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { checkCompleted { monitorId } }' }),
    });
    expect(stream.status).toBe(200);
    expect((await fetch(`${service.url}/metrics`)).status).toBe(200);
    client.abort();

    const { code, ms } = await service.stop('SIGTERM');
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5000);
    expect(service.logs.join('\n')).toContain('"msg":"stopped"');
    expect(service.logs.join('\n')).not.toContain(LINGERED);
  } finally {
    await fresh.drop();
  }
});

it.skipIf(testDbKind !== 'embedded' || namespaceUnavailable !== null)(
  'exits after SIGTERM when idle in a loopback-only network namespace (embedded database)',
  { timeout: 60_000 },
  async () => {
    const fresh = await freshEnv({ TIMEOUT_ARRET_SERVEUR_SECONDES: '5' });
    try {
      const service = await startServiceProcess(fresh.env, IN_LOOPBACK_NAMESPACE);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const { code, ms } = await service.stop('SIGTERM');
      expect(code).toBe(0);
      expect(ms).toBeLessThan(5000 + 3000);
      expect(service.logs.join('\n')).toContain('"msg":"stopped"');
      expect(service.logs.join('\n')).not.toContain(LINGERED);
    } finally {
      await fresh.drop();
    }
  },
);
