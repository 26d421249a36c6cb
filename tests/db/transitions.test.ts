// The trigger's state machine on monitoring.statuts: states, retries, alerts, SLOW, batching, races, NOTIFY.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertResults } from '../../server/db/index.ts';
import { VIGIE_ALERTES, VIGIE_STATUTS, VIGIE_TRANSITIONS } from '../../server/events/index.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { createMonitor, monitorService, result } from '../helpers/factories.ts';

let testDb: TestDb;
beforeAll(async () => {
  testDb = await createTestDb();
});
afterAll(async () => {
  await testDb.drop();
});

async function alertsOf(monitorId: number) {
  const { rows } = await testDb.db.query<{ type: string; cause: string; numero_transition: number; statut_id: number }>(
    `SELECT type, cause, numero_transition, statut_id FROM monitoring.alertes WHERE moniteur_id = $1 ORDER BY id`,
    [monitorId],
  );
  return rows;
}

async function stateOf(monitorId: number) {
  const { rows } = await testDb.db.query<{ etat: string; echecs_consecutifs: number; lent: boolean }>(
    `SELECT etat, echecs_consecutifs, lent FROM monitoring.etats_moniteurs WHERE moniteur_id = $1`,
    [monitorId],
  );
  return rows[0]!;
}

async function write(...results: ReturnType<typeof result>[]) {
  for (const item of results) await insertResults(testDb.db, [item]);
}

describe('monitor state machine', () => {
  it('starts PENDING and lets the first result set the state without an alert', async () => {
    const up = await createMonitor(testDb.db);
    const down = await createMonitor(testDb.db);
    expect((await stateOf(up.id)).etat).toBe('PENDING');
    await write(result(up.id, true), result(down.id, false));
    expect((await stateOf(up.id)).etat).toBe('UP');
    expect((await stateOf(down.id)).etat).toBe('DOWN');
    expect(await alertsOf(up.id)).toEqual([]);
    expect(await alertsOf(down.id)).toEqual([]);
  });

  it('writes one DOWN alert on UP->DOWN and one UP alert on DOWN->UP, none without a transition', async () => {
    const monitor = await createMonitor(testDb.db);
    await write(result(monitor.id, true), result(monitor.id, true), result(monitor.id, false));
    await write(result(monitor.id, false), result(monitor.id, false));
    await write(result(monitor.id, true), result(monitor.id, true));
    const alerts = await alertsOf(monitor.id);
    expect(alerts.map((alert) => alert.type)).toEqual(['DOWN', 'UP']);
    expect(alerts[0]!.cause).toBe('HTTP 500');
    expect(alerts[1]!.cause).toBe('back up after 3 s down');
    expect(alerts.map((alert) => alert.numero_transition)).toEqual([1, 2]);
  });

  it('needs `retries` consecutive failures before DOWN; a success resets the count', async () => {
    const monitor = await createMonitor(testDb.db, { retries: 3 });
    await write(result(monitor.id, true), result(monitor.id, false), result(monitor.id, false));
    expect(await stateOf(monitor.id)).toMatchObject({ etat: 'UP', echecs_consecutifs: 2 });
    await write(result(monitor.id, true), result(monitor.id, false), result(monitor.id, false));
    expect(await alertsOf(monitor.id)).toEqual([]);
    await write(result(monitor.id, false));
    expect(await stateOf(monitor.id)).toMatchObject({ etat: 'DOWN', echecs_consecutifs: 3 });
    expect((await alertsOf(monitor.id)).map((alert) => alert.type)).toEqual(['DOWN']);
  });

  it('raises SLOW once when an UP monitor becomes slow, and again only after it was fast', async () => {
    const monitor = await createMonitor(testDb.db, { slowThresholdMs: 500 });
    await write(result(monitor.id, true, { latencyMs: 100 }));
    await write(result(monitor.id, true, { latencyMs: 900 }), result(monitor.id, true, { latencyMs: 950 }));
    expect(await stateOf(monitor.id)).toMatchObject({ etat: 'UP', lent: true });
    await write(result(monitor.id, true, { latencyMs: 100 }), result(monitor.id, true, { latencyMs: 700 }));
    const alerts = await alertsOf(monitor.id);
    expect(alerts.map((alert) => alert.type)).toEqual(['SLOW', 'SLOW']);
    expect(alerts[0]!.cause).toBe('latency 900 ms above the 500 ms threshold');
  });

  it('is correct when many results of several monitors arrive in one batch', async () => {
    const first = await createMonitor(testDb.db);
    const second = await createMonitor(testDb.db, { retries: 2 });
    // Deliberately shuffled: the writer orders by monitor and time.
    const batch = [
      result(first.id, true),
      result(second.id, true),
      result(first.id, false),
      result(second.id, false),
      result(first.id, false),
      result(second.id, false),
      result(first.id, true),
      result(second.id, true),
    ].reverse();
    expect(await insertResults(testDb.db, batch)).toBe(8);
    expect((await alertsOf(first.id)).map((alert) => alert.type)).toEqual(['DOWN', 'UP']);
    expect((await alertsOf(second.id)).map((alert) => alert.type)).toEqual(['DOWN', 'UP']);
  });

  it('ignores a result older than the last applied one for the state (a late writer)', async () => {
    const monitor = await createMonitor(testDb.db);
    const late = result(monitor.id, false);
    await write(result(monitor.id, true));
    await write(late);
    expect((await stateOf(monitor.id)).etat).toBe('UP');
    expect(await alertsOf(monitor.id)).toEqual([]);
  });

  it('writes exactly one alert per transition when many writers race on one monitor', async () => {
    const monitor = await createMonitor(testDb.db);
    await write(result(monitor.id, true));
    const at = new Date(Date.parse('2027-01-01T00:00:00Z'));
    // 20 concurrent single-row inserts through the pool (separate connections on PostgreSQL).
    await Promise.all(
      Array.from({ length: 20 }, () => insertResults(testDb.db, [result(monitor.id, false, { checkedAt: at })])),
    );
    expect((await alertsOf(monitor.id)).map((alert) => alert.type)).toEqual(['DOWN']);
  });

  it('refuses a second alert row for the same transition (the database constraint)', async () => {
    const monitor = await createMonitor(testDb.db);
    // Raw SQL: the duplicate row the triggers never write, to reach the constraint behind them.
    const insert = () =>
      testDb.db.query(
        `INSERT INTO monitoring.alertes (moniteur_id, type, cause, numero_transition) VALUES ($1, 'DOWN', 'x', 1)`,
        [monitor.id],
      );
    await insert();
    await expect(insert()).rejects.toThrow(/alertes_une_par_transition/);
  });

  it('skips results of a deleted monitor in a batch instead of failing it', async () => {
    const kept = await createMonitor(testDb.db);
    const deleted = await createMonitor(testDb.db);
    await monitorService(testDb.db).remove(deleted.id);
    expect(await insertResults(testDb.db, [result(kept.id, true), result(deleted.id, true), result(null, true)])).toBe(
      2,
    );
  });

  it('records every change of the displayed status, slowness and pauses included', async () => {
    const monitor = await createMonitor(testDb.db, { slowThresholdMs: 500 });
    await write(result(monitor.id, true), result(monitor.id, true, { latencyMs: 900 }), result(monitor.id, false));
    await monitorService(testDb.db).setPaused(monitor.id, true);
    await monitorService(testDb.db).setPaused(monitor.id, false);
    const { rows } = await testDb.db.query<{ precedent: string; etat: string }>(
      'SELECT precedent, etat FROM monitoring.transitions WHERE moniteur_id = $1 ORDER BY id',
      [monitor.id],
    );
    expect(rows.map((row) => `${row.precedent}->${row.etat}`)).toEqual([
      'PENDING->UP',
      'UP->DEGRADED',
      'DEGRADED->DOWN',
      'DOWN->PAUSED',
      'PAUSED->DOWN',
    ]);
  });
});

describe('notifications', () => {
  it('notifies each alert, each transition, and each batch of results once', async () => {
    const alerts: string[] = [];
    const transitions: string[] = [];
    const batches: string[] = [];
    const stops = await Promise.all([
      testDb.db.listen(VIGIE_ALERTES, (payload) => alerts.push(payload)),
      testDb.db.listen(VIGIE_TRANSITIONS, (payload) => transitions.push(payload)),
      testDb.db.listen(VIGIE_STATUTS, (payload) => batches.push(payload)),
    ]);
    try {
      const monitor = await createMonitor(testDb.db);
      await insertResults(testDb.db, [result(monitor.id, true), result(monitor.id, false), result(monitor.id, true)]);
      await expect.poll(() => alerts.length).toBe(2);
      await expect.poll(() => batches.length).toBe(1);
      await expect.poll(() => transitions.length).toBe(3);
      // A notification carries its row's id (the batch's highest), in the order the rows were written.
      const idsIn = async (table: string) => {
        const sql = `SELECT id FROM monitoring.${table} WHERE moniteur_id = $1 ORDER BY id`;
        return (await testDb.db.query<{ id: number }>(sql, [monitor.id])).rows.map((row) => String(row.id));
      };
      expect(alerts).toEqual(await idsIn('alertes'));
      expect(transitions).toEqual(await idsIn('transitions'));
      expect(batches).toEqual([(await idsIn('statuts')).at(-1)]);
    } finally {
      for (const stop of stops) await stop();
    }
  });
});
