// Imports from Uptime Kuma (JSON backup) and Gatus (YAML configuration), from fixtures written by hand after each
// project's documented format: a dry run writes nothing, --apply writes what maps, importing again changes nothing,
// and what could not be mapped is reported with the reason.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createAddressPolicies } from '../../server/checks/index.ts';
import { applyConfig, formatPlan, planConfig } from '../../server/config-file/index.ts';
import { listChannels, type Db } from '../../server/db/index.ts';
import { importGatus, importUptimeKuma, prepareImport } from '../../server/imports/index.ts';
import { createMonitorService } from '../../server/monitors/index.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';

const options = {
  monitorDefaults: { intervalSeconds: 60, timeoutSeconds: 10, slowThresholdMs: 800 },
  addressPolicy: createAddressPolicies({ allowedNetworks: [], forbiddenNetworks: [] } as never).monitors,
};
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

let testDb: TestDb;
let db: Db;
beforeAll(async () => {
  testDb = await createTestDb();
  db = testDb.db;
});
afterAll(() => testDb.drop());

const monitorsOf = () => createMonitorService(db, options.monitorDefaults).list();

describe('import from Uptime Kuma', () => {
  const prepared = () =>
    prepareImport(importUptimeKuma(JSON.parse(fixture('uptime-kuma-backup.json'))), 'backup.json', options);

  it('maps HTTP, keyword, port, ping, push and DNS monitors with their settings, and the notifications Vigie has', async () => {
    const { desired, skipped, notes } = prepared();
    const plan = await planConfig(db, desired, 'merge');
    expect(formatPlan(plan).split('\n').at(-1)).toBe('8 to create, 0 to update, 0 to delete, 0 unchanged');
    expect(await monitorsOf()).toEqual([]);

    expect(skipped.map((item) => `${item.what}: ${item.reason}`)).toEqual([
      'notification "Signal" (#3): Vigie has no "signal" channel',
      'monitor "Production" (#7): a group, not a monitor in Vigie: its monitors are listed under its name',
      'monitor "Must be down" (#8): upside-down mode (DOWN when reachable) has no Vigie equivalent',
      'monitor "Docker app" (#10): Vigie has no "docker" monitors',
      'monitor "Broken URL": target: URL scheme "ftp" is not allowed; use http or https',
      'channel "Telegram": secrets.botToken: must be a bot token such as 123456789:AAE…, from @BotFather',
    ]);
    expect(notes).toEqual([
      { what: 'monitor "Website" (#1)', reason: 'notifications without a matching Vigie channel were not linked' },
      {
        what: 'monitor "Nightly backup" (#5)',
        reason: 'a heartbeat gets a new ping URL in Vigie (url_ping): point the job that pings it there',
      },
    ]);

    await applyConfig(db, desired, { ...options, mode: 'merge' });
    const monitors = await monitorsOf();
    const byName = new Map(monitors.map((monitor) => [monitor.name, monitor]));
    expect([...byName.keys()].sort()).toEqual([
      'API keyword',
      'DNS example.com',
      'Gateway ping',
      'Nightly backup',
      'Postgres port',
      'Website',
    ]);
    expect(byName.get('Nightly backup')).toMatchObject({ kind: 'push', intervalSeconds: 60 });
    expect(byName.get('DNS example.com')).toMatchObject({
      kind: 'dns',
      target: 'example.com',
      dns: { recordType: 'A', expected: [], resolver: '1.1.1.1' },
    });
    expect(byName.get('Postgres port')).toMatchObject({ group: 'Production' });
    expect(byName.get('Website')).toMatchObject({ group: null });
    const website = byName.get('Website')!;
    expect(website).toMatchObject({
      kind: 'http',
      intervalSeconds: 30,
      retries: 3,
      timeoutSeconds: 20,
      tags: ['prod', 'region:eu'],
    });
    expect(website.http?.expectedStatus).toEqual([
      [200, 299],
      [301, 301],
    ]);
    expect(website.http?.headers).toEqual({
      'X-Env': 'prod',
      Authorization: `Basic ${Buffer.from('probe:probe-pass').toString('base64')}`,
    });
    expect(byName.get('API keyword')!.http).toMatchObject({
      method: 'POST',
      keyword: 'ok',
      keywordMustBeAbsent: true,
      followRedirects: false,
      ignoreTlsErrors: true,
    });
    expect(byName.get('Postgres port')).toMatchObject({ kind: 'tcp', target: 'db.example.com:5432', paused: true });
    expect(byName.get('Gateway ping')).toMatchObject({ kind: 'icmp', target: 'gw.example.com' });
    const channels = await listChannels(db);
    expect(channels.map((channel) => [channel.name, channel.kind, channel.isDefault]).sort()).toEqual([
      ['Ops mail', 'email', false],
      ['Slack #ops', 'slack', true],
    ]);
    const { rows } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM monitoring.moniteurs_canaux WHERE moniteur_id = $1',
      [website.id],
    );
    expect(rows[0]!.n).toBe(2);
  });

  it('imported again, changes nothing and copies nothing', async () => {
    const plan = await planConfig(db, prepared().desired, 'merge');
    expect(plan).toEqual({ changes: [], unchanged: 8 });
  });
});

describe('import from Gatus', () => {
  it('maps endpoints and their conditions, and the alerting providers Vigie has', async () => {
    const { desired, skipped, notes } = prepareImport(
      importGatus(parse(fixture('gatus-config.yaml'))),
      'config.yaml',
      options,
    );
    expect(skipped.map((item) => `${item.what}: ${item.reason}`)).toEqual([
      'alerting provider jetbrains-space: Vigie has no "jetbrains-space" channel',
      'endpoint "ptr-dns": Vigie has no "PTR" DNS records (it checks A, AAAA, CNAME, MX, TXT, NS, SOA, CAA)',
      'endpoint "ssh": Vigie cannot check "ssh" endpoints',
    ]);
    expect(notes.map((item) => `${item.what}: ${item.reason}`)).toEqual([
      'endpoint "core/api": alert "jetbrains-space" has no Vigie channel: not linked',
      'external endpoint "core/backup-job": a heartbeat gets a ping URL in Vigie (url_ping): point the job there instead of Gatus\' /external API',
      'external endpoint "nightly-report": no heartbeat.interval (Gatus then never expects an update): Vigie expects one a day; change it',
      'external endpoint "nightly-report": a heartbeat gets a ping URL in Vigie (url_ping): point the job there instead of Gatus\' /external API',
    ]);
    const before = (await monitorsOf()).length;
    await applyConfig(db, desired, { ...options, mode: 'merge' });
    const monitors = (await monitorsOf()).filter((monitor) => !monitor.name.match(/^[A-Z]/));
    expect(monitors.length + before).toBe((await monitorsOf()).length);
    const byName = new Map(monitors.map((monitor) => [monitor.name, monitor]));
    expect(byName.get('website')).toMatchObject({
      intervalSeconds: 300,
      slowThresholdMs: 300,
      certificateAlertDays: 10,
      tags: ['group:core'],
      group: 'core',
    });
    expect(byName.get('website')!.http?.expectedStatus).toEqual([[200, 200]]);
    expect(byName.get('api')).toMatchObject({
      intervalSeconds: 90,
      assertions: [
        '[BODY].status == UP',
        'len([BODY].items) > 0',
        'has([BODY].errors) == false',
        '[RESPONSE_TIME] < 1s',
      ],
    });
    expect(byName.get('api')!.http).toMatchObject({
      method: 'POST',
      keyword: 'healthy',
      expectedStatus: [[100, 299]],
      headers: { 'Content-Type': 'application/json' },
    });
    expect(byName.get('database')).toMatchObject({ kind: 'tcp', target: 'db.example.com:5432', intervalSeconds: 30 });
    expect(byName.get('gateway')).toMatchObject({ kind: 'icmp', target: 'gw.example.com' });
    // DNS endpoints: the name and type asked, the server as the resolver, [BODY] == as an expected answer.
    expect(byName.get('dns')).toMatchObject({
      kind: 'dns',
      target: 'example.com',
      dns: { recordType: 'A', expected: ['93.184.215.14'], match: 'contains', resolver: '8.8.8.8' },
    });
    expect(byName.get('mail-dns')).toMatchObject({
      kind: 'dns',
      target: 'example.com',
      intervalSeconds: 120,
      group: 'core',
      dns: { recordType: 'MX', expected: ['10 mail.example.com'], match: 'contains', resolver: '192.0.2.53:53' },
    });
    // External endpoints: heartbeats expected every heartbeat.interval, with no grace (as in Gatus), alerts linked.
    const backup = byName.get('backup-job')!;
    expect(backup).toMatchObject({
      kind: 'push',
      intervalSeconds: 1800,
      graceSeconds: 0,
      group: 'core',
      paused: false,
    });
    expect(backup.pingToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(byName.get('nightly-report')).toMatchObject({ kind: 'push', intervalSeconds: 86_400, paused: true });
    const { rows: linked } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM monitoring.moniteurs_canaux WHERE moniteur_id = $1',
      [backup.id],
    );
    expect(linked[0]!.n).toBe(1);
    const email = (await listChannels(db)).find((channel) => channel.name === 'Gatus email')!;
    expect(email.settings).toMatchObject({
      host: 'smtp.example.com',
      port: 587,
      to: ['ops@example.com', 'oncall@example.com'],
    });
    expect(email.secrets).toEqual({ password: 'mail-pass' });
  });
});
