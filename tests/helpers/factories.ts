// The test factories: the rows a test needs, made through the real services with the product's defaults
// (from loadConfig, as the app gets them), so a test starts from a state the product itself could be in.
import {
  createChannelService,
  parseChannelInput,
  type Channel,
  type ChannelKind,
  type ChannelService,
} from '../../server/alerts/index.ts';
import { loadConfig } from '../../server/config.ts';
import {
  createMaintenanceService,
  parseMaintenanceInput,
  type MaintenanceWindow,
} from '../../server/maintenance/index.ts';
import type { Db, LeaseOwner } from '../../server/db/index.ts';
import {
  completeMonitorSettings,
  createMonitorService,
  type Monitor,
  type MonitorDefaults,
  type MonitorInput,
  type MonitorService,
  type MonitorSettings,
} from '../../server/monitors/index.ts';
import { insertResults, type NewCheckResult } from '../../server/results/index.ts';

/** The configuration a test app gets when the test sets nothing: where the product's defaults come from. */
const DEFAULT_CONFIG = loadConfig({});
const MONITOR_DEFAULTS: MonitorDefaults = {
  intervalSeconds: DEFAULT_CONFIG.defaultIntervalSeconds,
  timeoutSeconds: DEFAULT_CONFIG.requestTimeoutSeconds,
  slowThresholdMs: DEFAULT_CONFIG.slowThresholdMs,
};
/** What a test monitor is when the test does not say: an HTTP check of a closed loopback port. */
const TEST_MONITOR: MonitorInput = { name: 'test monitor', kind: 'http', target: 'http://127.0.0.1:9/' };

/** The monitor service on `db`, with the configured defaults (as startApp builds it) and the default address policy. */
export function monitorService(db: Db): MonitorService {
  return createMonitorService(db, MONITOR_DEFAULTS);
}

/** A monitor created by the monitor service. */
export function createMonitor(db: Db, input: Partial<MonitorInput> = {}): Promise<Monitor> {
  return monitorService(db).create({ ...TEST_MONITOR, ...input });
}

/** Complete settings, as the monitor service would store them (for a repository call, e.g. inside a transaction). */
export function monitorSettings(input: Partial<MonitorInput> = {}): MonitorSettings {
  return completeMonitorSettings({ ...TEST_MONITOR, ...input }, MONITOR_DEFAULTS);
}

export interface ChannelInput {
  name?: string;
  kind?: ChannelKind;
  settings?: Record<string, unknown>;
  secrets?: Record<string, unknown>;
  isDefault?: boolean;
  enabled?: boolean;
}

/** The channel service on `db`, configured as startApp does by default. */
export function channelService(db: Db): ChannelService {
  return createChannelService(db, {
    publicUrl: DEFAULT_CONFIG.publicUrl,
    timeoutMs: DEFAULT_CONFIG.notifications.timeoutSeconds * 1000,
  });
}

/** A notification channel created by the channel service (a webhook unless the test says otherwise). */
export function createChannel(db: Db, input: ChannelInput = {}): Promise<Channel> {
  return channelService(db).create(parseChannelInput({ name: 'test channel', kind: 'webhook', ...input }));
}

export interface MaintenanceWindowInput {
  name?: string;
  /** One monitor (a shortcut for monitorIds: [id]); null or absent, with no monitorIds nor tags: every monitor. */
  monitorId?: number | null;
  monitorIds?: number[];
  tags?: string[];
  /** ISO-8601, as the APIs take them. */
  startsAt?: string;
  endsAt?: string;
  cron?: string;
  durationMinutes?: number;
  timeZone?: string;
}

/** A maintenance window created by the maintenance service. */
export function createMaintenanceWindow(db: Db, input: MaintenanceWindowInput): Promise<MaintenanceWindow> {
  return createMaintenanceService(db).create(parseMaintenanceInput({ name: 'test window', ...input }));
}

// Between tests: every row of a kind removed the way the product removes one (cascades included).

export async function deleteEveryMonitor(db: Db): Promise<void> {
  const monitors = monitorService(db);
  for (const monitor of await monitors.list()) await monitors.remove(monitor.id);
}

export async function deleteEveryChannel(db: Db): Promise<void> {
  const channels = channelService(db);
  for (const channel of await channels.list()) await channels.remove(channel.id);
}

export async function deleteEveryMaintenanceWindow(db: Db): Promise<void> {
  const windows = createMaintenanceService(db);
  for (const window of await windows.list()) await windows.remove(window.id);
}

let clock = Date.parse('2026-01-01T00:00:00Z');

/** A result; each call is one second later than the previous one unless checkedAt is given. */
export function result(
  monitorId: number | null,
  isUp: boolean,
  overrides: Partial<NewCheckResult> = {},
): NewCheckResult {
  clock += 1000;
  return {
    monitorId,
    isUp,
    httpStatus: isUp ? 200 : 500,
    latencyMs: 20,
    checkedAt: new Date(clock),
    target: 'http://127.0.0.1:9/',
    cause: isUp ? null : 'http_status',
    error: isUp ? null : 'HTTP 500',
    timings: null,
    certificateDaysLeft: null,
    certificateExpiresAt: null,
    ...overrides,
  };
}

/**
 * A DOWN alert, raised the way the product raises one (no API creates alerts): the monitor's results go UP, then
 * DOWN, and the database's triggers write the transition and its alert. Returns the alert's id.
 */
export async function raiseDownAlert(db: Db, monitorId: number): Promise<number> {
  await insertResults(db, [result(monitorId, true), result(monitorId, false)]);
  const { rows } = await db.query<{ id: number }>(
    `SELECT id FROM monitoring.alertes WHERE moniteur_id = $1 AND type = 'DOWN' ORDER BY id DESC LIMIT 1`,
    [monitorId],
  );
  return Number(rows[0]!.id);
}

/**
 * An instance registered in `monitoring.instances` (alive now, in location "default" unless given), as the lease owner the lease
 * functions take: for tests of leases and fenced writes without a service process.
 */
export async function registerInstance(
  db: Db,
  name: string,
  ttlMs = 30_000,
  location = 'default',
): Promise<LeaseOwner> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO monitoring.instances (nom, emplacement, version) VALUES ($1, $2, 'test') RETURNING id`,
    [name, location],
  );
  return { instanceId: rows[0]!.id, location, ttlMs };
}

/** An instance that stops heartbeating: its last heartbeat an hour ago, so its leases may be taken over. */
export async function silenceInstance(db: Db, owner: LeaseOwner): Promise<void> {
  await db.query(`UPDATE monitoring.instances SET vu_a = now() - interval '1 hour' WHERE id = $1`, [owner.instanceId]);
}
