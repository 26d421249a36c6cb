// A fresh, migrated database for one test file: a copy of the template on PostgreSQL, or an embedded one,
// depending on the vitest project (VIGIE_TEST_DB).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import type { Db } from '../../server/db/index.ts';
import { EMBEDDED_OPTIONS, openEmbedded, openEmbeddedFrom } from '../../server/db/embedded.ts';
import { openPostgres } from '../../server/db/postgres.ts';
import { silentLogger } from './logger.ts';
import { adminUrl, databaseUrl } from './postgres-url.ts';

export interface TestDb {
  db: Db;
  /** postgres only: a connection string to the same database, for a second writer or instance. */
  url: string | null;
  drop(): Promise<void>;
}

export const testDbKind = (process.env.VIGIE_TEST_DB ?? 'embedded') as 'postgres' | 'embedded';

/**
 * `{ migrated: false }`: an empty database, for tests of a migration on the tables as they were before it.
 */
export async function createTestDb(options: { migrated?: boolean } = {}): Promise<TestDb> {
  const migrated = options.migrated ?? true;
  if (testDbKind === 'embedded' && !migrated) {
    // From the cluster template, as a new data folder starts: no initdb.
    const dir = mkdtempSync(join(tmpdir(), 'vigie-test-empty-'));
    const db = await openEmbedded(dir, silentLogger());
    return {
      db,
      url: null,
      async drop() {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (testDbKind === 'embedded') {
    const dump = readFileSync(inject('embeddedDump'));
    const pglite = await PGlite.create({ ...EMBEDDED_OPTIONS, loadDataDir: new Blob([dump]) });
    const db = openEmbeddedFrom(pglite);
    return { db, url: null, drop: () => db.close() };
  }
  const name = `vigie_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${migrated ? inject('postgresTemplate') : 'template0'}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(name);
  const db = await openPostgres(url, silentLogger());
  return {
    db,
    url,
    async drop() {
      await db.close();
      await dropPostgresDatabase(name);
    },
  };
}

/** Drops a test database of the PostgreSQL server, its connections with it. */
export async function dropPostgresDatabase(name: string): Promise<void> {
  const cleanup = new pg.Client({ connectionString: adminUrl() });
  await cleanup.connect();
  await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await cleanup.end();
}
