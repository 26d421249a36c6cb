// A counter that goes up and down, with its peak and time-weighted mean since the last reset.

export class Gauge {
  private value = 0;
  private peakValue = 0;
  private area = 0;
  private since = performance.now();
  private changedAt = this.since;

  up(): void {
    this.move(1);
  }

  down(): void {
    this.move(-1);
  }

  /** Starts a new measurement window from the current value. */
  reset(): void {
    this.peakValue = this.value;
    this.area = 0;
    this.since = this.changedAt = performance.now();
  }

  get peak(): number {
    return this.peakValue;
  }

  get mean(): number {
    const now = performance.now();
    const area = this.area + this.value * (now - this.changedAt);
    return now > this.since ? area / (now - this.since) : this.value;
  }

  private move(delta: number): void {
    const now = performance.now();
    this.area += this.value * (now - this.changedAt);
    this.changedAt = now;
    this.value += delta;
    if (this.value > this.peakValue) this.peakValue = this.value;
  }
}
