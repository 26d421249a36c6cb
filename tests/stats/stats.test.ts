// Statistics against hand-computed figures on small known data, and the rollups against raw computation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertResults, type Db } from '../../server/db/index.ts';
import { bucketOf } from '../helpers/latency-buckets.ts';
import {
  checkStatsOfMonitors,
  HISTOGRAM_RELATIVE_ERROR,
  incidentsOfMonitors,
  latencyPercentilesOfMonitors,
  seriesOfMonitor,
  statsOfMonitor,
} from '../../server/stats/index.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { createMonitor, result } from '../helpers/factories.ts';

let testDb: TestDb;
let db: Db;

beforeAll(async () => {
  testDb = await createTestDb();
  db = testDb.db;
});

afterAll(async () => {
  await testDb?.drop();
});

const at = (time: string) => new Date(`2025-03-10T${time}Z`);
const range = (from: string, to: string) => ({ from: at(from), to: at(to) });
const up = (monitorId: number, time: string, latencyMs: number) =>
  result(monitorId, true, { checkedAt: at(time), latencyMs });
const down = (monitorId: number, time: string) => result(monitorId, false, { checkedAt: at(time), latencyMs: 5000 });

describe('check counts, availability and latency', () => {
  it('adds whole hours from the rollups to the raw partial hours at both edges', async () => {
    const { id } = await createMonitor(db, { paused: true });
    await insertResults(db, [
      up(id, '10:30:00', 100),
      down(id, '10:50:00'),
      up(id, '11:10:00', 200),
      up(id, '11:40:00', 300),
      up(id, '12:20:00', 50),
      down(id, '13:05:00'),
    ]);
    // [10:40, 12:30): raw 10:40-11:00 and 12:00-12:30, the 11:00 hour from its rollup.
    const [stats] = await checkStatsOfMonitors(db, [id], range('10:40:00', '12:30:00'));
    expect(stats).toEqual({
      availability: 75,
      checks: 4,
      failures: 1,
      latencyAvg: 550 / 3,
      latencyMin: 50,
      latencyMax: 300,
    });
    // Ending now, the current hour comes from its rollup, which holds every result up to now.
    const [endingNow] = await checkStatsOfMonitors(db, [id], { ...range('10:40:00', '12:30:00'), endsNow: true });
    expect(endingNow).toEqual(stats);
    // Edges are inclusive at from, exclusive at to.
    const [edges] = await checkStatsOfMonitors(db, [id], range('10:50:00', '12:20:00'));
    expect(edges).toMatchObject({ checks: 3, failures: 1 });
  });

  it('gives zeros and nulls to a monitor without checks, in the order asked', async () => {
    const quiet = await createMonitor(db, { paused: true });
    const busy = await createMonitor(db, { paused: true });
    await insertResults(db, [up(busy.id, '08:00:00', 10)]);
    const stats = await checkStatsOfMonitors(db, [quiet.id, busy.id], range('07:00:00', '09:00:00'));
    expect(stats).toEqual([
      { availability: null, checks: 0, failures: 0, latencyAvg: null, latencyMin: null, latencyMax: null },
      { availability: 100, checks: 1, failures: 0, latencyAvg: 10, latencyMin: 10, latencyMax: 10 },
    ]);
  });
});

describe('latency percentiles', () => {
  it('are exact (interpolated like percentile_cont) for windows up to 24 hours', async () => {
    const { id } = await createMonitor(db, { paused: true });
    // 1..100 ms, one a minute from 00:00, plus failures that do not count.
    const results = Array.from({ length: 100 }, (_, i) =>
      result(id, true, { checkedAt: new Date(at('00:00:00').getTime() + i * 60_000), latencyMs: i + 1 }),
    );
    await insertResults(db, [...results, down(id, '00:30:30')]);
    const [percentiles] = await latencyPercentilesOfMonitors(db, [id], range('00:00:00', '23:00:00'));
    expect(percentiles).toEqual({ p50: 50.5, p95: 95.05, p99: 99.01, exact: true });
  });

  it('come from the histograms beyond 24 hours, within the documented error', async () => {
    const { id } = await createMonitor(db, { paused: true });
    const start = Date.parse('2025-02-01T00:00:00Z');
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const latencies = Array.from({ length: 3000 }, () => Math.round(20 + random() ** 3 * 3000));
    await insertResults(
      db,
      latencies.map((latencyMs, i) => result(id, true, { checkedAt: new Date(start + i * 97_000), latencyMs })),
    );
    const window = { from: new Date(start + 1_234_567), to: new Date(start + 3000 * 97_000) };
    const [estimated] = await latencyPercentilesOfMonitors(db, [id], window);
    const { rows } = await db.query<{ p: number[] }>(
      `SELECT percentile_cont(ARRAY[0.5, 0.95, 0.99]::float8[]) WITHIN GROUP (ORDER BY latence_ms) AS p
         FROM monitoring.statuts WHERE moniteur_id = $1 AND verifie_a >= $2 AND verifie_a < $3`,
      [id, window.from, window.to],
    );
    const [p50, p95, p99] = rows[0]!.p;
    expect(estimated!.exact).toBe(false);
    for (const [value, exact] of [
      [estimated!.p50, p50],
      [estimated!.p95, p95],
      [estimated!.p99, p99],
    ] as const) {
      expect(Math.abs(value! - exact!) / exact!).toBeLessThanOrEqual(HISTOGRAM_RELATIVE_ERROR);
    }
  });
});

describe('rollups', () => {
  it('equal the raw computation, whatever the batches and their order', async () => {
    const monitors = [await createMonitor(db, { paused: true }), await createMonitor(db, { paused: true })];
    const start = Date.parse('2025-01-01T00:00:00Z');
    const all = Array.from({ length: 2000 }, (_, i) =>
      result(monitors[i % 2]!.id, i % 7 !== 0, {
        checkedAt: new Date(start + ((i * 7919) % 2000) * 131_000),
        latencyMs: (i * 37) % 2500,
      }),
    );
    // Several batches, out of time order, the way concurrent writers and late results arrive.
    for (let i = 0; i < all.length; i += 333) await insertResults(db, all.slice(i, i + 333));
    const ids = monitors.map((monitor) => monitor.id);
    // The expected rollups, computed here from the raw rows.
    const expected = new Map<
      string,
      {
        verifications: number;
        echecs: number;
        somme: number;
        min: number | null;
        max: number | null;
        histogram: Map<number, number>;
      }
    >();
    for (const row of all) {
      const hour = Math.floor(row.checkedAt.getTime() / 3_600_000) * 3_600_000;
      const key = `${row.monitorId}@${new Date(hour).toISOString()}`;
      const rollup = expected.get(key) ?? {
        verifications: 0,
        echecs: 0,
        somme: 0,
        min: null,
        max: null,
        histogram: new Map(),
      };
      rollup.verifications++;
      if (!row.isUp) rollup.echecs++;
      else {
        rollup.somme += row.latencyMs;
        rollup.min = Math.min(rollup.min ?? Infinity, row.latencyMs);
        rollup.max = Math.max(rollup.max ?? -Infinity, row.latencyMs);
        rollup.histogram.set(bucketOf(row.latencyMs), (rollup.histogram.get(bucketOf(row.latencyMs)) ?? 0) + 1);
      }
      expected.set(key, rollup);
    }
    const { rows: stored } = await db.query<{
      moniteur_id: number;
      heure: Date;
      verifications: number;
      echecs: number;
      latence_somme: number;
      latence_min: number | null;
      latence_max: number | null;
      seaux: number[];
      nombres: number[];
    }>('SELECT * FROM monitoring.statuts_horaires WHERE moniteur_id = ANY($1)', [ids]);
    expect(stored).toHaveLength(expected.size);
    for (const row of stored) {
      const rollup = expected.get(`${row.moniteur_id}@${row.heure.toISOString()}`);
      const buckets = [...(rollup?.histogram.keys() ?? [])].sort((a, b) => a - b);
      expect(row).toEqual({
        moniteur_id: row.moniteur_id,
        heure: row.heure,
        verifications: rollup?.verifications,
        echecs: rollup?.echecs,
        latence_somme: rollup?.somme,
        latence_min: rollup?.min,
        latence_max: rollup?.max,
        seaux: buckets,
        nombres: buckets.map((bucket) => rollup!.histogram.get(bucket)),
      });
    }
    const { rows: hours } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM monitoring.statuts_horaires WHERE moniteur_id = ANY($1)',
      [ids],
    );
    expect(hours[0]!.n).toBeGreaterThan(100);

    // Any window: the rollup-based counts equal a plain count over the raw rows.
    for (const [fromOffset, toOffset] of [
      [0, 3_600_000],
      [1_234_000, 50 * 3_600_000 + 17_000],
      [-5_000_000, 80 * 3_600_000],
      [3_000_000, 3_100_000],
    ] as const) {
      const window = { from: new Date(start + fromOffset), to: new Date(start + toOffset) };
      const fromRollups = await checkStatsOfMonitors(db, ids, window);
      const { rows } = await db.query<{
        moniteur_id: number;
        checks: number;
        failures: number;
        mn: number | null;
        mx: number | null;
        total: number | null;
      }>(
        `SELECT moniteur_id, count(*)::int AS checks, (count(*) FILTER (WHERE NOT est_disponible))::int AS failures,
                min(latence_ms) FILTER (WHERE est_disponible) AS mn, max(latence_ms) FILTER (WHERE est_disponible) AS mx,
                sum(latence_ms) FILTER (WHERE est_disponible)::int8 AS total
           FROM monitoring.statuts WHERE moniteur_id = ANY($1) AND verifie_a >= $2 AND verifie_a < $3
          GROUP BY moniteur_id`,
        [ids, window.from, window.to],
      );
      const raw = ids.map((id) => rows.find((row) => row.moniteur_id === id));
      fromRollups.forEach((stats, i) => {
        const expected = raw[i];
        expect(stats.checks, `window ${fromOffset}..${toOffset}`).toBe(expected?.checks ?? 0);
        expect(stats.failures).toBe(expected?.failures ?? 0);
        expect(stats.latencyMin).toBe(expected?.mn ?? null);
        expect(stats.latencyMax).toBe(expected?.mx ?? null);
        const successes = stats.checks - stats.failures;
        expect(stats.latencyAvg).toBe(successes ? expected!.total! / successes : null);
      });
    }
  });

  it('bucket latencies the same way in SQL and in TypeScript', async () => {
    const values = [
      0,
      1,
      31,
      32,
      33,
      63,
      64,
      65,
      100,
      127,
      128,
      999,
      1000,
      1023,
      1024,
      65_535,
      86_400_000,
      2 ** 31 - 1,
    ];
    const { rows } = await db.query<{ s: number }>(
      'SELECT monitoring.seau_latence(v) AS s FROM unnest($1::int[]) WITH ORDINALITY AS u(v, i) ORDER BY i',
      [values],
    );
    expect(rows.map((row) => row.s)).toEqual(values.map(bucketOf));
  });
});

describe('incidents', () => {
  it('follow the state machine: start, end and duration, MTTR, and an incident cut by the window', async () => {
    const { id } = await createMonitor(db, { paused: false, retries: 1 });
    await insertResults(db, [up(id, '09:00:00', 10), down(id, '09:10:00')]);
    await insertResults(db, [down(id, '09:20:00'), up(id, '09:40:00', 10)]);
    await insertResults(db, [down(id, '10:00:00'), up(id, '10:05:00', 10), down(id, '11:00:00')]);
    const now = at('12:00:00');

    const [whole] = await incidentsOfMonitors(db, [id], range('08:00:00', '12:00:00'), now);
    expect(whole).toEqual({
      incidents: [
        { start: at('09:10:00'), end: at('09:40:00'), durationSeconds: 1800 },
        { start: at('10:00:00'), end: at('10:05:00'), durationSeconds: 300 },
        { start: at('11:00:00'), end: null, durationSeconds: 3600 },
      ],
      downtimeSeconds: 1800 + 300 + 3600,
      mttrSeconds: (1800 + 300) / 2,
    });

    // From 09:30: the first incident started before the window; only its last 10 minutes are downtime here.
    const [cut] = await incidentsOfMonitors(db, [id], range('09:30:00', '10:30:00'), now);
    expect(cut).toEqual({
      incidents: [
        { start: at('09:10:00'), end: at('09:40:00'), durationSeconds: 1800 },
        { start: at('10:00:00'), end: at('10:05:00'), durationSeconds: 300 },
      ],
      downtimeSeconds: 600 + 300,
      mttrSeconds: 1050,
    });

    // An incident that ended exactly at the window's start is not in it.
    const [after] = await incidentsOfMonitors(db, [id], range('09:40:00', '09:59:00'), now);
    expect(after).toEqual({ incidents: [], downtimeSeconds: 0, mttrSeconds: null });
  });

  it('do not count paused time as downtime', async () => {
    const { id } = await createMonitor(db, { paused: false });
    // Down at 10:10, paused 10:20 to 10:50 (still down when resumed), back up at 11:00.
    // Raw SQL: a pause in the past, which pausing cannot make (its transition is dated now).
    await db.query(
      `INSERT INTO monitoring.transitions (moniteur_id, precedent, etat, cree_a) VALUES
         ($1, 'PENDING', 'UP', $2), ($1, 'UP', 'DOWN', $3), ($1, 'DOWN', 'PAUSED', $4),
         ($1, 'PAUSED', 'DOWN', $5), ($1, 'DOWN', 'UP', $6), ($1, 'UP', 'PAUSED', $7)`,
      [id, at('10:00:00'), at('10:10:00'), at('10:20:00'), at('10:50:00'), at('11:00:00'), at('11:30:00')],
    );
    const [summary] = await incidentsOfMonitors(db, [id], range('10:00:00', '12:00:00'), at('13:00:00'));
    expect(summary).toEqual({
      incidents: [{ start: at('10:10:00'), end: at('11:00:00'), durationSeconds: 1200 }],
      downtimeSeconds: 1200,
      mttrSeconds: 1200,
    });
    // A window inside the pause holds the incident but no downtime.
    const [paused] = await incidentsOfMonitors(db, [id], range('10:25:00', '10:45:00'), at('13:00:00'));
    expect(paused!.downtimeSeconds).toBe(0);
    expect(paused!.incidents).toHaveLength(1);
  });
});

describe('series and the whole', () => {
  it('buckets by the resolution, from rollups for whole hours and raw rows otherwise', async () => {
    const { id } = await createMonitor(db, { paused: true });
    await insertResults(db, [
      up(id, '10:30:00', 100),
      down(id, '10:50:00'),
      up(id, '11:10:00', 200),
      up(id, '11:40:00', 300),
      up(id, '12:20:00', 50),
    ]);
    const hourly = await seriesOfMonitor(db, id, range('10:40:00', '12:30:00'), 3600);
    expect(hourly).toEqual([
      {
        start: at('10:00:00'),
        availability: 0,
        checks: 1,
        failures: 1,
        latencyAvg: null,
        latencyMin: null,
        latencyMax: null,
      },
      {
        start: at('11:00:00'),
        availability: 100,
        checks: 2,
        failures: 0,
        latencyAvg: 250,
        latencyMin: 200,
        latencyMax: 300,
      },
      {
        start: at('12:00:00'),
        availability: 100,
        checks: 1,
        failures: 0,
        latencyAvg: 50,
        latencyMin: 50,
        latencyMax: 50,
      },
    ]);
    const fine = await seriesOfMonitor(db, id, range('10:00:00', '12:00:00'), 1800);
    expect(fine.map((point) => [point.start, point.checks, point.latencyAvg])).toEqual([
      [at('10:30:00'), 2, 100],
      [at('11:00:00'), 1, 200],
      [at('11:30:00'), 1, 300],
    ]);

    const stats = await statsOfMonitor(db, id, range('10:40:00', '12:30:00'), at('13:00:00'));
    expect(stats).toMatchObject({
      monitorId: id,
      checks: 4,
      failures: 1,
      availability: 75,
      percentiles: { exact: true, p50: 200 },
    });
    expect(hourly.reduce((sum, point) => sum + point.checks, 0)).toBe(stats.checks);
  });
});
