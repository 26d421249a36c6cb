// Chart buckets from a stats series, grown live with new results.
import { describe, expect, it } from 'vitest';
import { addToBuckets, bucketsOf, latencyAvg } from '../../../client/src/state/buckets.ts';

const HOUR = 3_600_000;
const result = (checkedAt: string, isUp: boolean, latencyMs: number) => ({ checkedAt, isUp, latencyMs });

describe('chart buckets', () => {
  it('reads the series in time order and keeps the mean of the successful checks', () => {
    const buckets = bucketsOf([
      { start: '2025-01-10T04:00:00.000Z', checks: 4, failures: 1, latencyAvg: 30, latencyMin: 10, latencyMax: 50 },
      {
        start: '2025-01-10T00:00:00.000Z',
        checks: 2,
        failures: 2,
        latencyAvg: null,
        latencyMin: null,
        latencyMax: null,
      },
    ]);
    expect(buckets.map((bucket) => new Date(bucket.start).toISOString())).toEqual([
      '2025-01-10T00:00:00.000Z',
      '2025-01-10T04:00:00.000Z',
    ]);
    expect(buckets.map(latencyAvg)).toEqual([null, 30]);
  });

  it('adds a live result to the last bucket, or starts the next one on the resolution grid', () => {
    const buckets = bucketsOf([
      { start: '2025-01-10T04:00:00.000Z', checks: 3, failures: 0, latencyAvg: 20, latencyMin: 10, latencyMax: 30 },
    ]);
    expect(addToBuckets(buckets, result('2025-01-10T07:59:59.000Z', true, 60), 4 * HOUR)).toBe(true);
    expect(buckets[0]).toMatchObject({ checks: 4, failures: 0, latencyMax: 60 });
    expect(latencyAvg(buckets[0]!)).toBe(30);
    expect(addToBuckets(buckets, result('2025-01-10T08:00:00.000Z', false, 5000), 4 * HOUR)).toBe(true);
    expect(buckets[1]).toMatchObject({
      start: Date.parse('2025-01-10T08:00:00Z'),
      checks: 1,
      failures: 1,
      latencyMin: null,
    });
    expect(latencyAvg(buckets[1]!)).toBeNull();
    // already counted by the series
    expect(addToBuckets(buckets, result('2025-01-10T03:00:00.000Z', true, 1), 4 * HOUR)).toBe(false);
    expect(buckets).toHaveLength(2);
  });

  it('aligns on multiples of the resolution since 2000-01-01 UTC, as the server does', () => {
    const buckets = bucketsOf([]);
    addToBuckets(buckets, result('2025-01-10T10:07:30.000Z', true, 5), 7 * 60_000);
    const minutes = (buckets[0]!.start - Date.UTC(2000, 0, 1)) / 60_000;
    expect(minutes % 7).toBe(0);
    expect(Date.parse('2025-01-10T10:07:30Z') - buckets[0]!.start).toBeLessThan(7 * 60_000);
  });
});
