// Applies the numbered SQL files of sql/ in order, each once, recorded in monitoring.migrations.
import { readdirSync, readFileSync } from 'node:fs';
import { projectPath } from '../project-files.ts';
import type { Db } from './types.ts';

const SQL_DIR = `${projectPath('sql')}/`;
// Any constant works; it only has to be the same for every Vigie instance.
const MIGRATION_LOCK_KEY = 7_311_424;

export interface Migration {
  name: string;
  sql: string;
}

export function readMigrations(dir = SQL_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{3}_.+\.sql$/.test(file))
    .sort()
    .map((name) => ({ name, sql: readFileSync(dir + name, 'utf8') }));
}

/** Returns the names of the migrations it applied. Safe when several instances start at once. */
export async function migrate(db: Db, migrations = readMigrations()): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS monitoring`);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS monitoring.migrations (
         nom text PRIMARY KEY,
         applique_a timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const done = new Set(
      (await tx.query<{ nom: string }>('SELECT nom FROM monitoring.migrations')).rows.map((row) => row.nom),
    );
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.name)) continue;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO monitoring.migrations (nom) VALUES ($1)', [migration.name]);
      applied.push(migration.name);
    }
    return applied;
  });
}
