// The batch writer against a real database: a row the database refuses is split out of its batch, alone.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BatchWriter, isBadRowError } from '../../server/scheduler/index.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { createMonitor, deleteEveryMonitor, result } from '../helpers/factories.ts';
import { capturingLogger } from '../helpers/logger.ts';

let testDb: TestDb;

beforeAll(async () => {
  testDb = await createTestDb();
});
afterEach(async () => {
  await deleteEveryMonitor(testDb.db);
});
afterAll(async () => {
  await testDb.drop();
});

describe('batch writer', () => {
  it('stores every neighbour of a bad row: the refused batch is split until the bad row stands alone', async () => {
    const monitor = await createMonitor(testDb.db, { intervalSeconds: 60 });
    const { logger, lines } = capturingLogger();
    const writer = new BatchWriter(testDb.db, logger, { maxDelayMs: 5 });
    const results = Array.from({ length: 9 }, (_, i) =>
      // A latency beyond PostgreSQL's integer: the INSERT of the whole batch fails on it (22003).
      result(monitor.id, true, i === 4 ? { latencyMs: 1e12 } : {}),
    );
    await Promise.all(results.map((one) => writer.write(one)));
    await writer.flush();

    const { rows } = await testDb.db.query<{ verifie_a: Date }>(
      'SELECT verifie_a FROM monitoring.statuts WHERE moniteur_id = $1 ORDER BY verifie_a',
      [monitor.id],
    );
    const expected = results.filter((_, i) => i !== 4).map((one) => one.checkedAt.getTime());
    expect(rows.map((row) => row.verifie_a.getTime())).toEqual(expected);
    expect(writer.stats).toMatchObject({
      rowsWritten: 8,
      rejectedResults: 1,
      droppedResults: 0,
      pending: 0,
      outage: false,
    });
    const refused = lines
      .map((line) => JSON.parse(line) as { msg: string; monitorId?: number; checkedAt?: string })
      .filter((line) => line.msg.startsWith('the database refused a check result'));
    expect(refused).toEqual([
      expect.objectContaining({ monitorId: monitor.id, checkedAt: results[4]!.checkedAt.toISOString() }),
    ]);
  });

  it('tells a bad row from a database that cannot take writes', () => {
    expect(isBadRowError(Object.assign(new Error('value out of range'), { code: '22003' }))).toBe(true);
    expect(isBadRowError(Object.assign(new Error('foreign key'), { code: '23503' }))).toBe(true);
    expect(isBadRowError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isBadRowError(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).toBe(false);
    expect(isBadRowError(Object.assign(new Error('shutting down'), { code: '57P01' }))).toBe(false);
    expect(isBadRowError(new Error('Connection terminated unexpectedly'))).toBe(false);
  });
});
