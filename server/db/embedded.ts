// The embedded driver: PGlite (PostgreSQL compiled to WebAssembly) kept in a local folder.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Db, NotificationHandler, Queryable } from './types.ts';

/** dataDir null keeps the database in memory. */
export async function openEmbedded(dataDir: string | null): Promise<Db> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  return openEmbeddedFrom(dataDir ? await PGlite.create(dataDir) : await PGlite.create());
}

/** Wraps an open PGlite (tests load a prepared one from a dump). */
export function openEmbeddedFrom(pglite: PGlite): Db {
  const db: Db = {
    kind: 'embedded',
    get background() {
      return db;
    },
    async query<T>(sql: string, params?: unknown[]) {
      const result = await pglite.query<T>(sql, params as unknown[]);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return pglite.transaction(async (transaction) =>
        fn({
          query: async <R>(sql: string, params?: unknown[]) => {
            const result = await transaction.query<R>(sql, params as unknown[]);
            return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
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
    async close() {
      if (!pglite.closed) await pglite.close();
    },
  };
  return db;
}
