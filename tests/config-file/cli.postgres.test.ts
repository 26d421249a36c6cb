// npm run config and npm run import, run as child processes against a test database: a dry run writes nothing,
// apply and --apply write, export writes a file that plans to no change; a bad file is refused with its lines.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../helpers/db.ts';

let testDb: TestDb;
const dir = mkdtempSync(join(tmpdir(), 'vigie-config-cli-'));
beforeAll(async () => {
  testDb = await createTestDb();
});
afterAll(async () => {
  await testDb?.drop();
  rmSync(dir, { recursive: true, force: true });
});

function run(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], {
    env: { ...process.env, DATABASE_URL: testDb.url!, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const count = async () =>
  (await testDb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM monitoring.moniteurs')).rows[0]!.n;

describe('npm run import and npm run config', () => {
  it('imports a Gatus configuration: a dry run by default, then --apply', async () => {
    const dry = await run('import', ['gatus', 'tests/config-file/fixtures/gatus-config.yaml']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('+ monitor gatus-core-website');
    expect(dry.stdout).toContain('endpoint "ssh": Vigie cannot check "ssh" endpoints');
    expect(dry.stdout).toContain('dry run: nothing written');
    expect(dry.stdout + dry.stderr).not.toContain('mail-pass');
    expect(await count()).toBe(0);

    const applied = await run('import', ['gatus', 'tests/config-file/fixtures/gatus-config.yaml', '--apply']);
    expect(applied.code).toBe(0);
    // Four HTTP/TCP/ICMP endpoints, two DNS endpoints and two external endpoints (heartbeats); ssh and the PTR
    // query are reported, not imported.
    expect(await count()).toBe(8);
  });

  it('exports a file that plans to no change, with its secrets as environment variables', async () => {
    const file = join(dir, 'vigie.yaml');
    const exported = await run('config', ['export', '--output', file]);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toContain('VIGIE_GATUS_SLACK_URL');
    expect(readFileSync(file, 'utf8')).not.toContain('mail-pass');
    const plan = await run('config', ['plan', file], {
      VIGIE_GATUS_SLACK_URL: 'https://hooks.slack.com/services/T000/B000/YYYY',
      VIGIE_GATUS_EMAIL_PASSWORD: 'mail-pass',
    });
    expect(plan.stderr).toBe('');
    // 8 monitors, 2 channels and the default status page every database starts with.
    expect(plan.stdout.trim()).toBe('0 to create, 0 to update, 0 to delete, 11 unchanged');
  });

  it('applies a file, and refuses a bad one whole with each problem and its line', async () => {
    const good = join(dir, 'good.yaml');
    writeFileSync(good, 'monitors:\n  - key: only\n    name: Only\n    kind: icmp\n    target: example.org\n');
    const applied = await run('config', ['apply', good]);
    expect(applied.stdout).toContain('+ monitor only');
    // The exported monitors had keys and this file does not list them: removed; the channels too.
    expect(applied.stdout).toContain('- monitor gatus-core-website');
    expect(applied.stdout).toContain('- status page status');
    expect(await count()).toBe(1);

    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'monitors:\n  - key: only\n    name: Only\n    kind: icmp\n    target: example.org\n    retries: 0\n    colour: red\n',
    );
    const refused = await run('config', ['apply', bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${bad}:6: monitors.0.retries: must be at least 1`);
    expect(refused.stderr).toContain(`${bad}:7: monitors.0.colour: unknown field colour`);
    expect(await count()).toBe(1);
  });
});
