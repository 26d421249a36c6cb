// Starts a real Vigie (HTTP server + scheduler) on a fresh test database, on a free loopback port.
import type { Logger } from 'pino';
import { startApp, type App } from '../../server/app.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import { createTestDb, type TestDb } from './db.ts';
import { silentLogger } from './logger.ts';

export interface TestApp extends App {
  testDb: TestDb;
  config: Config;
  /** fetch() relative to the app's URL. */
  request(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestApp(
  env: Record<string, string> = {},
  options: { logger?: Logger } = {},
): Promise<TestApp> {
  const testDb = await createTestDb();
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', WORKERS_MAX_PARALLELES: '20', ...env });
  const app = await startApp(config, options.logger ?? silentLogger(), { db: testDb.db });
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
