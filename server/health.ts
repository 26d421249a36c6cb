// Is this instance up, and can it reach its database.
import type { Db } from './db/index.ts';
import { DatabaseUnavailableError } from './errors.ts';
import type { GoneLocation, Instance } from './instances/index.ts';
import type { BatchWriter, Scheduler, SchedulerSaturation } from './scheduler/index.ts';

export const VERSION = '0.1.0';

export interface HealthReport {
  ok: boolean;
  version: string;
  startedAt: Date;
  /**
   * reason says, in words safe to show, why the database did not answer, or why queries were refused lately
   * while it answered its ping (latencyMs set); null when all is well.
   */
  database: { ok: boolean; kind: string; latencyMs: number | null; reason: string | null };
  activeMonitors: number;
  checksInFlight: number;
  /**
   * Check results waiting for the database, and those not stored since start (dropped from a full queue, refused,
   * fenced: checked under a lease another instance took over meanwhile).
   */
  results: { queued: number; dropped: number; refused: number; fenced: number; databaseAway: boolean };
  /** Due checks not started yet (for a worker or for their host). */
  checksWaiting: number;
  saturation: SchedulerSaturation;
  /** The live instances sharing the database (the last known list when it does not answer). */
  instances: Instance[];
  /** Locations none of whose instances is alive: out of the quorum of their monitors. */
  goneLocations: GoneLocation[];
}

/** The health check answers within about this long, whatever the database does. */
export const PING_DEADLINE_MS = 750;

export function createHealthCheck(
  db: Db,
  scheduler: Scheduler,
  startedAt: Date,
  writer?: Pick<BatchWriter, 'stats' | 'writeWaitingMs'>,
  instances?: { list(): Promise<Instance[]>; goneLocations(): GoneLocation[] },
): () => Promise<HealthReport> {
  return async () => {
    const stats = scheduler.stats;
    // A failing driver's message may hold the connection string: report only why, in our own words.
    const [ping, listing] = await Promise.all([pingWithin(db, PING_DEADLINE_MS), instances?.list() ?? []]);
    const latencyMs = 'latencyMs' in ping ? Math.round(ping.latencyMs * 10) / 10 : null;
    const refused = recentlyRefused(db) ?? stuckWrite(writer);
    const databaseOk = latencyMs !== null && refused === null;
    const reason = 'reason' in ping ? ping.reason : refused;
    return {
      ok: databaseOk,
      version: VERSION,
      startedAt,
      database: { ok: databaseOk, kind: db.kind, latencyMs, reason },
      activeMonitors: stats.monitors,
      checksInFlight: stats.inFlight,
      results: {
        queued: writer?.stats.pending ?? 0,
        dropped: writer?.stats.droppedResults ?? 0,
        refused: writer?.stats.rejectedResults ?? 0,
        fenced: writer?.stats.fencedResults ?? 0,
        databaseAway: writer?.stats.outage ?? false,
      },
      checksWaiting: stats.waiting,
      saturation: scheduler.saturation(),
      instances: listing,
      goneLocations: instances?.goneLocations() ?? [],
    };
  };
}

/**
 * A database can answer a ping while every query of a table waits behind a lock: queries refused as unavailable
 * within this window make the report degraded too.
 */
export const REFUSED_QUERIES_WINDOW_MS = 10_000;

/** A result write waiting this long (the background connections have no statement timeout) is reported. */
export const STUCK_WRITE_MS = 10_000;

function stuckWrite(writer: Pick<BatchWriter, 'writeWaitingMs'> | undefined): string | null {
  const waitingMs = writer?.writeWaitingMs() ?? 0;
  if (waitingMs < STUCK_WRITE_MS) return null;
  return `check results waiting ${Math.round(waitingMs / 1000)} s to be written (a lock on the results table?)`;
}

function recentlyRefused(db: Db): string | null {
  const last = db.lastUnavailable();
  if (!last || Date.now() - last.at > REFUSED_QUERIES_WINDOW_MS) return null;
  return `queries refused within the last ${REFUSED_QUERIES_WINDOW_MS / 1000} s: ${last.reason}`;
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
