// `npm run bench:statistics` (also the second part of `npm run bench`): statistics, chart series and the
// CSV export over 1,000 monitors × 30 days of one-minute results (43 million rows) on the local PostgreSQL.
import { availableParallelism } from 'node:os';
import pino from 'pino';
import { startApp, type App } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { checkStatsOfMonitors, seriesOfMonitor, statsOfMonitor, type StatsRange } from '../server/stats/index.ts';
import { openStatisticsData, type StatisticsData } from './statistics-data.ts';
import { percentile } from './stats.ts';

const DAY_MS = 86_400_000;
const monitors = Number(process.env.BENCH_STATS_MONITORS ?? 1000);
const days = Number(process.env.BENCH_STATS_DAYS ?? 30);
const adminUrl = process.env.BENCH_DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres';
const databaseName = process.env.BENCH_STATS_DATABASE?.trim() || 'vigie_bench_statistics';
const RUNS = 30;

interface Timing {
  name: string;
  p50: number;
  p95: number;
  target?: number;
}

async function time(name: string, run: () => Promise<unknown>, target?: number): Promise<Timing> {
  for (let i = 0; i < 3; i++) await run(); // warm caches and plans
  const durations: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run();
    durations.push(performance.now() - started);
  }
  durations.sort((a, b) => a - b);
  const timing = { name, p50: percentile(durations, 50), p95: percentile(durations, 95), target };
  const verdict =
    target === undefined ? '' : timing.p50 < target ? `  PASS (< ${target} ms)` : `  FAIL (target < ${target} ms)`;
  console.log(
    `${name.padEnd(58)} p50 ${timing.p50.toFixed(1).padStart(7)} ms   p95 ${timing.p95.toFixed(1).padStart(7)} ms${verdict}`,
  );
  return timing;
}

async function gql(app: App, query: string): Promise<unknown> {
  const response = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body;
}

/** Downloads the whole CSV export, counting lines, and samples the service's memory meanwhile. */
async function exportAll(
  app: App,
): Promise<{ rows: number; bytes: number; seconds: number; peakRssMb: number; startRssMb: number }> {
  const startRssMb = process.memoryUsage().rss / 2 ** 20;
  let peakRssMb = startRssMb;
  const sampler = setInterval(() => {
    peakRssMb = Math.max(peakRssMb, process.memoryUsage().rss / 2 ** 20);
  }, 250);
  const started = performance.now();
  const response = await fetch(`${app.url}/api/export?format=csv`);
  if (!response.ok || !response.body) throw new Error(`export answered ${response.status}: ${await response.text()}`);
  let lines = 0;
  let bytes = 0;
  for await (const chunk of response.body) {
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  }
  clearInterval(sampler);
  return { rows: lines - 1, bytes, seconds: (performance.now() - started) / 1000, peakRssMb, startRssMb };
}

async function main(): Promise<void> {
  const logger = pino({ level: 'warn' });
  console.log(`Vigie statistics benchmark — Node ${process.version}, ${availableParallelism()} cores`);
  console.log(`${monitors} monitors × ${days} days × one result a minute, database ${databaseName} (kept for reruns)`);
  const data: StatisticsData = await openStatisticsData(adminUrl, databaseName, monitors, days, logger, (line) =>
    console.log(`  ${line}`),
  );
  console.log(`about ${data.rows.toLocaleString('en')} results\n`);
  const { db, monitorIds, end } = data;
  // The data ends where the load stopped: ranges end there, as a window ending now would.
  const range = (spanMs: number): StatsRange => ({ from: new Date(end.getTime() - spanMs), to: end, endsNow: true });
  const month = range(30 * DAY_MS);
  const day = range(DAY_MS);
  let next = 0;
  const someMonitor = () => monitorIds[(next = (next + 7) % monitorIds.length)]!;

  const timings: Timing[] = [];
  timings.push(
    await time(
      '30-day stats of one monitor (counts, p50/95/99, incidents)',
      () => statsOfMonitor(db, someMonitor(), month, end),
      20,
    ),
  );
  timings.push(await time('24 h availability of all monitors', () => checkStatsOfMonitors(db, monitorIds, day), 100));
  timings.push(
    await time('30-day chart series of one monitor (1 h buckets)', () =>
      seriesOfMonitor(db, someMonitor(), month, 3600),
    ),
  );
  timings.push(
    await time('30-day chart series of one monitor (4 h buckets)', () =>
      seriesOfMonitor(db, someMonitor(), month, 4 * 3600),
    ),
  );
  timings.push(
    await time('24 h chart series of one monitor (5 min buckets, raw)', () =>
      seriesOfMonitor(db, someMonitor(), day, 300),
    ),
  );
  timings.push(
    await time('365-day stats of one monitor', () => statsOfMonitor(db, someMonitor(), range(365 * DAY_MS), end)),
  );
  await db.close();

  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: data.url,
    LOG_LEVEL: 'warn',
    AUTH_DISABLED: 'true',
    RETENTION_JOURS: '0',
    RETENTION_CUMULS_JOURS: '0',
  });
  const app = await startApp(config, logger);
  try {
    const from = day.from.toISOString();
    const to = day.to.toISOString();
    timings.push(
      await time("the dashboard's list over GraphQL (all monitors, 24 h availability)", () =>
        gql(
          app,
          `{ monitors { id name status lastResult { isUp latencyMs checkedAt } stats(from: "${from}", to: "${to}") { availability } } }`,
        ),
      ),
    );
    console.log('\nfull CSV export over HTTP (GET /api/export?format=csv)...');
    const exported = await exportAll(app);
    const rate = exported.rows / exported.seconds;
    console.log(
      `export: ${exported.rows.toLocaleString('en')} rows, ${(exported.bytes / 2 ** 30).toFixed(2)} GiB in ${exported.seconds.toFixed(1)} s = ` +
        `${Math.round(rate).toLocaleString('en')} rows/s ${rate > 200_000 ? 'PASS' : 'FAIL'} (target > 200,000); ` +
        `service RSS ${exported.startRssMb.toFixed(0)} MB before, peak ${exported.peakRssMb.toFixed(0)} MB`,
    );
    const failed = timings
      .filter((timing) => timing.target !== undefined && timing.p50 >= timing.target)
      .map((timing) => timing.name);
    if (rate <= 200_000) failed.push('export rows/s');
    console.log(failed.length ? `targets missed: ${failed.join('; ')}` : 'all targets met');
  } finally {
    await app.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
