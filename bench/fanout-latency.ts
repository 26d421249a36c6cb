// Receipt latencies in 1 ms buckets (the last one: 60 s or more): cheap to add to in the clients' hot path, and
// buckets from several client processes add up before the percentiles are read.
import type { LatencySummary } from './fanout-protocol.ts';

const BUCKETS = 60_001;

export class Latencies {
  private readonly buckets = new Uint32Array(BUCKETS);
  private max = 0;

  add(ms: number): void {
    const bucket = Math.min(BUCKETS - 1, Math.max(0, Math.round(ms)));
    this.buckets[bucket]!++;
    if (ms > this.max) this.max = ms;
  }

  reset(): void {
    this.buckets.fill(0);
    this.max = 0;
  }

  /** The non-empty buckets as [ms, count] pairs, and the exact maximum, to send over IPC. */
  export(): { buckets: Array<[number, number]>; max: number } {
    const buckets: Array<[number, number]> = [];
    for (let ms = 0; ms < BUCKETS; ms++) if (this.buckets[ms]) buckets.push([ms, this.buckets[ms]!]);
    return { buckets, max: this.max };
  }

  static summarize(parts: Array<{ buckets: Array<[number, number]>; max: number }>): LatencySummary {
    const counts = new Map<number, number>();
    let max = 0;
    for (const part of parts) {
      for (const [ms, count] of part.buckets) counts.set(ms, (counts.get(ms) ?? 0) + count);
      max = Math.max(max, part.max);
    }
    const sorted = [...counts.entries()].sort(([a], [b]) => a - b);
    const total = sorted.reduce((sum, [, count]) => sum + count, 0);
    const rank = (p: number) => {
      const wanted = Math.max(1, Math.ceil((p / 100) * total));
      let seen = 0;
      for (const [ms, count] of sorted) {
        seen += count;
        if (seen >= wanted) return ms;
      }
      return Number.NaN;
    };
    return {
      count: total,
      p50: total ? rank(50) : Number.NaN,
      p99: total ? rank(99) : Number.NaN,
      max: total ? max : Number.NaN,
    };
  }
}
