// Is this instance up, and can it reach its database.
import type { Db } from './db/index.ts';
import type { Scheduler } from './scheduler/index.ts';

export const VERSION = '0.1.0';

export interface HealthReport {
  ok: boolean;
  version: string;
  startedAt: Date;
  database: { ok: boolean; kind: string; latencyMs: number | null };
  activeMonitors: number;
  checksInFlight: number;
}

export function createHealthCheck(db: Db, scheduler: Scheduler, startedAt: Date): () => Promise<HealthReport> {
  return async () => {
    const stats = scheduler.stats;
    // A failing driver's message may hold the connection string: report only that the database is unreachable.
    const latencyMs = await db.ping().then(
      (ms) => Math.round(ms * 10) / 10,
      () => null,
    );
    return {
      ok: latencyMs !== null,
      version: VERSION,
      startedAt,
      database: { ok: latencyMs !== null, kind: db.kind, latencyMs },
      activeMonitors: stats.monitors,
      checksInFlight: stats.inFlight,
    };
  };
}
