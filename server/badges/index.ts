// Badges of the monitors whose operator opted in or that a status page lists: status, uptime over a window, and
// average latency, as SVG.
import { findPublicBadgeMonitor, type Db } from '../db/index.ts';
import { NotFoundError } from '../errors.ts';
import type { MonitorService, MonitorStatus } from '../monitors/index.ts';
import { resolveRange, type StatsService, type StatsWindow } from '../stats/index.ts';
import { renderBadge, type Badge, type BadgeColour } from './svg.ts';

export { escapeXml, renderBadge, textWidth, type Badge, type BadgeColour } from './svg.ts';

export type BadgeKind = 'status' | 'uptime' | 'latency';

export interface BadgeRequest {
  /** The monitor's id, or its slug. */
  ref: string;
  kind: BadgeKind;
  /** Uptime and latency: the window (default 30 days for uptime, 24 hours for latency). */
  window?: StatsWindow | null;
  /** Replaces the default label. */
  label?: string | null;
}

export interface BadgeService {
  /** The badge's SVG; a NotFoundError, the same one, for an unknown monitor and for one whose badges are private. */
  render(request: BadgeRequest): Promise<string>;
}

/** Short names of the windows, as badges show them. */
export const WINDOW_LABELS: Record<StatsWindow, string> = {
  HOUR: '1h',
  DAY: '24h',
  WEEK: '7d',
  MONTH: '30d',
  YEAR: '365d',
};

const STATUS_BADGES: Record<MonitorStatus, { message: string; colour: BadgeColour }> = {
  UP: { message: 'up', colour: 'brightgreen' },
  DEGRADED: { message: 'degraded', colour: 'yellow' },
  DOWN: { message: 'down', colour: 'red' },
  PENDING: { message: 'pending', colour: 'lightgrey' },
  PAUSED: { message: 'paused', colour: 'lightgrey' },
  MAINTENANCE: { message: 'maintenance', colour: 'blue' },
};

/** "100%", "99.95%", "12.3%": as precise as it is useful, never rounded up to 100. */
export function formatUptime(percent: number): string {
  if (percent >= 100) return '100%';
  const digits = percent >= 99 ? 3 : percent >= 10 ? 2 : 1;
  const floored = Math.floor(percent * 10 ** digits) / 10 ** digits;
  return `${floored.toFixed(digits).replace(/\.?0+$/, '')}%`;
}

function uptimeColour(percent: number): BadgeColour {
  if (percent >= 99.9) return 'brightgreen';
  if (percent >= 99) return 'green';
  if (percent >= 95) return 'yellow';
  if (percent >= 90) return 'orange';
  return 'red';
}

export const UNKNOWN_BADGE = 'no such badge';

export function createBadgeService(db: Db, monitors: MonitorService, stats: StatsService): BadgeService {
  async function find(ref: string) {
    const id = /^\d{1,9}$/.test(ref)
      ? await findPublicBadgeMonitor(db, { id: Number(ref) })
      : await findPublicBadgeMonitor(db, { slug: ref });
    if (id === null) throw new NotFoundError(UNKNOWN_BADGE);
    return monitors.get(id);
  }

  async function badgeOf(request: BadgeRequest): Promise<Badge> {
    const monitor = await find(request.ref);
    if (request.kind === 'status') return { label: monitor.name, ...STATUS_BADGES[monitor.status] };
    const window = request.window ?? (request.kind === 'uptime' ? 'MONTH' : 'DAY');
    const range = resolveRange({ window }, new Date());
    const [checks] = await stats.checkStatsOf([monitor.id], range);
    const label = `${request.kind} ${WINDOW_LABELS[window]}`;
    if (request.kind === 'uptime') {
      const availability = checks!.availability;
      if (availability === null) return { label, message: 'no data', colour: 'lightgrey' };
      return { label, message: formatUptime(availability), colour: uptimeColour(availability) };
    }
    const latency = checks!.latencyAvg;
    if (latency === null) return { label, message: 'no data', colour: 'lightgrey' };
    return {
      label,
      message: `${Math.round(latency)} ms`,
      colour: latency <= monitor.slowThresholdMs ? 'brightgreen' : 'yellow',
    };
  }

  return {
    async render(request) {
      const badge = await badgeOf(request);
      return renderBadge(request.label ? { ...badge, label: request.label } : badge);
    },
  };
}
