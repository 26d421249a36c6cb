// A configuration file exported from heartbeat and DNS monitors: no ping token in it (a secret the database makes),
// the DNS settings kept, and it applies back without changes.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAddressPolicies } from '../../server/checks/index.ts';
import { exportConfig, loadConfigText, planConfig } from '../../server/config-file/index.ts';
import { createMonitor } from '../helpers/factories.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';

const options = {
  monitorDefaults: { intervalSeconds: 60, timeoutSeconds: 10, slowThresholdMs: 800 },
  addressPolicy: createAddressPolicies({ allowedNetworks: [], forbiddenNetworks: [] } as never).monitors,
  env: {},
};

let testDb: TestDb;

beforeAll(async () => {
  testDb = await createTestDb();
});

afterAll(() => testDb?.drop());

it('exports heartbeats without their token and DNS monitors with their settings, and applies back unchanged', async () => {
  const heartbeat = await createMonitor(testDb.db, {
    name: 'backup',
    kind: 'push',
    intervalSeconds: 3600,
    graceSeconds: 300,
  });
  await createMonitor(testDb.db, {
    name: 'nightly',
    kind: 'push',
    graceSeconds: 600,
    schedule: { cron: '0 3 * * *', timeZone: 'Europe/Paris' },
  });
  await createMonitor(testDb.db, {
    name: 'mail',
    kind: 'dns',
    target: 'example.com',
    dns: { recordType: 'MX', expected: ['10 mail.example.com'], match: 'contains', resolver: '192.0.2.53:53' },
  });
  const exported = await exportConfig(testDb.db);
  expect(heartbeat.pingToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
  expect(exported.yaml).not.toContain(heartbeat.pingToken!);
  expect(exported.yaml).toMatch(/kind: push/);
  expect(exported.yaml).toMatch(/graceSeconds: 300/);
  expect(exported.yaml).toMatch(/recordType: MX/);
  expect(exported.yaml).toMatch(/schedule:\n\s+cron: 0 3 \* \* \*\n\s+timeZone: Europe\/Paris/);
  const desired = loadConfigText(exported.yaml, 'export.yaml', options);
  expect(await planConfig(testDb.db, desired)).toMatchObject({ changes: [] });
});

it('refuses a file whose heartbeat schedule is bad, naming the monitor, the field and the line', () => {
  const file = [
    'monitors:',
    '  - key: nightly',
    '    name: nightly',
    '    kind: push',
    '    schedule:',
    "      cron: '0 3 * *'",
  ].join('\n');
  expect(() => loadConfigText(file, 'vigie.yaml', options)).toThrow(/schedule\.cron.*5 fields/s);
});
