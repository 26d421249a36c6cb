// Monitor management: create, change, pause and remove monitors. Schedulers pick changes up from the
// database's notifications, so nothing here talks to a scheduler.
import type { Db } from '../db/index.ts';
import {
  deleteMonitor,
  getMonitor,
  getMonitors,
  insertMonitor,
  listMonitors,
  setMonitorPaused,
  updateMonitor,
} from '../db/index.ts';
import { NotFoundError } from '../errors.ts';
import type { CheckSpec } from '../checks/index.ts';
import type { Monitor, MonitorDefaults, MonitorInput, MonitorSettings } from './types.ts';
import { validateMonitorInput } from './validation.ts';

export type { Monitor, MonitorDefaults, MonitorInput, MonitorSettings, MonitorStatus } from './types.ts';
export { formatStatusRanges, parseStatusRanges, validateMonitorInput } from './validation.ts';

/** What the check engine needs to check this monitor. */
export function checkSpecOf(monitor: Monitor): CheckSpec {
  return { kind: monitor.kind, target: monitor.target, timeoutMs: monitor.timeoutSeconds * 1000, http: monitor.http };
}

export interface MonitorService {
  /** Monitors by id, in the order asked (null for an unknown id): one query for many. */
  getMany(ids: readonly number[]): Promise<Array<Monitor | null>>;
  list(): Promise<Monitor[]>;
  get(id: number): Promise<Monitor>;
  create(input: unknown): Promise<Monitor>;
  /** Replaces every setting; omitted ones take their defaults. */
  replace(id: number, input: unknown): Promise<Monitor>;
  /** Changes only the given settings. */
  patch(id: number, changes: Record<string, unknown>): Promise<Monitor>;
  setPaused(id: number, paused: boolean): Promise<Monitor>;
  remove(id: number): Promise<void>;
}

function notFound(id: number): NotFoundError {
  return new NotFoundError(`monitor ${id} does not exist`);
}

function settingsOf(monitor: Monitor): MonitorInput {
  const { id, status, lastCheckedAt, createdAt, updatedAt, ...settings } = monitor;
  return settings;
}

export function createMonitorService(db: Db, defaults: MonitorDefaults): MonitorService {
  async function get(id: number): Promise<Monitor> {
    return (await getMonitor(db, id)) ?? Promise.reject(notFound(id));
  }

  async function save(id: number, settings: MonitorSettings): Promise<Monitor> {
    return (await updateMonitor(db, id, settings)) ?? Promise.reject(notFound(id));
  }

  return {
    list: () => listMonitors(db),
    async getMany(ids) {
      const monitors = await getMonitors(db, [...ids]);
      const byId = new Map(monitors.map((monitor) => [monitor.id, monitor]));
      return ids.map((id) => byId.get(id) ?? null);
    },
    get,
    create: async (input) => insertMonitor(db, validateMonitorInput(input, defaults)),
    replace: async (id, input) => save(id, validateMonitorInput(input, defaults)),
    async patch(id, changes) {
      const current = settingsOf(await get(id));
      const httpChanges = changes.http;
      const merged =
        httpChanges && typeof httpChanges === 'object' && !Array.isArray(httpChanges)
          ? { ...current, ...changes, http: { ...current.http, ...httpChanges } }
          : { ...current, ...changes };
      return save(id, validateMonitorInput(merged, defaults));
    },
    async setPaused(id, paused) {
      return (await setMonitorPaused(db, id, paused)) ?? Promise.reject(notFound(id));
    },
    async remove(id) {
      if (!(await deleteMonitor(db, id))) throw notFound(id);
    },
  };
}
