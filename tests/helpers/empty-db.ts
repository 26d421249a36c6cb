// A database with no migration applied yet, of this run's kind (embedded or PostgreSQL): to test an upgrade, apply
// the migrations before one, write rows as they were then, then migrate the rest.
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Db } from '../../server/db/index.ts';
import { EMBEDDED_OPTIONS, openEmbeddedFrom } from '../../server/db/embedded.ts';
import { openPostgres } from '../../server/db/postgres.ts';
import { dropPostgresDatabase, testDbKind } from './db.ts';
import { silentLogger } from './logger.ts';
import { adminUrl, databaseUrl } from './postgres-url.ts';

/** The database, and how to drop it once the test is done. */
export async function emptyDb(): Promise<{ db: Db; drop: () => Promise<void> }> {
  if (testDbKind === 'embedded') {
    const db = openEmbeddedFrom(await PGlite.create(EMBEDDED_OPTIONS));
    return { db, drop: () => db.close() };
  }
  const name = `vigie_upgrade_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const db = await openPostgres(databaseUrl(name), silentLogger());
  return {
    db,
    async drop() {
      await db.close();
      await dropPostgresDatabase(name);
    },
  };
}
