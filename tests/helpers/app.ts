// Starts a real Vigie (HTTP server + scheduler) on a fresh test database, on a free loopback port.
import type { Logger } from 'pino';
import { startApp, type App, type AppOptions } from '../../server/app.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import type { Db } from '../../server/db/index.ts';
import { createTestDb, type TestDb } from './db.ts';
import { silentLogger } from './logger.ts';

// Fixtures date results from 2026-01-01 on, long enough ago for the retention job to delete them under a test.
export const NO_RETENTION = { RETENTION_JOURS: '0', RETENTION_CUMULS_JOURS: '0' };
/** Suites about something else run as the local operator; the auth suites turn authentication on. */
export const NO_AUTH = { AUTH_DISABLED: 'true' };

/** The configuration of a test app: a free loopback port, 20 checks at once, no retention, no logins; env wins. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    WORKERS_MAX_PARALLELES: '20',
    ...NO_RETENTION,
    ...NO_AUTH,
    ...env,
  });
}

export interface TestApp extends App {
  testDb: TestDb;
  config: Config;
  /** fetch() relative to the app's URL. */
  request(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestApp(
  env: Record<string, string> = {},
  options: {
    logger?: Logger;
    app?: Omit<AppOptions, 'db'>;
    /** Puts something between the app and its database (to count or fail statements); testDb.db stays direct. */
    wrapDb?: (db: Db) => Db;
  } = {},
): Promise<TestApp> {
  const testDb = await createTestDb();
  const config = testConfig(env);
  const db = options.wrapDb ? options.wrapDb(testDb.db) : testDb.db;
  const app = await startApp(config, options.logger ?? silentLogger(), { ...options.app, db });
  let closed = false;
  return {
    ...app,
    testDb,
    config,
    request: (path, init) => fetch(app.url + path, init),
    async close() {
      if (closed) return;
      closed = true;
      await app.stop();
      await testDb.drop();
    },
  };
}
