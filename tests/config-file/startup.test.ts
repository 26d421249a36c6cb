// VIGIE_CONFIG: the service applies its file at start, and does not start on a bad file, saying why.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startApp } from '../../server/app.ts';
import { testConfig } from '../helpers/app.ts';
import { createTestDb } from '../helpers/db.ts';
import { silentLogger } from '../helpers/logger.ts';

const dir = mkdtempSync(join(tmpdir(), 'vigie-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('VIGIE_CONFIG at start', () => {
  it('applies the file: its monitors are served by the API', async () => {
    const file = join(dir, 'vigie.yaml');
    writeFileSync(file, 'monitors:\n  - key: site\n    name: Site\n    kind: http\n    target: https://example.com/\n');
    const testDb = await createTestDb();
    const app = await startApp(testConfig({ VIGIE_CONFIG: file }), silentLogger(), { db: testDb.db });
    try {
      const body = (await (await fetch(`${app.url}/api/moniteurs`)).json()) as { moniteurs: Array<{ nom: string }> };
      expect(body.moniteurs.map((monitor) => monitor.nom)).toEqual(['Site']);
    } finally {
      await app.stop();
      await testDb.drop();
    }
  });

  it('refuses to start on a bad file, with each problem and its line, and writes nothing', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'monitors:\n  - key: ok\n    name: Fine\n    kind: icmp\n    target: example.org\n  - key: bad\n    name: Bad\n    kind: http\n    target: https://example.com/\n    intervalSeconds: 0\n',
    );
    const testDb = await createTestDb();
    try {
      await expect(startApp(testConfig({ VIGIE_CONFIG: file }), silentLogger(), { db: testDb.db })).rejects.toThrow(
        `${file}:10: monitors.1.intervalSeconds: must be at least 1 second`,
      );
      const { rows } = await testDb.db.query('SELECT id FROM monitoring.moniteurs');
      expect(rows).toEqual([]);
    } finally {
      await testDb.drop();
    }
  });
});
