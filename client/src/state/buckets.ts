// Chart buckets of the longer windows: read from the stats series, then grown live with each new result.
import type { ChartPoint, StatsPoint } from '../api/types.ts';

/** The server aligns buckets on multiples of the resolution since 2000-01-01 UTC. */
const ORIGIN_MS = Date.UTC(2000, 0, 1);

export interface Bucket {
  /** ms since the epoch */
  start: number;
  checks: number;
  failures: number;
  /** Sum of the successful checks' latencies, so that a live result can join the mean. */
  latencySum: number;
  latencyMin: number | null;
  latencyMax: number | null;
}

export function bucketsOf(points: readonly StatsPoint[]): Bucket[] {
  return points
    .map((point) => ({
      start: Date.parse(point.start),
      checks: point.checks,
      failures: point.failures,
      latencySum: (point.latencyAvg ?? 0) * (point.checks - point.failures),
      latencyMin: point.latencyMin,
      latencyMax: point.latencyMax,
    }))
    .sort((a, b) => a.start - b.start);
}

export function latencyAvg(bucket: Bucket): number | null {
  const successes = bucket.checks - bucket.failures;
  return successes > 0 ? bucket.latencySum / successes : null;
}

/**
 * Adds a result to its bucket (the last one, or a new one after it); results older than the last bucket are
 * left out (they are already counted). Returns whether anything changed.
 */
export function addToBuckets(buckets: Bucket[], result: ChartPoint, resolutionMs: number): boolean {
  const at = Date.parse(result.checkedAt);
  const start = ORIGIN_MS + Math.floor((at - ORIGIN_MS) / resolutionMs) * resolutionMs;
  let last = buckets[buckets.length - 1];
  if (last && start < last.start) return false;
  if (!last || start > last.start) {
    last = { start, checks: 0, failures: 0, latencySum: 0, latencyMin: null, latencyMax: null };
    buckets.push(last);
  }
  last.checks++;
  if (!result.isUp) last.failures++;
  else {
    last.latencySum += result.latencyMs;
    last.latencyMin = Math.min(last.latencyMin ?? result.latencyMs, result.latencyMs);
    last.latencyMax = Math.max(last.latencyMax ?? result.latencyMs, result.latencyMs);
  }
  return true;
}
