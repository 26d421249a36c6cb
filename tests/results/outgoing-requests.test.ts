// Outgoing requests of a running Vigie: a one-off check refuses the cloud metadata address at once and stores why;
// RESEAUX_INTERDITS / RESEAUX_AUTORISES reach the scheduled monitor checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkUrlNow } from '../../server/results/index.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createMonitor } from '../helpers/factories.ts';
import { startHttpTarget, startTcpTarget, type HttpTarget, type TcpTarget } from '../helpers/targets.ts';

const METADATA_URL = 'http://169.254.169.254/latest/meta-data/';
const METADATA_REFUSAL = '169.254.169.254 is a link-local/cloud metadata address; Vigie does not send requests there';

let app: TestApp;
let target: HttpTarget;
let tcp: TcpTarget;

beforeAll(async () => {
  [target, tcp] = await Promise.all([startHttpTarget(), startTcpTarget()]);
  // 127.0.0.2 and 127.0.0.3 also reach this machine: the refusals below come from the lists, not from the network.
  app = await startTestApp({ RESEAUX_INTERDITS: '127.0.0.2/32', RESEAUX_AUTORISES: '127.0.0.0/30' });
});

afterAll(async () => {
  await Promise.all([app?.close(), target?.close(), tcp?.close()]);
});

async function storedRow(id: number) {
  const { rows } = await app.testDb.db.query<{ est_disponible: boolean; cause: string | null; erreur: string | null }>(
    'SELECT est_disponible, cause, erreur FROM monitoring.statuts WHERE id = $1',
    [id],
  );
  return rows[0];
}

async function firstResultOf(monitorId: number) {
  await expect
    .poll(
      async () =>
        (await app.testDb.db.query('SELECT 1 FROM monitoring.statuts WHERE moniteur_id = $1', [monitorId])).rows.length,
      {
        timeout: 10_000,
      },
    )
    .toBeGreaterThan(0);
  const { rows } = await app.testDb.db.query<{ est_disponible: boolean; cause: string | null; erreur: string | null }>(
    'SELECT est_disponible, cause, erreur FROM monitoring.statuts WHERE moniteur_id = $1 ORDER BY id LIMIT 1',
    [monitorId],
  );
  return rows[0]!;
}

describe('one-off checks', () => {
  it('refuse the metadata address at once (nothing listens there: no timeout) and store the reason', async () => {
    const started = performance.now();
    const result = await checkUrlNow(app.testDb.db, METADATA_URL, 10_000);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result).toMatchObject({ isUp: false, cause: 'blocked_address', error: METADATA_REFUSAL, monitorId: null });
    expect(await storedRow(result.id)).toEqual({
      est_disponible: false,
      cause: 'blocked_address',
      erreur: METADATA_REFUSAL,
    });
  });

  it('refuse it through POST /api/verifier too', async () => {
    const started = performance.now();
    const response = await app.request('/api/verifier', {
      method: 'POST',
      body: JSON.stringify({ url: METADATA_URL }),
    });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(response.status).toBe(200);
    const { statut } = await response.json();
    expect(statut).toMatchObject({ est_disponible: false, code_http: null, url: METADATA_URL });
  });
});

describe('monitors under RESEAUX_INTERDITS and RESEAUX_AUTORISES', () => {
  it('refuse a denied address while others work', async () => {
    const denied = await createMonitor(app.testDb.db, { name: 'denied', target: `http://127.0.0.2:${target.port}/` });
    const allowed = await createMonitor(app.testDb.db, { name: 'allowed', target: `${target.url}/` });
    expect(await firstResultOf(denied.id)).toEqual({
      est_disponible: false,
      cause: 'blocked_address',
      erreur: '127.0.0.2 is in a denied network (RESEAUX_INTERDITS); Vigie does not send requests there',
    });
    expect(await firstResultOf(allowed.id)).toMatchObject({ est_disponible: true, cause: null });
  });

  it('refuse what the allow list leaves out', async () => {
    const outside = await createMonitor(app.testDb.db, {
      name: 'outside',
      kind: 'tcp',
      target: `127.0.0.4:${tcp.port}`,
    });
    expect(await firstResultOf(outside.id)).toEqual({
      est_disponible: false,
      cause: 'blocked_address',
      erreur: '127.0.0.4 is outside the allowed networks (RESEAUX_AUTORISES); Vigie does not send requests there',
    });
  });
});
