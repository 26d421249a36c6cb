// Is this instance up, and can it reach its database.
import type { Db } from './db/index.ts';
import { DatabaseUnavailableError } from './errors.ts';
import type { BatchWriter, Scheduler, SchedulerSaturation } from './scheduler/index.ts';

export const VERSION = '0.1.0';

export interface HealthReport {
  ok: boolean;
  version: string;
  startedAt: Date;
  /** reason says, in words safe to show, why the database did not answer (null when it did). */
  database: { ok: boolean; kind: string; latencyMs: number | null; reason: string | null };
  activeMonitors: number;
  checksInFlight: number;
  /** Check results waiting for the database, and those lost since start (dropped from a full queue, refused). */
  results: { queued: number; dropped: number; refused: number; databaseAway: boolean };
  /** Due checks not started yet (for a worker or for their host). */
  checksWaiting: number;
  saturation: SchedulerSaturation;
}

/** The health check answers within about this long, whatever the database does. */
export const PING_DEADLINE_MS = 750;

export function createHealthCheck(
  db: Db,
  scheduler: Scheduler,
  startedAt: Date,
  writer?: Pick<BatchWriter, 'stats'>,
): () => Promise<HealthReport> {
  return async () => {
    const stats = scheduler.stats;
    // A failing driver's message may hold the connection string: report only why, in our own words.
    const ping = await pingWithin(db, PING_DEADLINE_MS);
    const latencyMs = 'latencyMs' in ping ? Math.round(ping.latencyMs * 10) / 10 : null;
    return {
      ok: latencyMs !== null,
      version: VERSION,
      startedAt,
      database: { ok: latencyMs !== null, kind: db.kind, latencyMs, reason: 'reason' in ping ? ping.reason : null },
      activeMonitors: stats.monitors,
      checksInFlight: stats.inFlight,
      results: {
        queued: writer?.stats.pending ?? 0,
        dropped: writer?.stats.droppedResults ?? 0,
        refused: writer?.stats.rejectedResults ?? 0,
        databaseAway: writer?.stats.outage ?? false,
      },
      checksWaiting: stats.waiting,
      saturation: scheduler.saturation(),
    };
  };
}

async function pingWithin(db: Db, ms: number): Promise<{ latencyMs: number } | { reason: string }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ reason: string }>((resolve) => {
    timer = setTimeout(() => resolve({ reason: `no answer within ${ms} ms` }), ms);
  });
  const answered = db.ping().then(
    (latencyMs) => ({ latencyMs }),
    (error: unknown) => ({
      reason: error instanceof DatabaseUnavailableError ? error.reason : 'unreachable',
    }),
  );
  try {
    return await Promise.race([answered, late]);
  } finally {
    clearTimeout(timer);
  }
}
