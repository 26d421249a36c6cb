// A new embedded data folder starts from the cluster template made for the installed PGlite, with the memory
// settings of the embedded database; a copy cut short is redone at the next start.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openEmbedded } from '../../server/db/embedded.ts';
import { installedPgliteVersion, templatePath } from '../../server/db/embedded-template.ts';
import { migrate } from '../../server/db/migrations.ts';
import { capturingLogger } from '../helpers/logger.ts';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'vigie-embedded-template-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

it('has a template for the installed PGlite (after an upgrade: npm run embedded:template)', () => {
  expect(templatePath()).toContain(`pglite-${installedPgliteVersion()}.tar.gz`);
  expect(existsSync(templatePath())).toBe(true);
});

it('starts a new folder from the template, with the memory settings, and keeps what is written', async () => {
  const { logger, lines } = capturingLogger();
  const db = await openEmbedded(dataDir, logger);
  try {
    expect(lines.join('\n')).not.toContain('initdb');
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    const settings = await db.query<{ name: string; setting: string; unit: string }>(
      `SELECT name, setting, unit FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem') ORDER BY name`,
    );
    expect(settings.rows).toEqual([
      { name: 'shared_buffers', setting: '2048', unit: '8kB' },
      { name: 'work_mem', setting: '2048', unit: 'kB' },
    ]);
    expect(await migrate(db)).not.toHaveLength(0);
    await db.query(`INSERT INTO monitoring.migrations (nom) VALUES ('kept across a restart')`);
  } finally {
    await db.close();
  }
  const reopened = await openEmbedded(dataDir, logger);
  try {
    const kept = await reopened.query(`SELECT 1 FROM monitoring.migrations WHERE nom = 'kept across a restart'`);
    expect(kept.rowCount).toBe(1);
    expect(await migrate(reopened)).toEqual([]);
  } finally {
    await reopened.close();
  }
});

it('copies the template again over a copy cut short (no PG_VERSION yet)', async () => {
  mkdirSync(join(dataDir, 'base', '1'), { recursive: true });
  writeFileSync(join(dataDir, 'base', '1', '1259'), 'half a page');
  const { logger } = capturingLogger();
  const db = await openEmbedded(dataDir, logger);
  try {
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_class');
    expect(rows[0]!.n).toBeGreaterThan(100);
  } finally {
    await db.close();
  }
});
