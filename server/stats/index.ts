// Availability and latency statistics of monitors over a time window.
import type { Db } from '../db/index.ts';
import { computeMonitorStats } from '../db/index.ts';

export type StatsWindow = 'HOUR' | 'DAY' | 'WEEK' | 'MONTH' | 'YEAR';

const WINDOW_MS: Record<StatsWindow, number> = {
  HOUR: 3_600_000,
  DAY: 86_400_000,
  WEEK: 7 * 86_400_000,
  MONTH: 30 * 86_400_000,
  YEAR: 365 * 86_400_000,
};

export interface MonitorStats {
  monitorId: number;
  from: Date;
  to: Date;
  /** Percentage of successful checks; null without any check in the window. */
  availability: number | null;
  checks: number;
  failures: number;
  /** DOWN alerts raised in the window. */
  incidents: number;
  latency: {
    avg: number | null;
    min: number | null;
    max: number | null;
    p50: number | null;
    p95: number | null;
    p99: number | null;
  };
}

export function windowRange(window: StatsWindow, now = new Date()): { from: Date; to: Date } {
  return { from: new Date(now.getTime() - WINDOW_MS[window]), to: now };
}

/** Statistics of many monitors in one query, in the order of monitorIds. */
export async function statsOfMonitors(db: Db, monitorIds: readonly number[], window: StatsWindow): Promise<MonitorStats[]> {
  const { from, to } = windowRange(window);
  const rows = await computeMonitorStats(db, [...monitorIds], from, to);
  const byId = new Map(rows.map((row) => [row.monitorId, row]));
  return monitorIds.map((monitorId) => {
    const row = byId.get(monitorId)!;
    return {
      monitorId,
      from,
      to,
      availability: row.checks ? ((row.checks - row.failures) / row.checks) * 100 : null,
      checks: row.checks,
      failures: row.failures,
      incidents: row.incidents,
      latency: {
        avg: row.latencyAvg,
        min: row.latencyMin,
        max: row.latencyMax,
        p50: row.latencyP50,
        p95: row.latencyP95,
        p99: row.latencyP99,
      },
    };
  });
}
