// One database per fault scenario on the private cluster: created, migrated and seeded with monitors before the
// service starts (their first checks then spread over one interval, as after a restart).
import pg from 'pg';
import pino from 'pino';
import { DEFAULT_HTTP_SETTINGS } from '../server/checks/index.ts';
import { migrate } from '../server/db/index.ts';
import { openPostgres } from '../server/db/postgres.ts';

export interface MonitorSeed {
  name: string;
  target: string;
  intervalSeconds: number;
  timeoutSeconds: number;
}

/** Runs `fn` on a short-lived connection (none stays open across a fault). */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface ScenarioDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Creates `name` on the cluster (dropping a leftover), migrates it and inserts the monitors. */
export async function createScenarioDatabase(
  urlFor: (database: string) => string,
  name: string,
  monitors: MonitorSeed[],
): Promise<ScenarioDatabase> {
  const drop = () =>
    withClient(urlFor('postgres'), (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  await drop();
  await withClient(urlFor('postgres'), (admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = urlFor(name);
  const db = await openPostgres(url, pino({ level: 'silent' }), { poolSize: 1, backgroundPoolSize: 1 });
  try {
    await migrate(db);
    await db.query(
      `INSERT INTO monitoring.moniteurs
         (nom, type, cible, intervalle_secondes, timeout_secondes, seuil_lent_ms, parametres_http)
       SELECT nom, 'http', cible, intervalle, timeout, 10000, $5::jsonb
         FROM unnest($1::text[], $2::text[], $3::int[], $4::float8[]) AS m(nom, cible, intervalle, timeout)`,
      [
        monitors.map((monitor) => monitor.name),
        monitors.map((monitor) => monitor.target),
        monitors.map((monitor) => monitor.intervalSeconds),
        monitors.map((monitor) => monitor.timeoutSeconds),
        JSON.stringify(DEFAULT_HTTP_SETTINGS),
      ],
    );
  } finally {
    await db.close();
  }
  return {
    url,
    async drop() {
      await drop();
    },
  };
}
