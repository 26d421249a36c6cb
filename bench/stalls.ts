// Event-loop stalls of the service (a 10 ms ticker that fired late): the CPU it used meanwhile, and GC inside them.
import { constants, PerformanceObserver } from 'node:perf_hooks';
import type { Stall } from './protocol.ts';

const TICK_MS = 10;

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};

interface Gc {
  start: number;
  end: number;
  kind: string;
}

export class StallWatch {
  private readonly stalls: Array<{ start: number; end: number; cpuMs: number }> = [];
  private readonly gcs: Gc[] = [];
  private gcPauseMs = 0;
  private last = performance.now();
  private lastCpu = process.cpuUsage();
  private readonly ticker: NodeJS.Timeout;
  private readonly observer: PerformanceObserver;

  constructor(
    private readonly origin: number,
    private readonly thresholdMs: number,
  ) {
    this.ticker = setInterval(() => {
      const now = performance.now();
      const cpu = process.cpuUsage();
      if (now - this.last - TICK_MS >= this.thresholdMs) {
        const cpuMs = (cpu.user - this.lastCpu.user + cpu.system - this.lastCpu.system) / 1000;
        this.stalls.push({ start: this.last, end: now, cpuMs });
      }
      this.last = now;
      this.lastCpu = cpu;
    }, TICK_MS);
    this.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        this.gcPauseMs += entry.duration;
        const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? -1;
        this.gcs.push({ start: entry.startTime, end: entry.startTime + entry.duration, kind: GC_KINDS[kind] ?? 'gc' });
      }
    });
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /** Stops watching; returns the total GC pause and the longest stalls, with the GC time inside each. */
  stop(top: number): { gcPauseMs: number; count: number; longest: Stall[] } {
    clearInterval(this.ticker);
    this.observer.disconnect();
    const longest = [...this.stalls]
      .sort((a, b) => b.end - b.start - (a.end - a.start))
      .slice(0, top)
      .map((stall) => {
        const inside = this.gcs.filter((gc) => gc.end > stall.start && gc.start < stall.end);
        return {
          atSeconds: (stall.start - this.origin) / 1000,
          ms: stall.end - stall.start - TICK_MS,
          cpuMs: stall.cpuMs,
          gcMs: inside.reduce((sum, gc) => sum + Math.min(gc.end, stall.end) - Math.max(gc.start, stall.start), 0),
          gcKinds: [...new Set(inside.map((gc) => gc.kind))],
        };
      });
    return { gcPauseMs: this.gcPauseMs, count: this.stalls.length, longest };
  }
}
