// The latency histogram of the rollups: buckets, their bounds, and percentiles read from them.
import { describe, expect, it } from 'vitest';
import { bucketBounds, HISTOGRAM_RELATIVE_ERROR, quantileOf } from '../../server/stats/histogram.ts';
import { bucketOf } from '../helpers/latency-buckets.ts';

describe('latency buckets', () => {
  it('hold exactly the values they are computed from, with consecutive bounds', () => {
    let previousHigh = 0;
    for (let bucket = 0; bucket <= bucketOf(2 ** 31 - 1); bucket++) {
      const { low, high } = bucketBounds(bucket);
      expect(low).toBe(previousHigh);
      expect(bucketOf(low)).toBe(bucket);
      expect(bucketOf(high - 1)).toBe(bucket);
      expect((high - low) / low <= 1 / 16 || high - low === 1).toBe(true);
      previousHigh = high;
    }
  });
});

describe('quantileOf', () => {
  it('estimates any order statistic within the documented relative error', () => {
    for (let value = 0; value < 200_000; value += value < 100 ? 1 : 37) {
      // The median of {0, value, 10^8}: not clamped to min or max.
      const buckets = [...new Set([bucketOf(0), bucketOf(value), bucketOf(100_000_000)])].sort((a, b) => a - b);
      const counts = buckets.map((bucket) => [0, value, 100_000_000].filter((v) => bucketOf(v) === bucket).length);
      const median = quantileOf(buckets, counts, 0.5, 0, 100_000_000)!;
      expect(Math.abs(median - value), `value ${value}`).toBeLessThanOrEqual(value * HISTOGRAM_RELATIVE_ERROR);
    }
  });

  it('interpolates between order statistics like percentile_cont and is exact below 32 ms', () => {
    const values = [3, 7, 7, 12, 30];
    const buckets = [3, 7, 12, 30];
    const counts = [1, 2, 1, 1];
    expect(quantileOf(buckets, counts, 0.5, 3, 30)).toBe(7);
    expect(quantileOf(buckets, counts, 0.9, 3, 30)).toBeCloseTo(12 + (30 - 12) * 0.6);
    expect(quantileOf(buckets, counts, 0, 3, 30)).toBe(values[0]);
    expect(quantileOf([], [], 0.5, 0, 0)).toBeNull();
  });
});
