// The last schedule lags, kept without shifting an array on every check.
const LAG_SAMPLES = 20_000;

export class LagRing {
  private readonly samples = new Float64Array(LAG_SAMPLES);
  private next = 0;
  private count = 0;

  push(lag: number): void {
    this.samples[this.next] = lag;
    this.next = (this.next + 1) % LAG_SAMPLES;
    this.count = Math.min(this.count + 1, LAG_SAMPLES);
  }

  /** Oldest first. */
  toArray(): number[] {
    const start = (this.next - this.count + LAG_SAMPLES) % LAG_SAMPLES;
    return Array.from({ length: this.count }, (_, i) => this.samples[(start + i) % LAG_SAMPLES]!);
  }
}
