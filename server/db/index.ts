// The only entry to the database: open the configured driver, migrate, and the repositories.
import type { Logger } from 'pino';
import { migrate } from './migrations.ts';
import { openPostgres } from './postgres.ts';
import type { Db } from './types.ts';

export type { Db, Queryable, QueryResult } from './types.ts';
export { migrate } from './migrations.ts';
export { CheckViolationError, UniqueViolationError } from './unique.ts';
export * from './repositories/alerts.ts';
export * from './repositories/auth.ts';
export * from './repositories/badges.ts';
export * from './repositories/channels.ts';
export * from './repositories/config-keys.ts';
export * from './repositories/deliveries.ts';
export * from './repositories/dependencies.ts';
export * from './repositories/export.ts';
export * from './repositories/heartbeats.ts';
export * from './repositories/instances.ts';
export * from './repositories/leases.ts';
export * from './repositories/maintenances.ts';
export * from './repositories/monitor-readings.ts';
export * from './repositories/notices.ts';
export * from './repositories/partitions.ts';
export * from './repositories/monitors.ts';
export * from './repositories/results.ts';
export * from './repositories/retention.ts';
export * from './repositories/stats.ts';
export * from './repositories/status-pages.ts';

export interface DbOptions {
  databaseUrl: string | null;
  dataDir: string;
  /** Limits of API statements on PostgreSQL (defaults: POSTGRES_DEFAULTS). */
  database?: { statementTimeoutMs: number; lockTimeoutMs: number; acquireTimeoutMs: number };
}

/** Opens PostgreSQL when a URL is given, else the embedded database in dataDir; applies pending migrations. */
export async function openDb(options: DbOptions, logger: Logger): Promise<Db> {
  // PGlite is loaded only when used: it costs about 50 MB of memory.
  const db = options.databaseUrl
    ? await openPostgres(options.databaseUrl, logger, options.database)
    : await (await import('./embedded.ts')).openEmbedded(options.dataDir, logger);
  try {
    const applied = await migrate(db.background);
    if (applied.length) logger.info({ migrations: applied }, 'database migrated');
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  return db;
}
