// Once per run: a migrated template database that each test file copies (CREATE DATABASE ... TEMPLATE).
import pg from 'pg';
import pino from 'pino';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../server/db/index.ts';
import { openPostgres } from '../../server/db/postgres.ts';
import { adminUrl, databaseUrl } from './postgres-url.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const template = `vigie_test_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `The PostgreSQL tests need a server: set TEST_DATABASE_URL or start PostgreSQL on 127.0.0.1:5432 ` +
        `(user postgres). Connecting failed: ${(error as Error).message}`,
    );
  }
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  const db = await openPostgres(databaseUrl(template), pino({ level: 'silent' }));
  await migrate(db);
  await db.close();
  project.provide('postgresTemplate', template);

  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.end();
  };
}
