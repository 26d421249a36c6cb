// Retention: old results, rollups, alerts and transitions are deleted, in batches, by one run at a time; what is
// recent, what is still to be notified, and everything when retention is 0, stays.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/index.ts';
import { deleteAllData, insertResults, tryLockRetention } from '../../server/db/index.ts';
import { openPostgres } from '../../server/db/postgres.ts';
import { pruneOldData, scheduleRetention, type PruneReport, type RetentionPolicy } from '../../server/results/index.ts';
import { startTestApp } from '../helpers/app.ts';
import { countingDb } from '../helpers/counting-db.ts';
import { createTestDb, testDbKind, type TestDb } from '../helpers/db.ts';
import { createChannel, createMonitor, deleteEveryChannel, result } from '../helpers/factories.ts';
import { capturingLogger, silentLogger } from '../helpers/logger.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// On the hour, so that both cutoffs fall on the rollups' hour grid.
const NOW = Date.parse('2026-06-01T12:00:00Z');
const POLICY: RetentionPolicy = { resultsDays: 90, rollupsDays: 730 };
/** Results' cutoff and rollups' (alerts', transitions') cutoff. */
const RC = NOW - 90 * DAY;
const KC = NOW - 730 * DAY;

let testDb: TestDb;
let db: Db;

beforeAll(async () => {
  testDb = await createTestDb();
  db = testDb.db;
});
afterEach(async () => {
  await db.transaction((tx) => deleteAllData(tx));
  await deleteEveryChannel(db);
});
afterAll(async () => {
  await testDb.drop();
});

const at = (ms: number) => new Date(ms);
/** `count` up one-off results, one minute apart, the newest one minute before `newest`. */
const oneOffResultsBefore = (newest: number, count: number) =>
  Array.from({ length: count }, (_, g) =>
    result(null, true, {
      httpStatus: null,
      latencyMs: 10,
      checkedAt: at(newest - (g + 1) * 60_000),
      target: 'http://x/',
    }),
  );
const iso = (ms: number) => new Date(ms).toISOString();

/** Paused monitors with only successful results raise no alert and no transition of their own. */
const quietMonitor = (name: string) => createMonitor(db, { name, paused: true });

// Raw SQL: an alert or a transition dated in the past, which only the database's own clock writes otherwise.
async function insertAlert(monitorId: number | null, label: string, createdAt: number): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO monitoring.alertes (moniteur_id, type, cause, cree_a) VALUES ($1, $2, $3, $4) RETURNING id`,
    [monitorId, monitorId === null ? 'CHECKER_DEGRADED' : 'DOWN', label, at(createdAt)],
  );
  return rows[0]!.id;
}

async function insertTransition(monitorId: number, createdAt: number): Promise<void> {
  await db.query(
    `INSERT INTO monitoring.transitions (moniteur_id, precedent, etat, cree_a) VALUES ($1, 'UP', 'DOWN', $2)`,
    [monitorId, at(createdAt)],
  );
}

async function remainingResults(): Promise<Array<[number | null, string]>> {
  const { rows } = await db.query<{ moniteur_id: number | null; verifie_a: Date }>(
    'SELECT moniteur_id, verifie_a FROM monitoring.statuts ORDER BY moniteur_id NULLS FIRST, verifie_a',
  );
  return rows.map((row) => [row.moniteur_id, row.verifie_a.toISOString()]);
}

async function remainingRollups(): Promise<Array<[number, string, number]>> {
  const { rows } = await db.query<{ moniteur_id: number; heure: Date; verifications: number }>(
    'SELECT moniteur_id, heure, verifications FROM monitoring.statuts_horaires ORDER BY moniteur_id, heure',
  );
  return rows.map((row) => [row.moniteur_id, row.heure.toISOString(), row.verifications]);
}

async function remainingAlerts(): Promise<string[]> {
  const { rows } = await db.query<{ cause: string }>('SELECT cause FROM monitoring.alertes ORDER BY cree_a, id');
  return rows.map((row) => row.cause);
}

async function remainingTransitions(): Promise<Array<[number, string]>> {
  const { rows } = await db.query<{ moniteur_id: number; cree_a: Date }>(
    'SELECT moniteur_id, cree_a FROM monitoring.transitions ORDER BY moniteur_id, cree_a',
  );
  return rows.map((row) => [row.moniteur_id, row.cree_a.toISOString()]);
}

async function countRows(): Promise<Record<string, number>> {
  const { rows } = await db.query<Record<string, number>>(
    `SELECT (SELECT count(*)::int FROM monitoring.statuts) AS results,
            (SELECT count(*)::int FROM monitoring.statuts_horaires) AS rollups,
            (SELECT count(*)::int FROM monitoring.alertes) AS alerts,
            (SELECT count(*)::int FROM monitoring.transitions) AS transitions,
            (SELECT count(*)::int FROM monitoring.livraisons) AS deliveries`,
  );
  return rows[0]!;
}

/** Rows on both sides of both cutoffs, for two monitors and one-off checks. */
async function seed() {
  const a = await quietMonitor('a');
  const b = await quietMonitor('b');
  const aTimes = [KC - 90 * MINUTE, KC - 1, KC, KC + 30 * MINUTE, RC - 1, RC, NOW - MINUTE];
  await insertResults(db, [
    ...aTimes.map((time) => result(a.id, true, { checkedAt: at(time) })),
    result(null, true, { checkedAt: at(RC - DAY) }),
    result(null, false, { checkedAt: at(RC + DAY) }),
    result(b.id, true, { checkedAt: at(RC + HOUR) }),
    result(b.id, true, { checkedAt: at(NOW - 2 * MINUTE) }),
  ]);

  for (const [label, time] of [
    ['a old', KC - DAY],
    ['a just before', KC - 1],
    ['a at cutoff', KC],
    ['a after', KC + DAY],
  ] as const) {
    await insertAlert(a.id, label, time);
  }
  await insertAlert(null, 'checker old', KC - DAY);
  await insertAlert(b.id, 'b recent', NOW - DAY);
  // From here on every alert gets a delivery to this channel.
  await createChannel(db, { name: 'hook', kind: 'webhook', settings: { url: 'http://127.0.0.1:9/' }, isDefault: true });
  const pending = await insertAlert(a.id, 'a pending delivery', KC - 2 * DAY);
  const delivered = await insertAlert(a.id, 'a delivered', KC - 3 * DAY);
  const failed = await insertAlert(b.id, 'b failed delivery', KC - 4 * DAY);
  // Raw SQL: settled deliveries without running a delivery worker.
  await db.query(`UPDATE monitoring.livraisons SET statut = 'livree' WHERE alerte_id = $1`, [delivered]);
  await db.query(`UPDATE monitoring.livraisons SET statut = 'echouee' WHERE alerte_id = $1`, [failed]);

  // Out of time order: transitions are pruned by time, whatever their ids.
  for (const time of [KC + DAY, KC - 1, KC, KC - DAY]) await insertTransition(a.id, time);
  await insertTransition(b.id, KC - DAY);
  await insertTransition(b.id, NOW - DAY);
  return { a, b, pending };
}

describe('pruneOldData', () => {
  it('deletes exactly what is older than its cutoff, and keeps rows at the cutoff', async () => {
    const { a, b, pending } = await seed();

    const report = await pruneOldData(db, POLICY, { now: at(NOW), pauseMs: 0 });

    expect(report).toEqual({ resultPartitions: 0, results: 6, rollups: 2, alerts: 5, transitions: 3, complete: true });
    expect(await remainingResults()).toEqual([
      [null, iso(RC + DAY)],
      [a.id, iso(RC)],
      [a.id, iso(NOW - MINUTE)],
      [b.id, iso(RC + HOUR)],
      [b.id, iso(NOW - 2 * MINUTE)],
    ]);
    // The rollups outlive the results: every hour of `a` that has not ended by the rollups' cutoff stays.
    expect(await remainingRollups()).toEqual([
      [a.id, iso(KC), 2],
      [a.id, iso(RC - HOUR), 1],
      [a.id, iso(RC), 1],
      [a.id, iso(NOW - HOUR), 1],
      [b.id, iso(RC + HOUR), 1],
      [b.id, iso(NOW - HOUR), 1],
    ]);
    expect(await remainingAlerts()).toEqual(['a pending delivery', 'a at cutoff', 'a after', 'b recent']);
    const deliveries = await db.query<{ alerte_id: number; statut: string }>(
      'SELECT alerte_id, statut FROM monitoring.livraisons',
    );
    expect(deliveries.rows).toEqual([{ alerte_id: pending, statut: 'en_attente' }]);
    expect(await remainingTransitions()).toEqual([
      [a.id, iso(KC)],
      [a.id, iso(KC + DAY)],
      [b.id, iso(NOW - DAY)],
    ]);

    // A second run finds nothing more.
    expect(await pruneOldData(db, POLICY, { now: at(NOW), pauseMs: 0 })).toEqual({
      resultPartitions: 0,
      results: 0,
      rollups: 0,
      alerts: 0,
      transitions: 0,
      complete: true,
    });
  });

  it('keeps a rollup whose hour overlaps the kept window', async () => {
    const monitor = await quietMonitor('hours');
    await insertResults(db, [
      result(monitor.id, true, { checkedAt: at(KC - 1) }),
      result(monitor.id, true, { checkedAt: at(KC + 10 * MINUTE) }),
    ]);
    // The cutoff falls at KC + 30 min: the hour before KC is over by then, the hour from KC is not.
    expect(await pruneOldData(db, POLICY, { now: at(NOW + 30 * MINUTE), pauseMs: 0 })).toMatchObject({ rollups: 1 });
    expect(await remainingRollups()).toEqual([[monitor.id, iso(KC), 1]]);
  });

  it.each<[string, RetentionPolicy, Omit<PruneReport, 'complete'>]>([
    [
      '0 keeps everything forever',
      { resultsDays: 0, rollupsDays: 0 },
      { resultPartitions: 0, results: 0, rollups: 0, alerts: 0, transitions: 0 },
    ],
    [
      'RETENTION_CUMULS_JOURS=0 keeps rollups, alerts and transitions',
      { resultsDays: 90, rollupsDays: 0 },
      { resultPartitions: 0, results: 6, rollups: 0, alerts: 0, transitions: 0 },
    ],
    [
      'RETENTION_JOURS=0 keeps results',
      { resultsDays: 0, rollupsDays: 730 },
      { resultPartitions: 0, results: 0, rollups: 2, alerts: 5, transitions: 3 },
    ],
  ])('%s', async (_, policy, expected) => {
    await seed();
    const before = await countRows();
    const report = await pruneOldData(db, policy, { now: at(NOW), pauseMs: 0 });
    expect(report).toEqual({ ...expected, complete: true });
    expect(await countRows()).toEqual({
      results: before.results! - report.results,
      rollups: before.rollups! - report.rollups,
      alerts: before.alerts! - report.alerts,
      transitions: before.transitions! - report.transitions,
      // deliveries go with their alerts
      deliveries: before.deliveries! - (report.alerts ? 2 : 0),
    });
  });

  it('removes more rows than one batch over a run, one statement per batch', async () => {
    const monitor = await quietMonitor('many');
    await insertResults(db, oneOffResultsBefore(RC, 2345));
    // Raw SQL: rollups, alerts and transitions dated in the past, in bulk; the product dates them now.
    await db.query(
      `INSERT INTO monitoring.statuts_horaires (moniteur_id, heure, verifications, echecs, latence_somme, seaux, nombres)
       SELECT $1, $2::timestamptz - g * interval '1 hour', 1, 1, 0, '{}', '{}' FROM generate_series(1, 1200) g`,
      [monitor.id, at(KC)],
    );
    await db.query(
      `INSERT INTO monitoring.alertes (moniteur_id, type, cause, cree_a)
       SELECT $1, 'DOWN', 'old', $2::timestamptz - g * interval '1 hour' FROM generate_series(1, 1000) g`,
      [monitor.id, at(KC)],
    );
    await db.query(
      `INSERT INTO monitoring.transitions (moniteur_id, precedent, etat, cree_a)
       SELECT $1, 'UP', 'DOWN', $2::timestamptz - g * interval '1 hour' FROM generate_series(1, 1001) g`,
      [monitor.id, at(KC)],
    );
    await insertResults(db, [result(monitor.id, true, { checkedAt: at(RC) })]);

    const counting = countingDb(db);
    const report = await pruneOldData(counting.db, POLICY, { now: at(NOW), batchSize: 500, pauseMs: 1 });

    expect(report).toEqual({
      resultPartitions: 0,
      results: 2345,
      rollups: 1200,
      alerts: 1000,
      transitions: 1001,
      complete: true,
    });
    const deletes = (table: string) =>
      counting.statements.filter((statement) => statement.sql.includes(`DELETE FROM monitoring.${table}\n`)).length;
    // A run stops at the first batch that is not full: 5 + 3 + 3 (the last one empty) + 3.
    expect([deletes('statuts'), deletes('statuts_horaires'), deletes('alertes'), deletes('transitions')]).toEqual([
      5, 3, 3, 3,
    ]);
    expect(await countRows()).toEqual({ results: 1, rollups: 1, alerts: 0, transitions: 0, deliveries: 0 });
  });

  it('lets two runs at the same time share the work without errors or double counting', async () => {
    await insertResults(db, oneOffResultsBefore(RC, 3000));
    // On PostgreSQL the second run comes from another instance (its own pool); the embedded database has one.
    const other = testDbKind === 'postgres' ? await openPostgres(testDb.url!, silentLogger()) : db;
    try {
      const options = { now: at(NOW), batchSize: 200, pauseMs: 2 };
      const reports = await Promise.all([pruneOldData(db, POLICY, options), pruneOldData(other, POLICY, options)]);
      expect(reports[0]!.results + reports[1]!.results).toBe(3000);
      expect(reports.some((report) => report.complete)).toBe(true);
      expect(await countRows()).toMatchObject({ results: 0 });
    } finally {
      if (other !== db) await other.close();
    }
  });

  it.runIf(testDbKind === 'postgres')('leaves the work to the instance that holds the lock', async () => {
    await insertResults(db, [result(null, true, { checkedAt: at(RC - DAY) })]);
    const other = await openPostgres(testDb.url!, silentLogger());
    let release!: () => void;
    let locked!: (value: boolean) => void;
    const lockTaken = new Promise<boolean>((resolve) => (locked = resolve));
    const holding = other.transaction(async (tx) => {
      locked(await tryLockRetention(tx));
      await new Promise<void>((resolve) => (release = resolve));
    });
    try {
      expect(await lockTaken).toBe(true);
      expect(await pruneOldData(db, POLICY, { now: at(NOW), pauseMs: 0 })).toEqual({
        resultPartitions: 0,
        results: 0,
        rollups: 0,
        alerts: 0,
        transitions: 0,
        complete: false,
      });
      release();
      await holding;
      expect(await pruneOldData(db, POLICY, { now: at(NOW), pauseMs: 0 })).toMatchObject({
        results: 1,
        complete: true,
      });
    } finally {
      release();
      await holding.catch(() => undefined);
      await other.close();
    }
  });
});

describe('scheduleRetention', () => {
  const insertOldResults = (count: number) => insertResults(db, oneOffResultsBefore(Date.now() - 100 * DAY, count));

  it('runs shortly after start and logs one line per run, not per batch', async () => {
    await insertOldResults(350);
    const { logger, lines } = capturingLogger();
    const job = scheduleRetention(db, logger, POLICY, { firstRunDelayMs: 20, batchSize: 100, pauseMs: 1 });
    try {
      await expect.poll(async () => (await countRows()).results, { timeout: 5000 }).toBe(0);
      await expect.poll(() => lines.length).toBe(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({
        level: 30,
        msg: 'old data pruned',
        results: 350,
        rollups: 0,
        alerts: 0,
        transitions: 0,
        complete: true,
      });
      // A run with nothing to delete says nothing.
      expect(await job.runNow()).toMatchObject({ results: 0, complete: true });
      expect(lines).toHaveLength(1);
    } finally {
      await job.stop();
    }
  });

  it('runs on its schedule, and not any more once stopped', async () => {
    await insertOldResults(10);
    const job = scheduleRetention(db, silentLogger(), POLICY, {
      cron: '* * * * * *',
      firstRunDelayMs: 3_600_000,
      pauseMs: 1,
    });
    try {
      await expect.poll(async () => (await countRows()).results, { timeout: 5000 }).toBe(0);
    } finally {
      await job.stop();
    }
    await insertOldResults(10);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await countRows()).results).toBe(10);
    expect(await job.runNow()).toBeNull();
  });

  it('stop() waits for the batch in flight, then ends the run', async () => {
    await insertOldResults(300);
    const job = scheduleRetention(db, silentLogger(), POLICY, {
      firstRunDelayMs: 3_600_000,
      batchSize: 100,
      pauseMs: 60_000,
    });
    const run = job.runNow();
    const started = Date.now();
    await job.stop();
    expect(Date.now() - started).toBeLessThan(5000);
    // The batch that had started was committed, and no other one began.
    expect(await run).toMatchObject({ results: 100, complete: false });
    expect((await countRows()).results).toBe(200);
  });
});

describe('after pruning', () => {
  it('a monitor whose results are all gone has no last result, and its next result counts as usual', async () => {
    const app = await startTestApp({ RETENTION_JOURS: '90', RETENTION_CUMULS_JOURS: '730' });
    try {
      const appDb = app.testDb.db;
      const monitor = await createMonitor(appDb, { name: 'quiet for months', paused: true });
      const old = Date.now() - 100 * DAY;
      await insertResults(appDb, [
        result(monitor.id, true, { checkedAt: at(old) }),
        result(monitor.id, true, { checkedAt: at(old + MINUTE) }),
      ]);
      expect(await pruneOldData(appDb, app.config.retention)).toMatchObject({ results: 2, complete: true });

      const gql = async (query: string) => {
        const body = JSON.stringify({ query });
        return (
          await app.request('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body })
        ).json();
      };
      const query = `{ monitor(id: ${monitor.id}) { status lastResult { isUp } results(first: 5) { edges { node { id } } } } }`;
      const pruned = await gql(query);
      expect(pruned.errors).toBeUndefined();
      expect(pruned.data.monitor).toMatchObject({ status: 'PAUSED', lastResult: null });
      const rest = await app.request(`/api/moniteurs/${monitor.id}`);
      expect(rest.status).toBe(200);
      const restResults = await app.request(`/api/moniteurs/${monitor.id}/resultats`);
      expect(restResults.status).toBe(200);

      // The state machine still points at the pruned result: a new failure is a transition like any other.
      await insertResults(appDb, [result(monitor.id, false, { checkedAt: at(Date.now() - 1000) })]);
      const { rows } = await appDb.query<{ type: string }>(
        'SELECT type FROM monitoring.alertes WHERE moniteur_id = $1',
        [monitor.id],
      );
      expect(rows).toEqual([{ type: 'DOWN' }]);
      const after = await gql(query);
      expect(after.data.monitor.lastResult).toEqual({ isUp: false });
    } finally {
      await app.close();
    }
  });
});
