// Monitor management: create, change, pause and remove monitors. Schedulers pick changes up from the
// database's notifications, so nothing here talks to a scheduler.
import type { Db, MonitorFilter, MonitorReading } from '../db/index.ts';
import {
  CheckViolationError,
  deleteMonitor,
  listDependencyChain,
  getMonitor,
  getMonitors,
  insertMonitor,
  listMonitorReadings,
  listMonitors,
  UniqueViolationError,
  setMonitorPaused,
  updateMonitor,
} from '../db/index.ts';
import { isInMaintenance, type MaintenanceWindow, maintenanceWindows } from '../maintenance/index.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { MONITOR_ADDRESS_POLICY, restoreUrlSecrets, type AddressPolicy, type CheckSpec } from '../checks/index.ts';
import type {
  Monitor,
  MonitorChanges,
  MonitorDefaults,
  MonitorInput,
  MonitorSettings,
  MonitorStatus,
} from './types.ts';
import { restoreSecretHeaders, sameOrigin, withoutSecretHeaders } from './secret-headers.ts';
import { completeMonitorSettings, refuseForbiddenAddress } from './validation.ts';

export type {
  HeartbeatSchedule,
  Monitor,
  MonitorChanges,
  MonitorDefaults,
  MonitorInput,
  MonitorSettings,
  MonitorStatus,
} from './types.ts';
export type { LastResultReading, MonitorReading } from '../db/index.ts';
export {
  completeMonitorSettings,
  formatStatusRanges,
  parseMonitorChanges,
  parseMonitorInput,
  parseStatusRanges,
  refuseForbiddenAddress,
  monitorInputSchema,
} from './validation.ts';
export { isSecretHeader, redactHeaders, SECRET_PLACEHOLDER } from './secret-headers.ts';
export {
  createHeartbeatService,
  heartbeatDeadline,
  heartbeatVerdict,
  MAX_PING_MESSAGE,
  missedHeartbeatResult,
  pingUrlOf,
  type HeartbeatDeadline,
  type HeartbeatService,
  type HeartbeatState,
  type HeartbeatVerdict,
  type Ping,
  type PingEvent,
} from './heartbeats.ts';

/** What the check engine needs to check this monitor. */
export function checkSpecOf(monitor: Monitor): CheckSpec {
  return {
    kind: monitor.kind,
    target: monitor.target,
    timeoutMs: monitor.timeoutSeconds * 1000,
    http: monitor.http,
    dns: monitor.dns,
    assertions: monitor.assertions,
  };
}

/** Whether instances of `location` check this monitor: it names no locations (all do), or names this one. */
export function checkedFrom(monitor: Monitor, location: string): boolean {
  return monitor.locations === null || monitor.locations.includes(location);
}

export interface MonitorListFilter {
  status?: MonitorStatus | null;
  tag?: string | null;
}

export interface MonitorService {
  /** Monitors by id, in the order asked (null for an unknown id): one query for many. */
  getMany(ids: readonly number[]): Promise<Array<Monitor | null>>;
  /** By id; only those in the given status and with the given tag, when asked. */
  list(filter?: MonitorListFilter): Promise<Monitor[]>;
  /** Every monitor with its stored status and its last result, in one read (what a metrics scrape needs). */
  readings(): Promise<MonitorReading[]>;
  get(id: number): Promise<Monitor>;
  create(input: MonitorInput): Promise<Monitor>;
  /** Replaces every setting; omitted ones take their defaults. */
  replace(id: number, input: MonitorInput): Promise<Monitor>;
  /** Changes only the given settings. */
  patch(id: number, changes: MonitorChanges): Promise<Monitor>;
  setPaused(id: number, paused: boolean): Promise<Monitor>;
  remove(id: number): Promise<void>;
}

function notFound(id: number): NotFoundError {
  return new NotFoundError(`monitor ${id} does not exist`);
}

/**
 * Secret headers sent back as the placeholder keep their stored values, as long as the target stays on the same
 * origin: the stored secrets were meant for that host, and a new one gets only secrets sent with it.
 */
function withStoredSecrets<T extends MonitorChanges>(input: T, current: MonitorInput): T {
  // Credentials in the target URL (user:password@, ?token=) are shown as the placeholder too.
  const target =
    input.target === undefined ? undefined : restoreUrlSecrets(input.target, current.target ?? '', 'target');
  const withTarget = target === input.target ? input : { ...input, target };
  if (input.http?.headers === undefined) return withTarget;
  const stored = sameOrigin(input, current) ? (current.http?.headers ?? {}) : {};
  return { ...withTarget, http: { ...input.http, headers: restoreSecretHeaders(input.http.headers, stored) } };
}

/** The current settings, without their secret headers when the changes move the monitor to another origin. */
function currentFor(changes: MonitorChanges, current: MonitorInput): MonitorInput {
  if (sameOrigin(changes, current) || !current.http) return current;
  return { ...current, http: { ...current.http, headers: withoutSecretHeaders(current.http.headers ?? {}) } };
}

/**
 * A slug another monitor has is the caller's conflict, not an internal error; so is a dependency cycle that a
 * concurrent change closed after the service's own check (the database refuses it).
 */
async function slugConflict<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (error instanceof UniqueViolationError && error.constraint === 'moniteurs_slug_unique') {
      throw new ConflictError('slug: already used by another monitor');
    }
    if (error instanceof CheckViolationError && error.constraint.startsWith('moniteurs_dependance')) {
      throw new ValidationError('would make a cycle of dependencies', 'dependsOn');
    }
    throw error;
  }
}

function settingsOf(monitor: Monitor): MonitorInput {
  const { id, status, lastCheckedAt, createdAt, updatedAt, pingToken, ...settings } = monitor;
  return settings;
}

export function createMonitorService(
  db: Db,
  defaults: MonitorDefaults,
  /** The policy of monitor checks (AddressPolicies.monitors): an IP target it refuses is refused when saved. */
  addressPolicy: AddressPolicy = MONITOR_ADDRESS_POLICY,
): MonitorService {
  const validate = (input: MonitorInput): MonitorSettings =>
    refuseForbiddenAddress(completeMonitorSettings(input, defaults), addressPolicy);

  // MAINTENANCE is not stored: it depends on the clock and the windows (some recurring).
  async function withMaintenance(
    monitors: Monitor[],
    /** The windows of these monitors when already read. */
    read?: MaintenanceWindow[],
  ): Promise<Monitor[]> {
    if (monitors.length === 0) return monitors;
    const windows =
      read ??
      (await maintenanceWindows(
        db,
        monitors.map((monitor) => monitor.id),
      ));
    if (windows.length === 0) return monitors;
    const now = new Date();
    return monitors.map((monitor) =>
      !monitor.paused && isInMaintenance(windows, monitor, now) ? { ...monitor, status: 'MAINTENANCE' } : monitor,
    );
  }

  async function one(monitor: Monitor | null, id: number): Promise<Monitor> {
    if (!monitor) throw notFound(id);
    return (await withMaintenance([monitor]))[0]!;
  }

  const get = async (id: number) => one(await getMonitor(db, id), id);

  /** A parent must exist, and be neither the monitor itself nor one of the monitors depending on it. */
  async function refuseBadDependency(id: number | null, settings: MonitorSettings): Promise<MonitorSettings> {
    const parent = settings.dependsOn;
    if (parent === null) return settings;
    if (parent === id) throw new ValidationError('a monitor cannot depend on itself', 'dependsOn');
    const chain = await listDependencyChain(db, parent);
    if (chain.length === 0) throw new ValidationError(`monitor ${parent} does not exist`, 'dependsOn');
    const loop = id === null ? -1 : chain.indexOf(id);
    if (loop !== -1) {
      const path = [id, ...chain.slice(0, loop + 1)].join(' → ');
      throw new ValidationError(`would make a cycle of dependencies (${path})`, 'dependsOn');
    }
    return settings;
  }

  const save = async (id: number, settings: MonitorSettings) =>
    one(await slugConflict(updateMonitor(db, id, await refuseBadDependency(id, settings))), id);

  return {
    async list({ status = null, tag = null } = {}) {
      // MAINTENANCE is not stored: its candidates are the monitors a window applies to, and the clock decides.
      const stored: MonitorFilter = status === 'MAINTENANCE' ? { tag, underMaintenanceWindow: true } : { status, tag };
      const monitors = await withMaintenance(await listMonitors(db, stored));
      // A stored status may read MAINTENANCE now, and a candidate may be outside its windows.
      return status ? monitors.filter((monitor) => monitor.status === status) : monitors;
    },
    readings: () => listMonitorReadings(db),
    async getMany(ids) {
      if (ids.length === 0) return [];
      // The rows and their windows at once (both by id): one round trip fewer for a live tick's read.
      const [rows, windows] = await Promise.all([getMonitors(db, [...ids]), maintenanceWindows(db, [...ids])]);
      const monitors = await withMaintenance(rows, windows);
      const byId = new Map(monitors.map((monitor) => [monitor.id, monitor]));
      return ids.map((id) => byId.get(id) ?? null);
    },
    get,
    create: async (input) => slugConflict(insertMonitor(db, await refuseBadDependency(null, validate(input)))),
    async replace(id, input) {
      const current = settingsOf(await get(id));
      return save(id, validate(withStoredSecrets(input, current)));
    },
    async patch(id, changes) {
      const current = currentFor(changes, settingsOf(await get(id)));
      const kept = withStoredSecrets(changes, current);
      const merged: MonitorInput = kept.http
        ? { ...current, ...kept, http: { ...current.http, ...kept.http } }
        : { ...current, ...kept };
      if (kept.dns && current.dns) merged.dns = { ...current.dns, ...kept.dns };
      return save(id, validate(merged));
    },
    setPaused: async (id, paused) => one(await setMonitorPaused(db, id, paused), id),
    async remove(id) {
      if (!(await deleteMonitor(db, id))) throw notFound(id);
    },
  };
}
