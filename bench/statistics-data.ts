// The statistics benchmark's data: M monitors × D days of one result a minute (43 million rows by default)
// in a PostgreSQL database kept between runs, because loading takes minutes. Rows are written through the
// real rollup trigger; only the per-row state machine and NOTIFY triggers are off while loading, and the
// DOWN periods' transitions and alerts are written directly.
import type { Logger } from 'pino';
import { createResultPartitions, migrate, type Db } from '../server/db/index.ts';
import { openPostgres } from '../server/db/postgres.ts';

export interface StatisticsData {
  db: Db;
  url: string;
  monitorIds: number[];
  /** The data covers [end - days, end). */
  end: Date;
  rows: number;
}

const DAY_MINUTES = 1440;
/** Every monitor is DOWN this many minutes a day, at its own time of day. */
export const DOWN_MINUTES_A_DAY = 10;

// The minute of the day when a monitor's daily DOWN period starts.
const DOWN_START = `((m.id * 37) % (${DAY_MINUTES} - ${DOWN_MINUTES_A_DAY}))`;

async function loadedData(db: Db, monitors: number, days: number): Promise<Date | null> {
  const { rows } = await db
    .query<{ fin: Date }>(
      `SELECT fin FROM public.vigie_bench_chargement WHERE moniteurs = $1 AND jours = $2 AND termine`,
      [monitors, days],
    )
    .catch(() => ({ rows: [] as Array<{ fin: Date }> }));
  return rows[0]?.fin ?? null;
}

export async function openStatisticsData(
  adminUrl: string,
  name: string,
  monitors: number,
  days: number,
  logger: Logger,
  progress: (line: string) => void,
): Promise<StatisticsData> {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const admin = await openPostgres(adminUrl, logger, { poolSize: 1 });
  try {
    const { rows } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rows.length) await admin.exec(`CREATE DATABASE ${name}`);
  } finally {
    await admin.close();
  }
  let db = await openPostgres(url.href, logger, { poolSize: 4, statementTimeoutMs: 0 });
  let end = await loadedData(db, monitors, days);
  if (!end) {
    await db.close();
    const again = await openPostgres(adminUrl, logger, { poolSize: 1 });
    try {
      await again.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.exec(`CREATE DATABASE ${name}`);
    } finally {
      await again.close();
    }
    db = await openPostgres(url.href, logger, { poolSize: 4, statementTimeoutMs: 0 });
    end = await load(db, monitors, days, progress);
  } else {
    progress(`reusing ${name}: ${monitors} monitors × ${days} days, loaded up to ${end.toISOString()}`);
  }
  const { rows: ids } = await db.query<{ id: number }>('SELECT id FROM monitoring.moniteurs ORDER BY id');
  // The table is partitioned: its rows are its partitions'.
  const { rows: count } = await db.query<{ n: number }>(
    `SELECT coalesce(sum(greatest(c.reltuples, 0)), 0)::int8 AS n
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'monitoring.statuts'::regclass`,
  );
  return { db, url: url.href, monitorIds: ids.map((row) => row.id), end, rows: count[0]!.n };
}

async function load(db: Db, monitors: number, days: number, progress: (line: string) => void): Promise<Date> {
  await migrate(db);
  // A minute boundary plus 20 s, so every window has partial hours at its edges.
  const end = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 20_000);
  const start = new Date(end.getTime() - days * 86_400_000);
  await db.exec(`CREATE TABLE public.vigie_bench_chargement (
    moniteurs integer, jours integer, fin timestamptz, termine boolean NOT NULL DEFAULT false)`);
  await db.query('INSERT INTO public.vigie_bench_chargement (moniteurs, jours, fin) VALUES ($1, $2, $3)', [
    monitors,
    days,
    end,
  ]);
  await db.query(
    `INSERT INTO monitoring.moniteurs (nom, type, cible, intervalle_secondes, timeout_secondes, seuil_lent_ms, en_pause)
     SELECT 'bench ' || i, 'http', 'http://127.0.0.1:9/' || i, 60, 5, 800, true FROM generate_series(1, $1::int) AS i`,
    [monitors],
  );
  // The week partitions the service would have made as the days passed.
  await createResultPartitions(db, start, end);
  await db.exec(`ALTER TABLE monitoring.statuts DISABLE TRIGGER statuts_appliquer;
                 ALTER TABLE monitoring.statuts DISABLE TRIGGER statuts_notifier;`);
  const began = Date.now();
  for (let day = 0; day < days; day++) {
    const dayStart = new Date(start.getTime() + day * 86_400_000);
    // One result a minute per monitor, each monitor at its own second; latency 30-250 ms with a slow tail.
    await db.query(
      `INSERT INTO monitoring.statuts (moniteur_id, est_disponible, code_http, latence_ms, verifie_a, url, cause, erreur)
       SELECT m.id, NOT panne, CASE WHEN panne THEN 503 ELSE 200 END,
              CASE WHEN panne THEN 5000 ELSE 30 + h % 120 + CASE WHEN h % 50 = 0 THEN h % 2000 ELSE 0 END END,
              $1::timestamptz + make_interval(mins => minute, secs => m.id % 60), m.cible,
              CASE WHEN panne THEN 'http_status' END, CASE WHEN panne THEN 'HTTP 503' END
         FROM generate_series(0, ${DAY_MINUTES - 1}) AS minute
        CROSS JOIN monitoring.moniteurs m
        CROSS JOIN LATERAL (SELECT abs(hashint4(m.id * 1000003 + $2::int * ${DAY_MINUTES} + minute)) AS h,
                                   minute - ${DOWN_START} BETWEEN 0 AND ${DOWN_MINUTES_A_DAY - 1} AS panne) AS t`,
      [dayStart, day],
    );
    const rate = Math.round(((day + 1) * monitors * DAY_MINUTES) / ((Date.now() - began) / 1000));
    progress(`loaded day ${day + 1}/${days} (${rate.toLocaleString('en')} rows/s)`);
  }
  await db.exec(`ALTER TABLE monitoring.statuts ENABLE TRIGGER statuts_appliquer;
                 ALTER TABLE monitoring.statuts ENABLE TRIGGER statuts_notifier;
                 ALTER TABLE monitoring.alertes DISABLE TRIGGER USER;`);
  // The daily DOWN periods as the state machine would have recorded them.
  await db.query(
    `WITH periodes AS (
       SELECT m.id, $1::timestamptz + make_interval(days => d, mins => ${DOWN_START}, secs => m.id % 60) AS debut
         FROM monitoring.moniteurs m CROSS JOIN generate_series(0, $2::int - 1) AS d)
     INSERT INTO monitoring.transitions (moniteur_id, precedent, etat, cree_a)
     SELECT id, precedent, etat, instant FROM periodes,
       LATERAL (VALUES ('UP', 'DOWN', debut), ('DOWN', 'UP', debut + interval '${DOWN_MINUTES_A_DAY} minutes')) AS v(precedent, etat, instant)
      WHERE instant < $3
      ORDER BY instant`,
    [start, days, end],
  );
  await db.query(
    `INSERT INTO monitoring.alertes (moniteur_id, type, cause, numero_transition, cree_a)
     SELECT moniteur_id, etat, CASE etat WHEN 'DOWN' THEN 'HTTP 503' ELSE 'back up after 10 min down' END,
            row_number() OVER (PARTITION BY moniteur_id ORDER BY cree_a), cree_a
       FROM monitoring.transitions ORDER BY cree_a`,
  );
  await db.exec('ALTER TABLE monitoring.alertes ENABLE TRIGGER USER');
  progress('vacuum analyze (sets the visibility map for index-only reads)...');
  await db.exec(
    'VACUUM ANALYZE monitoring.statuts, monitoring.statuts_horaires, monitoring.transitions, monitoring.alertes',
  );
  await db.exec('UPDATE public.vigie_bench_chargement SET termine = true');
  progress(`loaded in ${Math.round((Date.now() - began) / 1000)} s`);
  return end;
}
