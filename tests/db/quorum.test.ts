// The state machine with locations: each location's own failures, DOWN when a quorum of locations sees the monitor
// down, UP on a success when fewer do, stale and vanished locations out of the count, one alert naming the locations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertResults } from '../../server/db/index.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { createMonitor, result } from '../helpers/factories.ts';

let testDb: TestDb;
beforeAll(async () => {
  testDb = await createTestDb();
});
afterAll(async () => {
  await testDb.drop();
});

async function alertsOf(monitorId: number) {
  const { rows } = await testDb.db.query<{ type: string; cause: string; emplacements: string[] | null }>(
    `SELECT type, cause, emplacements FROM monitoring.alertes WHERE moniteur_id = $1 ORDER BY id`,
    [monitorId],
  );
  return rows;
}

async function stateOf(monitorId: number): Promise<string> {
  const { rows } = await testDb.db.query<{ etat: string }>(
    `SELECT etat FROM monitoring.etats_moniteurs WHERE moniteur_id = $1`,
    [monitorId],
  );
  return rows[0]!.etat;
}

/** One result from a location, `at` seconds after `start`. */
function from(location: string, monitorId: number, isUp: boolean, start: number, at: number) {
  return result(monitorId, isUp, { location, checkedAt: new Date(start + at * 1000) });
}

async function write(...results: ReturnType<typeof result>[]) {
  for (const item of results) await insertResults(testDb.db, [item]);
}

describe('quorum of locations', () => {
  it('quorum 2 of 3: one location down raises nothing, two raise one DOWN naming both, UP when fewer', async () => {
    const monitor = await createMonitor(testDb.db, { intervalSeconds: 10, locations: ['a', 'b', 'c'], quorum: 2 });
    const t = Date.parse('2026-03-01T00:00:00Z');
    await write(
      from('a', monitor.id, true, t, 0),
      from('b', monitor.id, true, t, 0),
      from('c', monitor.id, true, t, 0),
    );
    await write(
      from('a', monitor.id, false, t, 10),
      from('b', monitor.id, true, t, 10),
      from('c', monitor.id, true, t, 10),
    );
    expect(await stateOf(monitor.id)).toBe('UP');
    expect(await alertsOf(monitor.id)).toEqual([]);
    await write(from('a', monitor.id, false, t, 20), from('b', monitor.id, false, t, 20));
    expect(await stateOf(monitor.id)).toBe('DOWN');
    await write(from('c', monitor.id, false, t, 20), from('a', monitor.id, true, t, 30));
    // c and b still see it down: still DOWN, no second alert.
    expect(await stateOf(monitor.id)).toBe('DOWN');
    await write(from('b', monitor.id, true, t, 30));
    expect(await stateOf(monitor.id)).toBe('UP');
    const alerts = await alertsOf(monitor.id);
    expect(alerts.map((alert) => alert.type)).toEqual(['DOWN', 'UP']);
    expect(alerts[0]).toMatchObject({ emplacements: ['a', 'b'], cause: 'HTTP 500 (down from a, b)' });
    expect(alerts[1]!.emplacements).toBeNull();
  });

  it('counts each location’s own consecutive failures against `retries`', async () => {
    const monitor = await createMonitor(testDb.db, {
      intervalSeconds: 10,
      retries: 2,
      locations: ['a', 'b'],
      quorum: 2,
    });
    const t = Date.parse('2026-03-02T00:00:00Z');
    await write(from('a', monitor.id, true, t, 0), from('b', monitor.id, true, t, 0));
    // One failure from each location: two failures in all, but neither location has reached 2.
    await write(from('a', monitor.id, false, t, 10), from('b', monitor.id, false, t, 10));
    expect(await stateOf(monitor.id)).toBe('UP');
    await write(from('a', monitor.id, false, t, 20), from('b', monitor.id, false, t, 20));
    expect(await stateOf(monitor.id)).toBe('DOWN');
  });

  it('a location whose latest result is older than two intervals does not count', async () => {
    // Quorum 1, every location: a down keeps the monitor DOWN while a's result is fresh, not after.
    const monitor = await createMonitor(testDb.db, { intervalSeconds: 10 });
    const t = Date.parse('2026-03-03T00:00:00Z');
    await write(from('a', monitor.id, true, t, 0), from('b', monitor.id, true, t, 0));
    await write(from('a', monitor.id, false, t, 10));
    expect(await stateOf(monitor.id)).toBe('DOWN');
    await write(from('b', monitor.id, true, t, 15));
    expect(await stateOf(monitor.id)).toBe('DOWN');
    await write(from('b', monitor.id, true, t, 31));
    expect(await stateOf(monitor.id)).toBe('UP');
    expect((await alertsOf(monitor.id)).map((alert) => [alert.type, alert.emplacements])).toEqual([
      ['DOWN', ['a']],
      ['UP', null],
    ]);
  });

  it('a location whose instances are all gone drops out: its vote and its place in the quorum', async () => {
    const monitor = await createMonitor(testDb.db, { intervalSeconds: 10, locations: ['p', 'q'], quorum: 2 });
    const t = Date.parse('2026-03-04T00:00:00Z');
    await write(from('p', monitor.id, true, t, 0), from('q', monitor.id, true, t, 0));
    await write(from('p', monitor.id, false, t, 10));
    expect(await stateOf(monitor.id)).toBe('UP');
    await testDb.db.query(`INSERT INTO monitoring.emplacements (nom, disparu_a) VALUES ('q', now())`);
    try {
      // Only p is left: the quorum is 1 of 1, and p sees it down.
      await write(from('p', monitor.id, false, t, 20));
      expect(await stateOf(monitor.id)).toBe('DOWN');
      expect((await alertsOf(monitor.id))[0]!.emplacements).toEqual(['p']);
    } finally {
      await testDb.db.query(`DELETE FROM monitoring.emplacements WHERE nom = 'q'`);
    }
  });

  it('a result late from one location still counts when another location wrote a newer one', async () => {
    const monitor = await createMonitor(testDb.db, { intervalSeconds: 10, locations: ['a', 'b'], quorum: 2 });
    const t = Date.parse('2026-03-05T00:00:00Z');
    await write(from('a', monitor.id, true, t, 0), from('b', monitor.id, true, t, 0));
    await write(from('b', monitor.id, false, t, 11), from('a', monitor.id, false, t, 10));
    expect(await stateOf(monitor.id)).toBe('DOWN');
    // Older than a's own latest: stored, but it does not move the state.
    await write(from('a', monitor.id, true, t, 5));
    expect(await stateOf(monitor.id)).toBe('DOWN');
    // The state's pointer to the latest result (id and time together) stayed on b's, the newest of all.
    const { rows } = await testDb.db.query<{ emplacement: string; same: boolean }>(
      `SELECT s.emplacement, s.verifie_a = e.dernier_verifie_a AS same
         FROM monitoring.etats_moniteurs e JOIN monitoring.statuts s ON s.id = e.dernier_statut_id
        WHERE e.moniteur_id = $1`,
      [monitor.id],
    );
    expect(rows).toEqual([{ emplacement: 'b', same: true }]);
  });

  it('results carry their location, "default" when none is given', async () => {
    const monitor = await createMonitor(testDb.db);
    const [one] = await insertResults(testDb.db, [result(monitor.id, true, { location: 'x' })], { returnRows: true });
    const [other] = await insertResults(testDb.db, [result(monitor.id, true)], { returnRows: true });
    expect(one!.location).toBe('x');
    expect(other!.location).toBe('default');
  });

  it('a location taken off a monitor gives up its lease there', async () => {
    const monitor = await createMonitor(testDb.db);
    const { rows } = await testDb.db.query<{ id: string }>(
      `INSERT INTO monitoring.instances (nom, emplacement, version) VALUES ('i', 'gone', 'test'), ('j', 'kept', 'test')
       RETURNING id`,
    );
    await testDb.db.query(
      `INSERT INTO monitoring.baux (moniteur_id, emplacement, instance_id) VALUES ($1, 'gone', $2), ($1, 'kept', $3)`,
      [monitor.id, rows[0]!.id, rows[1]!.id],
    );
    await testDb.db.query(`UPDATE monitoring.moniteurs SET emplacements = '{kept}' WHERE id = $1`, [monitor.id]);
    const { rows: leases } = await testDb.db.query<{ emplacement: string }>(
      'SELECT emplacement FROM monitoring.baux WHERE moniteur_id = $1',
      [monitor.id],
    );
    expect(leases).toEqual([{ emplacement: 'kept' }]);
    await testDb.db.query('DELETE FROM monitoring.instances WHERE id = ANY($1::uuid[])', [rows.map((row) => row.id)]);
  });
});
