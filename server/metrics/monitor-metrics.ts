// Per-monitor gauges, read at scrape time with two set-based statements for all monitors (readings, then the
// 24-hour check counts) plus the maintenance windows, a handful of rows.
import { isWindowActive, type MaintenanceService, type MaintenanceWindow, windowCovers } from '../maintenance/index.ts';
import { maskUrlSecrets } from '../checks/index.ts';
import type { LastResultReading, MonitorReading, MonitorService, MonitorStatus } from '../monitors/index.ts';
import type { CheckStats, StatsRange, StatsService } from '../stats/index.ts';
import { ExpositionWriter, formatLabels } from './exposition.ts';

const HOUR_MS = 3_600_000;
const MONITOR_STATUSES: readonly MonitorStatus[] = ['UP', 'DEGRADED', 'DOWN', 'PENDING', 'PAUSED', 'MAINTENANCE'];
/** Formatting 10,000 monitors takes 100 to 200 ms of CPU: it gives way to checks due meanwhile every so often. */
const MONITORS_PER_SLICE = 2_000;

interface MonitorSample {
  /** The monitor's label set, formatted once and shared by all its samples. */
  labels: string;
  status: MonitorStatus;
  intervalSeconds: number;
  /** The last result of each location, with the monitor's labels and its location's. */
  lastResults: Array<{ labels: string; last: LastResultReading }>;
}

/** A family of the last results: one sample per monitor and location that checks it. */
interface Family {
  name: string;
  help: string;
  value: (last: LastResultReading) => number | null | undefined;
}

// Names follow the blackbox exporter's where the meaning is the same, so existing dashboards and rules fit. Each
// sample is of the last check from one location (label `location`, the LOCATION of the instances that check it).
const FAMILIES: Family[] = [
  {
    name: 'probe_success',
    help: 'Whether the last check succeeded (1) or failed (0); absent before the first check.',
    value: (last) => Number(last.isUp),
  },
  {
    name: 'probe_duration_seconds',
    help: 'How long the last check took, in seconds.',
    value: (last) => last.latencyMs / 1000,
  },
  {
    name: 'probe_http_status_code',
    help: 'HTTP status code of the last check; absent when it got no response, and for tcp and icmp monitors.',
    value: (last) => last.httpStatus,
  },
  {
    name: 'vigie_monitor_certificate_days_left',
    help: 'Whole days until the TLS certificate seen by the last check expires (negative once expired); https only.',
    value: (last) => last.certificateDaysLeft,
  },
  {
    name: 'vigie_monitor_last_check_timestamp_seconds',
    help: 'When the last check ran, in seconds since the Unix epoch; absent before the first check.',
    value: (last) => last.checkedAt.getTime() / 1000,
  },
];

const giveWay = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface MonitorMetricSources {
  monitors: MonitorService;
  maintenance: MaintenanceService;
  stats: StatsService;
}

/** The per-monitor families as exposition text. */
export async function monitorMetricsText(sources: MonitorMetricSources, now: Date): Promise<string> {
  const [readings, windows] = await Promise.all([sources.monitors.readings(), sources.maintenance.list()]);
  // The database counts the checks while the other families are formatted here.
  const counting = sources.stats.checkStatsOf(
    readings.map((reading) => reading.id),
    availabilityRange(now),
  );
  counting.catch(() => undefined); // awaited below: a failure meanwhile must not count as unhandled
  const monitors = samplesOf(readings, windows, now);
  const out = new ExpositionWriter();

  for (const family of FAMILIES) {
    out.family(family.name, 'gauge', family.help);
    for (const monitor of monitors) {
      for (const { labels, last } of monitor.lastResults) {
        const value = family.value(last);
        if (value != null) out.sample(family.name, labels, value);
      }
    }
    await giveWay();
  }
  out.family('vigie_monitor_interval_seconds', 'gauge', 'How often the monitor is checked, in seconds.');
  for (const monitor of monitors) out.sample('vigie_monitor_interval_seconds', monitor.labels, monitor.intervalSeconds);
  await giveWay();

  out.family(
    'vigie_monitor_status',
    'gauge',
    `The monitor's status, one-hot: 1 for its current status, 0 for the others (${MONITOR_STATUSES.join(', ')}).`,
  );
  for (let i = 0; i < monitors.length; i++) {
    const monitor = monitors[i]!;
    for (const status of MONITOR_STATUSES) {
      out.sample('vigie_monitor_status', `${monitor.labels},status="${status}"`, monitor.status === status ? 1 : 0);
    }
    if ((i + 1) % MONITORS_PER_SLICE === 0) await giveWay();
  }

  writeAvailability(out, monitors, await counting);
  return out.toString();
}

function writeAvailability(out: ExpositionWriter, monitors: MonitorSample[], counts: CheckStats[]): void {
  out.family(
    'vigie_monitor_availability_ratio',
    'gauge',
    'Share of successful checks (0 to 1) in the current UTC hour and the 23 before it; absent without a check in them.',
  );
  monitors.forEach((monitor, i) => {
    const { checks, failures } = counts[i]!;
    if (checks)
      out.sample('vigie_monitor_availability_ratio', `${monitor.labels},window="24h"`, (checks - failures) / checks);
  });
}

/**
 * The current UTC hour (its rollup holds every result so far) and the 23 whole hours before it: read from the
 * hourly rollups alone. An exact "now minus 24 hours" would also read an hour of raw results per monitor,
 * three to four times the cost (measured with 10,000 monitors checked every minute).
 */
function availabilityRange(now: Date): StatsRange {
  const to = Math.ceil(now.getTime() / HOUR_MS) * HOUR_MS;
  return { from: new Date(to - 24 * HOUR_MS), to: new Date(to) };
}

function samplesOf(readings: MonitorReading[], windows: MaintenanceWindow[], now: Date): MonitorSample[] {
  // Each window is evaluated once, not once per monitor (a recurring one parses its cron expression).
  const active = windows.filter((window) => isWindowActive(window, now));
  return readings.map((reading) => {
    const labels = labelsOf(reading);
    return {
      labels,
      // As the monitor service shows it: a window puts an active monitor in MAINTENANCE, a paused one stays PAUSED.
      status:
        reading.status !== 'PAUSED' && active.some((window) => windowCovers(window, reading))
          ? 'MAINTENANCE'
          : reading.status,
      intervalSeconds: reading.intervalSeconds,
      lastResults: reading.lastResults.map((last) => ({
        labels: `${labels},${formatLabels({ location: last.location })}`,
        last,
      })),
    };
  });
}

function labelsOf(reading: MonitorReading): string {
  return formatLabels({
    monitor_id: String(reading.id),
    monitor: reading.name,
    kind: reading.kind,
    target: maskUrlSecrets(withoutCredentials(reading.target)),
  });
}

/**
 * A URL's user and password are kept out of labels, and its tokens masked (maskUrlSecrets): Prometheus stores
 * labels for a long time, in the clear, and any viewer may scrape them.
 */
function withoutCredentials(target: string): string {
  if (!target.includes('@')) return target;
  try {
    const url = new URL(target);
    if (!url.username && !url.password) return target;
    url.username = '';
    url.password = '';
    return url.href;
  } catch {
    return target;
  }
}
