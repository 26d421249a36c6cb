// The per-host cap: at most maxChecksPerHost checks in flight to one host; due checks over it wait in that host's
// line (oldest first) without holding a worker.
import { parseIcmpTarget, parseTcpTarget } from '../checks/index.ts';
import type { Monitor } from '../monitors/index.ts';

/** The host a monitor's checks go to; a target that does not parse counts as its own host. */
export function hostOfTarget(kind: Monitor['kind'], target: string): string {
  try {
    if (kind === 'http') return new URL(target).hostname.toLowerCase();
    if (kind === 'tcp') return parseTcpTarget(target).host.toLowerCase();
    return parseIcmpTarget(target).toLowerCase();
  } catch {
    return target.toLowerCase();
  }
}

export class HostLines {
  /** Checks in flight per host. */
  private readonly inFlight = new Map<string, number>();
  /** Due checks (monitor ids) waiting for their host to fall below the cap, oldest first. */
  private readonly lines = new Map<string, number[]>();
  /** How many ids wait in all the lines. */
  waiting = 0;

  constructor(private readonly maxPerHost: number) {}

  isFull(host: string): boolean {
    return (this.inFlight.get(host) ?? 0) >= this.maxPerHost;
  }

  /** A check of `id` waits for `host`. */
  wait(host: string, id: number): void {
    const line = this.lines.get(host);
    if (line) line.push(id);
    else this.lines.set(host, [id]);
    this.waiting += 1;
  }

  /** A check to `host` starts. */
  enter(host: string): void {
    this.inFlight.set(host, (this.inFlight.get(host) ?? 0) + 1);
  }

  /**
   * A check to `host` ended: answers the ids that leave its line (in line order), up to and including the first one
   * `stillFor(id)` says still waits for this host (the others were deleted, moved to another host or started).
   */
  leave(host: string, stillFor: (id: number) => 'waiting-here' | 'moved' | 'gone'): number[] {
    const left = (this.inFlight.get(host) ?? 1) - 1;
    if (left > 0) this.inFlight.set(host, left);
    else this.inFlight.delete(host);
    const line = this.lines.get(host);
    const leaving: number[] = [];
    while (line && line.length > 0) {
      const id = line.shift()!;
      this.waiting -= 1;
      const where = stillFor(id);
      if (where === 'gone') continue;
      leaving.push(id);
      if (where === 'waiting-here') break;
    }
    if (line?.length === 0) this.lines.delete(host);
    return leaving;
  }

  /** Every id waiting in a line. */
  *waitingIds(): Iterable<number> {
    for (const line of this.lines.values()) yield* line;
  }
}
