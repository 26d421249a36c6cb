// Latency percentiles from the rollups' histograms. The buckets are those of monitoring.seau_latence
// (sql/005_rollups.sql): 0..31 ms exact; above, 16 buckets per power of two.

/** Worst relative error of a percentile read from a histogram: half a bucket's width over its lower bound. */
export const HISTOGRAM_RELATIVE_ERROR = 1 / 32;

/** The latencies [low, high) a bucket of monitoring.seau_latence holds. */
export function bucketBounds(bucket: number): { low: number; high: number } {
  if (bucket < 32) return { low: bucket, high: bucket + 1 };
  const power = Math.floor((bucket - 32) / 16) + 5;
  const width = 2 ** (power - 4);
  const low = 2 ** power + ((bucket - 32) % 16) * width;
  return { low, high: low + width };
}

/** A bucket's best single value: exact for 0..31 ms, else the middle of its (whole-millisecond) range. */
function representative(bucket: number): number {
  const { low, high } = bucketBounds(bucket);
  return high - low === 1 ? low : (low + high - 1) / 2;
}

/**
 * The q-quantile (0..1) the way percentile_cont interpolates between order statistics, each order statistic
 * estimated by its bucket and clamped to the observed min and max. Null for an empty histogram.
 */
export function quantileOf(
  buckets: readonly number[],
  counts: readonly number[],
  q: number,
  min: number,
  max: number,
): number | null {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const position = q * (total - 1);
  const lower = Math.floor(position);
  const fraction = position - lower;
  const valueAt = (rank: number): number => {
    let seen = 0;
    for (let i = 0; i < buckets.length; i++) {
      seen += counts[i]!;
      if (rank < seen) return Math.min(max, Math.max(min, representative(buckets[i]!)));
    }
    return max;
  };
  const low = valueAt(lower);
  return fraction === 0 ? low : low + (valueAt(lower + 1) - low) * fraction;
}
