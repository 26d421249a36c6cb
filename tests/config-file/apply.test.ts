// Configuration as code: a file is planned, applied in one transaction, refused whole with every problem and its
// line, and exported back; rows made elsewhere are never touched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAddressPolicies } from '../../server/checks/index.ts';
import {
  applyConfig,
  ConfigFileError,
  exportConfig,
  formatPlan,
  loadConfigText,
  planConfig,
} from '../../server/config-file/index.ts';
import { listChannels, listMaintenances, type Db } from '../../server/db/index.ts';
import { createMonitorService } from '../../server/monitors/index.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';

const options = {
  monitorDefaults: { intervalSeconds: 60, timeoutSeconds: 10, slowThresholdMs: 800 },
  addressPolicy: createAddressPolicies({ allowedNetworks: [], forbiddenNetworks: [] } as never).monitors,
  env: { SMTP_PASSWORD: 's3cret-pass' },
};

const FILE = `
version: 1
channels:
  - key: ops-mail
    name: Ops
    kind: email
    settings: { host: smtp.example.com, from: vigie@example.com, to: [ops@example.com], user: vigie }
    secrets:
      password: \${SMTP_PASSWORD}
monitors:
  - key: api
    name: API
    kind: http
    target: https://api.example.com/health
    intervalSeconds: 30
    tags: [prod]
    channels: [ops-mail]
  - key: db
    name: Database port
    kind: tcp
    target: db.example.com:5432
maintenance:
  - key: nightly
    name: Nightly backup
    monitor: db
    cron: "0 3 * * *"
    durationMinutes: 30
    timeZone: Europe/Paris
statusPages:
  - key: public
    slug: public
    title: Example status
    sections:
      - name: Services
        monitors: [api, db]
`;

let testDb: TestDb;
let db: Db;
beforeAll(async () => {
  testDb = await createTestDb();
  db = testDb.db;
});
afterAll(() => testDb.drop());

const monitorsOf = () => createMonitorService(db, options.monitorDefaults).list();

describe('configuration file', () => {
  it('plans, applies in one go, and then has nothing left to change', async () => {
    const unowned = await createMonitorService(db, options.monitorDefaults).create({
      name: 'Made in the dashboard',
      kind: 'icmp',
      target: 'example.org',
    });
    const desired = loadConfigText(FILE, 'vigie.yaml', options);
    const plan = await planConfig(db, desired);
    expect(formatPlan(plan)).toBe(
      [
        '+ channel ops-mail',
        '+ monitor api',
        '+ monitor db',
        '+ maintenance window nightly',
        '+ status page public',
        '5 to create, 0 to update, 0 to delete, 0 unchanged',
      ].join('\n'),
    );
    expect((await monitorsOf()).length).toBe(1);

    await applyConfig(db, desired, options);
    const monitors = await monitorsOf();
    expect(monitors.map((monitor) => monitor.name).sort()).toEqual(['API', 'Database port', 'Made in the dashboard']);
    const api = monitors.find((monitor) => monitor.name === 'API')!;
    expect(api.intervalSeconds).toBe(30);
    const [channel] = await listChannels(db);
    expect(channel!.secrets).toEqual({ password: 's3cret-pass' });
    const { rows } = await db.query<{ canal_id: number }>(
      'SELECT canal_id FROM monitoring.moniteurs_canaux WHERE moniteur_id = $1',
      [api.id],
    );
    expect(rows).toEqual([{ canal_id: channel!.id }]);
    const [window] = await listMaintenances(db);
    expect(window!.timeZone).toBe('Europe/Paris');

    const again = await planConfig(db, loadConfigText(FILE, 'vigie.yaml', options));
    expect(again).toEqual({ changes: [], unchanged: 5 });

    // A change, a removal: only what the file owns moves; the dashboard's monitor stays.
    const changed = FILE.replace('intervalSeconds: 30', 'intervalSeconds: 45')
      .replace(/ {2}- key: db[\s\S]*?5432\n/, '')
      .replace(/maintenance:[\s\S]*?Europe\/Paris\n/, '')
      .replace('monitors: [api, db]', 'monitors: [api]');
    const next = loadConfigText(changed, 'vigie.yaml', options);
    expect(formatPlan(await planConfig(db, next))).toBe(
      [
        '~ monitor api (intervalSeconds)',
        '- monitor db',
        '- maintenance window nightly',
        '~ status page public (sections)',
        '0 to create, 2 to update, 2 to delete, 1 unchanged',
      ].join('\n'),
    );
    await applyConfig(db, next, options);
    const after = await monitorsOf();
    expect(after.map((monitor) => [monitor.name, monitor.intervalSeconds]).sort()).toEqual([
      ['API', 45],
      ['Made in the dashboard', 60],
    ]);
    expect(after.find((monitor) => monitor.id === unowned.id)).toBeTruthy();
    expect(await listMaintenances(db)).toEqual([]);
  });

  it('refuses a bad file whole, with every problem and its line', () => {
    const bad = `monitors:
  - key: api
    name: API
    kind: htp
    target: https://api.example.com
  - key: api
    name: Other
    kind: tcp
    target: no-port
    channels: [missing]
channels:
  - key: mail
    name: Mail
    kind: email
    secrets:
      password: \${NOT_SET}
    colour: blue
`;
    let error: unknown;
    try {
      loadConfigText(bad, 'vigie.yaml', options);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigFileError);
    const problems = (error as ConfigFileError).problems.map((problem) => `${problem.line} ${problem.path}`);
    expect(problems).toEqual(['4 monitors.0.kind', '16 channels.0.secrets.password', '17 channels.0.colour']);
    expect((error as ConfigFileError).message).toContain(
      'vigie.yaml:16: channels.0.secrets.password: the environment variable NOT_SET is not set',
    );
  });

  it('names problems the domain finds across fields and references, at their lines', () => {
    const bad = `monitors:
  - key: api
    name: API
    kind: tcp
    target: no-port
    channels: [missing]
  - key: api
    name: Twice
    kind: icmp
    target: example.org
`;
    const problems = (() => {
      try {
        loadConfigText(bad, 'vigie.yaml', options);
        return [];
      } catch (error) {
        return (error as ConfigFileError).problems.map((problem) => `${problem.line} ${problem.path}`);
      }
    })();
    expect(problems).toEqual(['5 monitors.0.target', '6 monitors.0.channels.0', '7 monitors.1.key']);
  });

  it('applies all of a file or nothing: a conflict the database finds rolls back what came before it', async () => {
    const before = (await monitorsOf()).length;
    const file = `monitors:
  - key: new-one
    name: New one
    kind: icmp
    target: example.net
statusPages:
  - key: clash
    slug: status
    title: Takes the default page's address
`;
    await expect(
      applyConfig(db, loadConfigText(file, 'vigie.yaml', options), { ...options, mode: 'merge' }),
    ).rejects.toThrow(/another status page is at \/status\/status/);
    expect((await monitorsOf()).length).toBe(before);
  });

  it('refuses YAML that does not parse, with the line', () => {
    expect(() => loadConfigText('monitors:\n  - key: a\n   name: [unclosed\n', 'x.yaml', options)).toThrow(/x\.yaml:3/);
  });

  it('keeps groups and assertions, and dependencies by key (checked, cycles refused whole)', async () => {
    const file = (routerDependsOn = '') => `monitors:
  - key: shop-front
    name: Shop front
    kind: http
    target: https://shop.example.com/
    group: Shop
    dependsOn: shop-router
    assertions: ['status == 200', 'body.$.status == "UP"']
  - key: shop-router
    name: Shop router
    kind: icmp
    target: router.example.com
${routerDependsOn}`;
    const merge = { ...options, mode: 'merge' as const };
    await applyConfig(db, loadConfigText(file(), 'vigie.yaml', options), merge);
    const byName = new Map((await monitorsOf()).map((monitor) => [monitor.name, monitor]));
    const router = byName.get('Shop router')!;
    expect(byName.get('Shop front')).toMatchObject({
      group: 'Shop',
      dependsOn: router.id,
      assertions: ['status == 200', 'body.$.status == "UP"'],
    });
    expect((await planConfig(db, loadConfigText(file(), 'vigie.yaml', options), 'merge')).changes).toEqual([]);

    expect(() => loadConfigText(file('    dependsOn: nope'), 'vigie.yaml', options)).toThrow(
      /vigie\.yaml:13: monitors\.1\.dependsOn: no monitor in this file has the key "nope"/,
    );
    const cycle = loadConfigText(file('    dependsOn: shop-front'), 'vigie.yaml', options);
    await expect(applyConfig(db, cycle, merge)).rejects.toThrow(/would make a cycle of dependencies/);
    expect((await monitorsOf()).find((monitor) => monitor.name === 'Shop router')!.dependsOn).toBeNull();
  });

  it('names the monitors of a maintenance window by key and its tags; refuses unknown keys at their line', async () => {
    const file = (scope: string) => `monitors:
  - key: pay-api
    name: Payments API
    kind: icmp
    target: pay.example.com
    tags: [payments]
  - key: pay-db
    name: Payments DB
    kind: icmp
    target: paydb.example.com
maintenance:
  - key: pay-upgrade
    name: Payments upgrade
${scope}
    startsAt: 2099-05-01T22:00:00Z
    endsAt: 2099-05-02T01:00:00Z
`;
    const merge = { ...options, mode: 'merge' as const };
    const scoped = file('    monitors: [pay-db]\n    tags: [payments, eu]');
    await applyConfig(db, loadConfigText(scoped, 'vigie.yaml', options), merge);
    const byName = new Map((await monitorsOf()).map((monitor) => [monitor.name, monitor]));
    const window = (await listMaintenances(db)).find((item) => item.name === 'Payments upgrade')!;
    expect(window).toMatchObject({ monitorIds: [byName.get('Payments DB')!.id], tags: ['payments', 'eu'] });
    expect((await planConfig(db, loadConfigText(scoped, 'vigie.yaml', options), 'merge')).changes).toEqual([]);

    // The tags change, then the single-monitor shortcut: what the window covers is updated in place.
    const retagged = loadConfigText(file('    monitors: [pay-db]\n    tags: [payments]'), 'vigie.yaml', options);
    expect(formatPlan(await planConfig(db, retagged, 'merge'))).toContain('~ maintenance window pay-upgrade (tags)');
    const single = loadConfigText(file('    monitor: pay-api'), 'vigie.yaml', options);
    expect(formatPlan(await planConfig(db, single, 'merge'))).toContain(
      '~ maintenance window pay-upgrade (tags, monitors)',
    );
    await applyConfig(db, single, merge);
    expect((await listMaintenances(db)).find((item) => item.id === window.id)).toMatchObject({
      monitorIds: [byName.get('Payments API')!.id],
      tags: [],
    });

    const problems = (text: string) => {
      try {
        loadConfigText(text, 'vigie.yaml', options);
        return [];
      } catch (error) {
        return (error as ConfigFileError).problems.map(
          (problem) => `${problem.line} ${problem.path}: ${problem.message}`,
        );
      }
    };
    expect(problems(file('    monitors: [pay-db, nope]'))).toEqual([
      '14 maintenance.0.monitors.1: no monitor in this file has the key "nope"',
    ]);
    expect(problems(file('    monitor: pay-db\n    monitors: [pay-api]'))).toEqual([
      '15 maintenance.0.monitors: give monitor or monitors, not both',
    ]);
    expect(problems(file('    tags: [""]'))).toEqual(['14 maintenance.0.tags.0: tags cannot be empty']);
  });

  it('exports the configuration as a file that applies back without changes, secrets as variables', async () => {
    const exported = await exportConfig(db);
    expect(exported.yaml).not.toContain('s3cret-pass');
    expect(exported.variables).toEqual(['VIGIE_OPS_MAIL_PASSWORD']);
    const desired = loadConfigText(exported.yaml, 'export.yaml', {
      ...options,
      env: { VIGIE_OPS_MAIL_PASSWORD: 's3cret-pass' },
    });
    expect(await planConfig(db, desired)).toMatchObject({ changes: [] });
  });
});
