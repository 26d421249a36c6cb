// The throwaway PostgreSQL database of a bench run: create and migrate it, seed monitors, count results, drop it.
import type { Logger } from 'pino';
import { DEFAULT_HTTP_SETTINGS } from '../server/checks/index.ts';
import { migrate } from '../server/db/index.ts';
import type { Db } from '../server/db/index.ts';
import { openPostgres } from '../server/db/postgres.ts';

export interface BenchDatabase {
  url: string;
  name: string;
  db: Db;
  /** Drops the database (closing our own connections first). */
  drop(): Promise<void>;
}

export interface ResultCounts {
  rows: number;
  down: number;
  causes: Array<{ cause: string; count: number }>;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  alerts: number;
}

export async function createBenchDatabase(adminUrl: string, logger: Logger): Promise<BenchDatabase> {
  const name = `vigie_bench_${process.pid}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // Dropping a database of millions of results takes longer than the service's statement timeout.
  const admin = await openPostgres(adminUrl, logger, { poolSize: 1, statementTimeoutMs: 0 });
  try {
    await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.exec(`CREATE DATABASE ${name}`);
  } finally {
    await admin.close();
  }
  const db = await openPostgres(url.href, logger, { poolSize: 2, statementTimeoutMs: 0 });
  await migrate(db);
  return {
    url: url.href,
    name,
    db,
    async drop() {
      await db.close().catch(() => undefined);
      const again = await openPostgres(adminUrl, logger, { poolSize: 1, statementTimeoutMs: 0 });
      try {
        await again.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await again.close();
      }
    },
  };
}

/** Empties the tables, then inserts `count` HTTP monitors in one statement, spread round-robin over the URLs. */
export async function seedMonitors(db: Db, count: number, urls: string[], intervalSeconds: number): Promise<void> {
  // CASCADE empties every table that references the monitors (results, state, alerts, and any added later).
  await db.exec(`TRUNCATE monitoring.moniteurs CASCADE`);
  await db.query(
    `INSERT INTO monitoring.moniteurs
       (nom, type, cible, intervalle_secondes, timeout_secondes, seuil_lent_ms, parametres_http)
     SELECT 'bench ' || g, 'http', ($2::text[])[1 + g % array_length($2::text[], 1)] || '/ok/' || g,
            $3, $4, 800, $5::jsonb
       FROM generate_series(1, $1::int) AS g`,
    [count, urls, intervalSeconds, Math.min(5, intervalSeconds - 1), JSON.stringify(DEFAULT_HTTP_SETTINGS)],
  );
  await db.exec(`ANALYZE monitoring.moniteurs, monitoring.etats_moniteurs`);
}

export async function countResults(db: Db): Promise<ResultCounts> {
  const { rows } = await db.query<{ rows: number; down: number; p50: number | null; p99: number | null }>(
    `SELECT count(*) AS rows, count(*) FILTER (WHERE NOT est_disponible) AS down,
            percentile_disc(0.5) WITHIN GROUP (ORDER BY latence_ms) AS p50,
            percentile_disc(0.99) WITHIN GROUP (ORDER BY latence_ms) AS p99
       FROM monitoring.statuts`,
  );
  const causes = await db.query<{ cause: string; count: number }>(
    `SELECT coalesce(cause, '?') || coalesce(': ' || min(erreur), '') AS cause, count(*) AS count
       FROM monitoring.statuts WHERE NOT est_disponible GROUP BY cause ORDER BY count DESC LIMIT 5`,
  );
  const alerts = await db.query<{ count: number }>(`SELECT count(*) AS count FROM monitoring.alertes`);
  const totals = rows[0]!;
  return {
    rows: totals.rows,
    down: totals.down,
    causes: causes.rows,
    latencyP50Ms: totals.p50,
    latencyP99Ms: totals.p99,
    alerts: alerts.rows[0]!.count,
  };
}

/**
 * Process ids of the PostgreSQL backends serving the database and of the server's background processes (WAL
 * writer, checkpointer, autovacuum...), to read their CPU time from /proc.
 */
export async function backendPids(db: Db, name: string): Promise<number[]> {
  const { rows } = await db.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = $1 OR backend_type <> 'client backend'`,
    [name],
  );
  return rows.map((row) => row.pid);
}
