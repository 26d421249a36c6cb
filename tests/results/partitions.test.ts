// Results partitioned by week: partitions made ahead, results of any time stored (the default partition), retention
// dropping whole weeks, lookups by id across partitions, and the migration of a table that already holds results.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Db, Queryable } from '../../server/db/index.ts';
import {
  createResultPartitions,
  deleteAllData,
  getResult,
  insertResults,
  listResultPartitions,
  listResultsAfter,
  migrate,
} from '../../server/db/index.ts';
import { readMigrations } from '../../server/db/migrations.ts';
import { pruneOldData, scheduleResultPartitions } from '../../server/results/index.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { createMonitor, result } from '../helpers/factories.ts';
import { capturingLogger } from '../helpers/logger.ts';

const DAY = 86_400_000;
const at = (iso: string) => new Date(iso);

let testDb: TestDb;
let db: Db;

beforeAll(async () => {
  testDb = await createTestDb();
  db = testDb.db;
});
afterEach(async () => {
  await db.transaction((tx) => deleteAllData(tx));
});
afterAll(async () => {
  await testDb.drop();
});

/** The partitions of monitoring.statuts as the catalog has them (pg_inherits), by name. */
async function partitionNames(queryable: Queryable = db): Promise<string[]> {
  const { rows } = await queryable.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'monitoring.statuts'::regclass ORDER BY c.relname`,
  );
  return rows.map((row) => row.name);
}

/** The partition each result is stored in, by result id. */
async function placement(queryable: Queryable = db): Promise<Record<number, string>> {
  const { rows } = await queryable.query<{ id: string; partition: string }>(
    `SELECT id, tableoid::regclass::text AS partition FROM monitoring.statuts ORDER BY id`,
  );
  return Object.fromEntries(rows.map((row) => [Number(row.id), row.partition.replace('monitoring.', '')]));
}

/** The name of the week partition holding an instant: its Monday (UTC). */
function weekOf(ms: number): string {
  const day = new Date(ms);
  day.setUTCHours(0, 0, 0, 0);
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return `statuts_${day.toISOString().slice(0, 10).replaceAll('-', '')}`;
}

describe('partitions made ahead', () => {
  it('this week and the next two exist after migrating, with the default partition', async () => {
    const names = await partitionNames();
    expect(names).toContain('statuts_defaut');
    // The database was migrated when the run started: allow for a week that began since.
    const { rows } = await db.query<{ covered: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM monitoring.partitions_statuts
                       WHERE NOT par_defaut AND debut <= now() + make_interval(days => d) AND fin > now() + make_interval(days => d)) AS covered
         FROM generate_series(0, 13) d`,
    );
    expect(rows.every((row) => row.covered)).toBe(true);
  });

  it('the job makes the coming weeks once, whichever instance runs it', async () => {
    const now = Date.parse('2031-03-12T15:00:00Z');
    const { logger, lines } = capturingLogger();
    const job = scheduleResultPartitions(db, logger, { now: () => now, firstRunDelayMs: 3_600_000 });
    const other = scheduleResultPartitions(db, logger, { now: () => now, firstRunDelayMs: 3_600_000 });
    try {
      const made = await Promise.all([job.runNow(), other.runNow()]);
      expect(made[0]! + made[1]!).toBe(3);
      expect(await job.runNow()).toBe(0);
    } finally {
      await job.stop();
      await other.stop();
    }
    expect(await partitionNames()).toEqual(
      expect.arrayContaining(['statuts_20310310', 'statuts_20310317', 'statuts_20310324']),
    );
    expect(await partitionNames()).not.toContain('statuts_20310331');
    const partitions = await listResultPartitions(db);
    expect(partitions.find((partition) => partition.name === 'statuts_20310317')).toEqual({
      name: 'statuts_20310317',
      isDefault: false,
      from: at('2031-03-17T00:00:00Z'),
      to: at('2031-03-24T00:00:00Z'),
    });
    expect(partitions.at(-1)).toMatchObject({ name: 'statuts_defaut', isDefault: true, from: null, to: null });
    expect(lines.map((line) => JSON.parse(line))).toEqual([expect.objectContaining({ msg: 'result partitions made' })]);

    // A result of those weeks lands in its week.
    const monitor = await createMonitor(db, { name: 'ahead', paused: true });
    await insertResults(db, [result(monitor.id, true, { checkedAt: at('2031-03-18T10:00:00Z') })]);
    expect(Object.values(await placement())).toEqual(['statuts_20310317']);
  });
});

describe('results no week holds', () => {
  it('land in the default partition, and move to their week, ids kept, when it is made', async () => {
    const monitor = await createMonitor(db, { name: 'clock skew', paused: true });
    const past = at('1999-06-15T08:00:00Z');
    const future = at('2199-06-15T08:00:00Z');
    const written = await insertResults(
      db,
      [
        result(monitor.id, true, { checkedAt: past }),
        result(monitor.id, true, { checkedAt: future }),
        result(null, false, { checkedAt: future }),
      ],
      { returnRows: true },
    );
    // Written in (monitor, time) order: the one-off check first.
    const ids = [
      written.find((row) => row.checkedAt.getTime() === past.getTime())!.id,
      written.find((row) => row.monitorId === monitor.id && row.checkedAt.getTime() === future.getTime())!.id,
      written.find((row) => row.monitorId === null)!.id,
    ];
    expect(Object.values(await placement())).toEqual(['statuts_defaut', 'statuts_defaut', 'statuts_defaut']);
    // The triggers ran as for any result: the state points at the newest, the hours are rolled up.
    const state = await db.query<{ dernier_statut_id: string }>(
      'SELECT dernier_statut_id FROM monitoring.etats_moniteurs WHERE moniteur_id = $1',
      [monitor.id],
    );
    expect(Number(state.rows[0]!.dernier_statut_id)).toBe(ids[1]);
    const rollups = async () =>
      (
        await db.query<{ verifications: number }>(
          'SELECT verifications FROM monitoring.statuts_horaires WHERE moniteur_id = $1 ORDER BY heure',
          [monitor.id],
        )
      ).rows.map((row) => row.verifications);
    expect(await rollups()).toEqual([1, 1]);

    expect(await createResultPartitions(db, future, future)).toBe(1);
    expect(await placement()).toEqual({
      [ids[0]!]: 'statuts_defaut',
      [ids[1]!]: 'statuts_21990610',
      [ids[2]!]: 'statuts_21990610',
    });
    // Moved, not written again: no trigger ran twice.
    expect(await rollups()).toEqual([1, 1]);
    expect(await getResult(db, ids[1]!)).toMatchObject({ id: ids[1], monitorId: monitor.id, checkedAt: future });
    expect(await getResult(db, ids[0]!)).toMatchObject({ id: ids[0], checkedAt: past });
    // The live catch-up reads by id across partitions, in id order.
    const inIdOrder = [...ids].sort((a, b) => a - b);
    expect((await listResultsAfter(db, 0, [], 10)).map((row) => row.id)).toEqual(inIdOrder);
    expect((await listResultsAfter(db, inIdOrder[2]!, [inIdOrder[0]!], 10)).map((row) => row.id)).toEqual([
      inIdOrder[0],
    ]);
  });
});

describe('retention', () => {
  it('drops a week wholly before the cutoff, and deletes the older rows of the week across it', async () => {
    // Weeks of 2025-01-06, -13 and -20; 90 days before `now` is Thursday 2025-01-16 12:00.
    await createResultPartitions(db, at('2025-01-06T00:00:00Z'), at('2025-01-27T00:00:00Z'));
    const now = at('2025-04-16T12:00:00Z');
    const monitor = await createMonitor(db, { name: 'weeks', paused: true });
    const times = ['2025-01-07T00:00:00Z', '2025-01-12T23:59:59Z', '2025-01-14T00:00:00Z', '2025-01-18T00:00:00Z'];
    await insertResults(db, [
      ...times.map((time) => result(monitor.id, true, { checkedAt: at(time) })),
      result(null, true, { checkedAt: at('2025-01-21T00:00:00Z') }),
    ]);
    const byTime = await db.query<{ partition: string }>(
      `SELECT tableoid::regclass::text AS partition FROM monitoring.statuts ORDER BY verifie_a`,
    );
    expect(byTime.rows.map((row) => row.partition.replace('monitoring.', ''))).toEqual([
      'statuts_20250106',
      'statuts_20250106',
      'statuts_20250113',
      'statuts_20250113',
      'statuts_20250120',
    ]);

    const report = await pruneOldData(db, { resultsDays: 90, rollupsDays: 0 }, { now, pauseMs: 0 });

    expect(report).toMatchObject({ resultPartitions: 1, results: 1, complete: true });
    const names = await partitionNames();
    expect(names).not.toContain('statuts_20250106');
    expect(names).toEqual(expect.arrayContaining(['statuts_20250113', 'statuts_20250120', 'statuts_defaut']));
    const gone = await db.query<{ table: string | null }>(`SELECT to_regclass('monitoring.statuts_20250106') AS table`);
    expect(gone.rows[0]!.table).toBeNull();
    const { rows } = await db.query<{ verifie_a: Date }>('SELECT verifie_a FROM monitoring.statuts ORDER BY verifie_a');
    expect(rows.map((row) => row.verifie_a.toISOString())).toEqual([
      '2025-01-18T00:00:00.000Z',
      '2025-01-21T00:00:00.000Z',
    ]);
    // Nothing more to do.
    expect(await pruneOldData(db, { resultsDays: 90, rollupsDays: 0 }, { now, pauseMs: 0 })).toMatchObject({
      resultPartitions: 0,
      results: 0,
    });
  });
});

describe('migration 012 on a table holding results', () => {
  let old: TestDb;
  afterAll(async () => {
    await old?.drop();
  });

  it('keeps every row with its id, the id sequence, the indexes and the triggers', async () => {
    old = await createTestDb({ migrated: false });
    const before012 = readMigrations().filter((migration) => migration.name < '012');
    await migrate(old.db, before012);
    // Raw SQL with the columns of that time: the repositories follow the latest schema.
    const { rows: monitors } = await old.db.query<{ id: number }>(
      `INSERT INTO monitoring.moniteurs (nom, type, cible, intervalle_secondes, timeout_secondes, seuil_lent_ms)
       VALUES ('before', 'http', 'http://127.0.0.1:9/', 60, 5, 800) RETURNING id`,
    );
    const monitorId = monitors[0]!.id;
    const now = Date.now();
    // Every 6 hours from 40 days ago to 10 days ahead, one in three a one-off check, and one far in the future.
    await old.db.query(
      `INSERT INTO monitoring.statuts (moniteur_id, est_disponible, latence_ms, verifie_a, url)
       SELECT CASE WHEN g % 3 = 0 THEN NULL ELSE $1::int END, g % 7 <> 0, g, $2::timestamptz + g * interval '6 hours',
              'http://127.0.0.1:9/'
         FROM generate_series(0, 200) g
       UNION ALL SELECT $1, true, 1, $2::timestamptz + interval '3 years', 'http://127.0.0.1:9/'
       ORDER BY 4`,
      [monitorId, new Date(now - 40 * DAY)],
    );
    const snapshot = async () =>
      (
        await old.db.query<Record<string, unknown>>(
          `SELECT id, moniteur_id, est_disponible, latence_ms, verifie_a FROM monitoring.statuts ORDER BY id`,
        )
      ).rows;
    const rowsBefore = await snapshot();
    // The columns of that time: later migrations may add some.
    const state = async () =>
      (
        await old.db.query(
          `SELECT moniteur_id, etat, echecs_consecutifs, numero_transition, dernier_statut_id, dernier_verifie_a
             FROM monitoring.etats_moniteurs`,
        )
      ).rows;
    const rollups = async () =>
      (
        await old.db.query(
          `SELECT moniteur_id, heure, verifications, echecs, latence_somme, seaux, nombres
             FROM monitoring.statuts_horaires ORDER BY moniteur_id, heure`,
        )
      ).rows;
    const stateBefore = await state();
    const rollupsBefore = await rollups();
    expect(rowsBefore).toHaveLength(202);

    expect(await migrate(old.db)).toContain('012_statuts_partitions.sql');

    expect(await snapshot()).toEqual(rowsBefore);
    expect(await state()).toEqual(stateBefore);
    expect(await rollups()).toEqual(rollupsBefore);
    // The older rows stay in the old table, now the partition of everything before this week.
    const thisWeek = weekOf(now);
    const names = await partitionNames(old.db);
    expect(names).toEqual(
      expect.arrayContaining([
        'statuts_anterieurs',
        'statuts_defaut',
        thisWeek,
        weekOf(now + 7 * DAY),
        weekOf(now + 14 * DAY),
      ]),
    );
    const where = await placement(old.db);
    const mondayMs = Date.parse(`${thisWeek.slice(8, 12)}-${thisWeek.slice(12, 14)}-${thisWeek.slice(14)}T00:00:00Z`);
    for (const row of rowsBefore) {
      const checkedAt = (row.verifie_a as Date).getTime();
      const expected =
        checkedAt < mondayMs ? 'statuts_anterieurs' : checkedAt > now + 21 * DAY ? 'statuts_defaut' : weekOf(checkedAt);
      expect(where[Number(row.id)], `${row.id} at ${(row.verifie_a as Date).toISOString()}`).toBe(expected);
    }
    // Every partition has the parent's indexes.
    for (const index of ['statuts_pkey', 'statuts_verifie_a', 'statuts_moniteur_verifie_a_couvrant']) {
      const { rows } = await old.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = $1::regclass`,
        [`monitoring.${index}`],
      );
      expect(rows[0]!.n, index).toBe(names.length);
    }
    const oldest = rowsBefore[0]!;
    expect(await getResult(old.db, Number(oldest.id))).toMatchObject({
      id: Number(oldest.id),
      checkedAt: oldest.verifie_a,
    });

    // The sequence goes on, and the triggers run once per result: state machine, rollup, notification.
    const maxId = Math.max(...rowsBefore.map((row) => Number(row.id)));
    const notified: string[] = [];
    const unlisten = await old.db.listen('vigie_statuts', (payload) => notified.push(payload));
    try {
      // After the newest result (3 years ahead), or the state machine would leave it aside as a late one.
      const newest = new Date(now + 4 * 365 * DAY);
      const { rows: added } = await old.db.query<{ id: string }>(
        `INSERT INTO monitoring.statuts (moniteur_id, est_disponible, latence_ms, verifie_a, url)
         VALUES ($1, false, 5, $2, 'http://127.0.0.1:9/') RETURNING id`,
        [monitorId, newest],
      );
      const addedId = Number(added[0]!.id);
      expect(addedId).toBe(maxId + 1);
      const { rows: state } = await old.db.query<{ dernier_statut_id: string; echecs_consecutifs: number }>(
        'SELECT dernier_statut_id, echecs_consecutifs FROM monitoring.etats_moniteurs WHERE moniteur_id = $1',
        [monitorId],
      );
      expect(Number(state[0]!.dernier_statut_id)).toBe(addedId);
      const { rows: hour } = await old.db.query<{ verifications: number }>(
        `SELECT verifications FROM monitoring.statuts_horaires
          WHERE moniteur_id = $1 AND heure = date_bin('1 hour', $2::timestamptz, timestamptz '2000-01-01 00:00:00+00')`,
        [monitorId, newest],
      );
      expect(hour.map((row) => row.verifications)).toEqual([1]);
      await expect.poll(() => notified).toEqual([String(addedId)]);
    } finally {
      await unlisten();
    }
  });
});
