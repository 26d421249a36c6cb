// `npm run bench:heartbeats` (part of `npm run bench`): 10,000 heartbeat monitors pinged every 10 s over HTTP
// keep-alive (1,000 pings/s) at a real service process on a throwaway PostgreSQL database. Prints the pings'
// latency, then stops pinging a share of the monitors and measures how long after each deadline (last ping +
// interval + grace) its DOWN result (cause timeout) was written. Targets: ping p99 < 20 ms, deadlines within 1 s.
import http from 'node:http';
import { availableParallelism } from 'node:os';
import pino from 'pino';
import { startServiceProcess, type ServiceProcess } from '../tests/helpers/process.ts';
import { integer, loadBenchConfig } from './config.ts';
import { createBenchDatabase, type BenchDatabase } from './database.ts';
import { isInterrupted, runBench } from './run.ts';
import { percentile } from './stats.ts';

const MONITORS = integer('BENCH_HEARTBEATS', 10_000, 1, 1_000_000);
const INTERVAL_S = integer('BENCH_HEARTBEAT_INTERVAL_SECONDS', 10, 1, 3600);
const GRACE_S = integer('BENCH_HEARTBEAT_GRACE_SECONDS', 2, 0, 3600);
const SECONDS = integer('BENCH_HEARTBEAT_SECONDS', 30, 5, 3600);
/** One monitor in this many stops being pinged after the window, to measure how late its deadline is found. */
const SILENT_EVERY = 20;
const SOCKETS = 32;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function seed(database: BenchDatabase): Promise<Array<{ id: number; token: string }>> {
  const { rows } = await database.db.query<{ id: number; jeton_ping: string }>(
    `INSERT INTO monitoring.moniteurs (nom, type, cible, intervalle_secondes, timeout_secondes, seuil_lent_ms,
                                       parametres_http, delai_grace_secondes, jeton_ping)
     SELECT 'heartbeat ' || g, 'push', 'heartbeat', $2, 1, 60000, '{}'::jsonb, $3,
            md5(random()::text || g)
       FROM generate_series(1, $1::int) AS g
     RETURNING id, jeton_ping`,
    [MONITORS, INTERVAL_S, GRACE_S],
  );
  await database.db.exec('ANALYZE monitoring.moniteurs, monitoring.etats_moniteurs');
  return rows.map((row) => ({ id: row.id, token: row.jeton_ping }));
}

/** GET /api/ping/<token> on a keep-alive agent; resolves with the status and the time to the end of the body. */
function ping(agent: http.Agent, base: URL, token: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const request = http.get(
      { agent, host: base.hostname, port: base.port, path: `/api/ping/${token}` },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, ms: performance.now() - started }));
      },
    );
    request.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
  });
}

/**
 * Pings every monitor once per interval, spread evenly (MONITORS / INTERVAL_S per second), for `seconds`;
 * `skip` monitors are left out. Returns the latencies (ms) and the statuses that were not 200.
 */
async function pingFor(
  agent: http.Agent,
  base: URL,
  monitors: Array<{ token: string }>,
  seconds: number,
  skip: (index: number) => boolean,
): Promise<{ latencies: number[]; failures: Map<number, number> }> {
  const latencies: number[] = [];
  const failures = new Map<number, number>();
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  const total = Math.floor((seconds * monitors.length) / INTERVAL_S);
  const perMs = monitors.length / (INTERVAL_S * 1000);
  let sent = 0;
  while (sent < total && !isInterrupted()) {
    const due = Math.min(total, Math.floor((performance.now() - started) * perMs));
    for (; sent < due; sent++) {
      const index = sent % monitors.length;
      if (skip(index)) continue;
      const request = ping(agent, base, monitors[index]!.token).then(({ status, ms }) => {
        if (status === 200) latencies.push(ms);
        else failures.set(status, (failures.get(status) ?? 0) + 1);
        inFlight.delete(request);
      });
      inFlight.add(request);
    }
    await sleep(5);
  }
  await Promise.all(inFlight);
  return { latencies, failures };
}

async function main(): Promise<void> {
  const config = loadBenchConfig();
  const logger = pino({ level: 'warn' });
  console.log(
    `Vigie heartbeat benchmark — Node ${process.version}, ${availableParallelism()} cores\n` +
      `${MONITORS} heartbeat monitors · every ${INTERVAL_S} s + ${GRACE_S} s of grace · ` +
      `${Math.round(MONITORS / INTERVAL_S)} pings/s over ${SOCKETS} keep-alive connections · window ${SECONDS} s`,
  );
  let database: BenchDatabase | null = null;
  let service: ServiceProcess | null = null;
  const agent = new http.Agent({ keepAlive: true, maxSockets: SOCKETS });
  try {
    database = await createBenchDatabase(config.adminDatabaseUrl, logger);
    const monitors = await seed(database);
    service = await startServiceProcess({ DATABASE_URL: database.url });
    const base = new URL(service.url);
    // A first round (not measured) gives every monitor a ping, so none is late from its creation.
    await pingFor(agent, base, monitors, INTERVAL_S, () => false);
    const window = await pingFor(agent, base, monitors, SECONDS, () => false);
    const sorted = Float64Array.from(window.latencies).sort();
    const p99 = percentile(sorted, 99);
    console.log(
      `pings: ${sorted.length} answered 200 in ${SECONDS} s (${Math.round(sorted.length / SECONDS)}/s)` +
        `, p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${sorted[sorted.length - 1]?.toFixed(1)} ms` +
        (window.failures.size ? `; not 200: ${JSON.stringify(Object.fromEntries(window.failures))}` : ''),
    );

    // One monitor in SILENT_EVERY stops being pinged; the others go on, so the service stays under load.
    const silent = (index: number) => index % SILENT_EVERY === 0;
    const silentIds = monitors.filter((_, index) => silent(index)).map((monitor) => monitor.id);
    const since = new Date();
    await pingFor(agent, base, monitors, INTERVAL_S + GRACE_S + 3, silent);
    const { rows } = await database.db.query<{ delay_ms: number; silent: boolean }>(
      // The first DOWN of each monitor since the pings stopped, against its deadline.
      `SELECT DISTINCT ON (s.moniteur_id)
              extract(epoch FROM (s.verifie_a - (b.dernier_ping_a
                + make_interval(secs => m.intervalle_secondes + m.delai_grace_secondes)))) * 1000 AS delay_ms,
              s.moniteur_id = ANY($2::int[]) AS silent
         FROM monitoring.statuts s
         JOIN monitoring.moniteurs m ON m.id = s.moniteur_id
         JOIN monitoring.battements b ON b.moniteur_id = s.moniteur_id
        WHERE s.cause = 'timeout' AND s.verifie_a >= $1
        ORDER BY s.moniteur_id, s.verifie_a`,
      [since, silentIds],
    );
    const delays = Float64Array.from(rows.filter((row) => row.silent).map((row) => Number(row.delay_ms))).sort();
    const falseAlarms = rows.filter((row) => !row.silent).length;
    const worst = delays.length ? delays[delays.length - 1]! : Number.NaN;
    console.log(
      `deadlines: ${delays.length} of ${silentIds.length} silent monitors found late; after the deadline: ` +
        `p50 ${percentile(delays, 50).toFixed(0)} ms, p99 ${percentile(delays, 99).toFixed(0)} ms, max ${worst.toFixed(0)} ms; ` +
        `${falseAlarms} monitors still pinged reported late`,
    );
    const missed = [
      ...(p99 < 20 ? [] : [`ping p99 ${p99.toFixed(1)} ms ≥ 20 ms`]),
      ...(delays.length === silentIds.length ? [] : [`${silentIds.length - delays.length} deadlines not found`]),
      ...(worst < 1000 ? [] : [`a deadline found ${worst.toFixed(0)} ms late (≥ 1 s)`]),
      ...(falseAlarms === 0 ? [] : [`${falseAlarms} false timeouts`]),
    ];
    console.log(missed.length ? `targets missed:\n  ${missed.join('\n  ')}` : 'all targets met');
  } finally {
    agent.destroy();
    await service?.stop();
    await database?.drop().then(
      () => console.log(`database ${database?.name} dropped`),
      (error: unknown) => console.error(`could not drop ${database?.name}: ${(error as Error).message}`),
    );
  }
}

await runBench(main);
