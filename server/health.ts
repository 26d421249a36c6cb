// GET /api/etat: is the server up, and can it reach its database.
import type { Db } from './db/index.ts';
import type { Scheduler } from './scheduler/index.ts';

const VERSION = '0.1.0';

export function createHealthCheck(db: Db, scheduler: Scheduler, startedAt: Date) {
  return async (): Promise<{ status: number; body: unknown }> => {
    const stats = scheduler.stats;
    const planificateur = { moniteurs_actifs: stats.monitors, verifications_en_cours: stats.inFlight };
    const common = { version: VERSION, demarre_a: startedAt.toISOString(), planificateur };
    try {
      const latency = await db.ping();
      return {
        status: 200,
        body: {
          statut: 'ok',
          ...common,
          base_de_donnees: { statut: 'ok', type: db.kind, latence_ms: Math.round(latency * 10) / 10 },
        },
      };
    } catch {
      // The driver's message may hold the connection string: say only that the database is unreachable.
      return {
        status: 503,
        body: { statut: 'degrade', ...common, base_de_donnees: { statut: 'injoignable', type: db.kind } },
      };
    }
  };
}
