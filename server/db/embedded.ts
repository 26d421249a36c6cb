// The embedded driver: PGlite (PostgreSQL compiled to WebAssembly) kept in a local folder.
import { mkdirSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { PGlite, type PGliteOptions, type Results } from '@electric-sql/pglite';
import type { Logger } from 'pino';
import { copyTemplateCluster, isCluster, templatePath } from './embedded-template.ts';
import type { Db, NotificationHandler, Queryable, QueryResult } from './types.ts';

// PGlite sizes PostgreSQL like a server of its own (128 MB of shared buffers, and more), all of it inside a
// WebAssembly heap that never shrinks. Vigie's embedded database is small: these keep the heap near what it uses.
const MEMORY_SETTINGS = [
  'shared_buffers=16MB',
  'work_mem=2MB',
  'maintenance_work_mem=16MB',
  'temp_buffers=1MB',
].flatMap((setting) => ['-c', setting]);

/** PGlite's options for Vigie's embedded database (the template cluster is made with them too). */
export const EMBEDDED_OPTIONS: PGliteOptions = {
  startParams: [...PGlite.defaultStartParams, ...MEMORY_SETTINGS],
  initDbStartParams: MEMORY_SETTINGS,
};

export async function openEmbedded(dataDir: string, logger: Logger): Promise<Db> {
  mkdirSync(dataDir, { recursive: true });
  if (!isCluster(dataDir) && !(await copyTemplateCluster(dataDir))) {
    logger.warn(
      { template: templatePath() },
      'no cluster template for the installed PGlite: initdb creates the embedded database (about 800 MB of memory, once); npm run embedded:template makes the template',
    );
  }
  // V8 compiles PostgreSQL's WebAssembly with its baseline compiler, then again with the optimizing one where it
  // is hot: the second copy costs about 50 MB for queries about a quarter faster, which a small database spares.
  setFlagsFromString('--liftoff-only');
  return openEmbeddedFrom(await PGlite.create(dataDir, EMBEDDED_OPTIONS));
}

/** pg's rowCount: the rows changed, or for a SELECT the rows returned (PGlite says 0 affected rows then). */
function queryResult<T>(result: Results<T>): QueryResult<T> {
  return { rows: result.rows, rowCount: result.affectedRows || result.rows.length };
}

/** Wraps an open PGlite (tests load a prepared one from a dump). */
export function openEmbeddedFrom(pglite: PGlite): Db {
  const db: Db = {
    kind: 'embedded',
    get background() {
      return db;
    },
    async query<T>(sql: string, params?: unknown[]) {
      return queryResult(await pglite.query<T>(sql, params as unknown[]));
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return pglite.transaction(async (transaction) =>
        fn({
          query: async <R>(sql: string, params?: unknown[]) => {
            return queryResult(await transaction.query<R>(sql, params as unknown[]));
          },
          exec: async (sql: string) => {
            await transaction.exec(sql);
          },
        }),
      );
    },
    async exec(sql: string) {
      await pglite.exec(sql);
    },
    async listen(channel: string, onNotify: NotificationHandler) {
      const unlisten = await pglite.listen(channel, onNotify);
      return async () => {
        await unlisten();
      };
    },
    // One in-process database: the LISTEN side never disconnects.
    onListenReconnect: () => () => undefined,
    async ping() {
      const started = performance.now();
      await pglite.query('SELECT 1');
      return performance.now() - started;
    },
    // One in-process connection, without statement or lock timeouts: a query is never refused as unavailable.
    lastUnavailable: () => null,
    async close() {
      if (!pglite.closed) await pglite.close();
    },
  };
  return db;
}
