// The difference between a configuration file and the database, and applying it in one transaction. Only rows
// with a configuration key (cle_config) are the file's: others are never changed nor removed.
import { createChannelService, type Channel } from '../alerts/index.ts';
import type { AddressPolicy } from '../checks/index.ts';
import {
  getChannel,
  getMonitors,
  getStatusPage,
  listConfigKeys,
  listMaintenances,
  listChannelIdsOfMonitors,
  lockConfigApply,
  setConfigKey,
  transactionView,
  type ConfigKind,
  type Db,
  type Queryable,
} from '../db/index.ts';
import { createMaintenance, removeMaintenance, replaceMaintenance } from '../maintenance/index.ts';
import { createMonitorService, type MonitorDefaults } from '../monitors/index.ts';
import { createStatusPageService } from '../status-pages/index.ts';
import type { MaintenanceWindow, Monitor, StatusPage } from '../types/index.ts';
import type { DesiredConfig } from './load.ts';

export interface PlannedChange {
  action: 'create' | 'update' | 'delete';
  kind: ConfigKind;
  key: string;
  /** The settings that differ (update); secrets are named, never shown. */
  fields: string[];
}

export interface Plan {
  changes: PlannedChange[];
  unchanged: number;
}

/** own: the file owns its keys, and owned rows it no longer lists are removed. merge (imports): nothing is removed. */
export type ApplyMode = 'own' | 'merge';

export interface ApplyOptions {
  mode?: ApplyMode;
  monitorDefaults: MonitorDefaults;
  addressPolicy: AddressPolicy;
}

/** What the database holds under configuration keys, in the file's terms. */
interface Current {
  ids: Record<ConfigKind, Map<string, number>>;
  /** dependsOn: the key of the monitor it depends on (or "#<id>" for one without a key). */
  monitors: Map<string, { monitor: Monitor; channels: string[]; dependsOn: string | null }>;
  channels: Map<string, Channel>;
  maintenance: Map<string, MaintenanceWindow & { monitors: string[] }>;
  statusPages: Map<string, StatusPage & { sectionKeys: string[][] }>;
}

const same = (a: unknown, b: unknown) => JSON.stringify(normalised(a)) === JSON.stringify(normalised(b));
function normalised(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(normalised);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, item]) => item !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, item]) => [name, normalised(item)]),
    );
  }
  return value;
}
const differing = (desired: Record<string, unknown>, current: Record<string, unknown>) =>
  Object.keys(desired).filter((name) => !same(desired[name], current[name]));

async function readCurrent(db: Queryable): Promise<Current> {
  const ids = {
    monitor: await listConfigKeys(db, 'monitor'),
    channel: await listConfigKeys(db, 'channel'),
    maintenance: await listConfigKeys(db, 'maintenance'),
    statusPage: await listConfigKeys(db, 'statusPage'),
  };
  const keyOf = (kind: ConfigKind) => {
    const byId = new Map([...ids[kind]].map(([key, id]) => [id, key]));
    // A row without a key (made in the dashboard) shows as its id.
    return (id: number) => byId.get(id) ?? `#${id}`;
  };
  const channelKey = keyOf('channel');
  const monitorKey = keyOf('monitor');
  const current: Current = {
    ids,
    monitors: new Map(),
    channels: new Map(),
    maintenance: new Map(),
    statusPages: new Map(),
  };
  const monitorIds = [...ids.monitor.values()];
  const monitors = new Map((await getMonitors(db, monitorIds)).map((monitor) => [monitor.id, monitor]));
  const channelIdsOf = await listChannelIdsOfMonitors(db, monitorIds);
  for (const [key, id] of ids.monitor) {
    const monitor = monitors.get(id);
    if (monitor)
      current.monitors.set(key, {
        monitor,
        channels: channelIdsOf.get(id)!.map(channelKey),
        dependsOn: monitor.dependsOn === null ? null : monitorKey(monitor.dependsOn),
      });
  }
  for (const [key, id] of ids.channel) {
    const channel = await getChannel(db, id);
    if (channel) current.channels.set(key, channel);
  }
  const windows = await listMaintenances(db);
  for (const [key, id] of ids.maintenance) {
    const window = windows.find((item) => item.id === id);
    if (window)
      current.maintenance.set(key, {
        ...window,
        monitors: window.monitorIds.map(monitorKey),
      });
  }
  for (const [key, id] of ids.statusPage) {
    const page = await getStatusPage(db, id);
    if (page)
      current.statusPages.set(key, {
        ...page,
        sectionKeys: page.sections.map((section) => section.monitorIds.map(monitorKey)),
      });
  }
  return current;
}

function diff(desired: DesiredConfig, current: Current, mode: ApplyMode): Plan {
  const changes: PlannedChange[] = [];
  let unchanged = 0;
  const compare = <T extends { key: string }>(
    kind: ConfigKind,
    wanted: T[],
    have: Map<string, unknown>,
    fieldsOf: (item: T, now: never) => string[],
  ) => {
    for (const item of wanted) {
      const now = have.get(item.key);
      if (now === undefined) changes.push({ action: 'create', kind, key: item.key, fields: [] });
      else {
        const fields = fieldsOf(item, now as never);
        if (fields.length) changes.push({ action: 'update', kind, key: item.key, fields });
        else unchanged += 1;
      }
    }
    if (mode === 'own') {
      const listed = new Set(wanted.map((item) => item.key));
      for (const key of have.keys()) if (!listed.has(key)) changes.push({ action: 'delete', kind, key, fields: [] });
    }
  };
  compare('channel', desired.channels, current.channels, (item, now: Channel) => {
    const fields = differing(
      {
        name: item.record.name,
        kind: item.record.kind,
        settings: item.record.settings,
        isDefault: item.record.isDefault,
        enabled: item.record.enabled,
      },
      now as unknown as Record<string, unknown>,
    );
    return same(item.record.secrets, now.secrets) ? fields : [...fields, 'secrets'];
  });
  type CurrentMonitor = { monitor: Monitor; channels: string[]; dependsOn: string | null };
  compare('monitor', desired.monitors, current.monitors, (item, now: CurrentMonitor) => {
    const fields = differing(
      { ...item.settings, dependsOn: item.dependsOn } as unknown as Record<string, unknown>,
      { ...now.monitor, dependsOn: now.dependsOn } as unknown as Record<string, unknown>,
    );
    return same(item.channels, now.channels) ? fields : [...fields, 'channels'];
  });
  compare(
    'maintenance',
    desired.maintenance,
    current.maintenance,
    (item, now: MaintenanceWindow & { monitors: string[] }) =>
      differing({ ...item.window, monitors: item.monitors }, now as unknown as Record<string, unknown>),
  );
  compare(
    'statusPage',
    desired.statusPages,
    current.statusPages,
    (item, now: StatusPage & { sectionKeys: string[][] }) => {
      const { key, sections, ...fields } = item;
      const changed = differing(fields, now as unknown as Record<string, unknown>);
      const sectionsNow = now.sections.map((section, index) => ({
        name: section.name,
        monitors: now.sectionKeys[index],
      }));
      return same(sections, sectionsNow) ? changed : [...changed, 'sections'];
    },
  );
  return { changes, unchanged };
}

/** What applying the file would change. */
export async function planConfig(db: Db, desired: DesiredConfig, mode: ApplyMode = 'own'): Promise<Plan> {
  return diff(desired, await readCurrent(db), mode);
}

/** Applies the file in one transaction: all of it, or nothing (the error says why). */
export async function applyConfig(db: Db, desired: DesiredConfig, options: ApplyOptions): Promise<Plan> {
  const mode = options.mode ?? 'own';
  return db.transaction(async (tx) => {
    await lockConfigApply(tx);
    const view = transactionView(db, tx);
    const current = await readCurrent(tx);
    const plan = diff(desired, current, mode);
    const monitors = createMonitorService(view, options.monitorDefaults, options.addressPolicy);
    const channels = createChannelService(view, { publicUrl: '', timeoutMs: 1 });
    const pages = createStatusPageService(view, monitors);
    const ids = current.ids;
    const todo = (kind: ConfigKind, action: PlannedChange['action']) =>
      new Set(
        plan.changes.filter((change) => change.kind === kind && change.action === action).map((change) => change.key),
      );
    const idOf = (kind: ConfigKind, key: string) => ids[kind].get(key)!;

    // Removed first, dependents before what they depend on: a freed slug or name can be taken again.
    for (const key of todo('statusPage', 'delete')) await pages.remove(idOf('statusPage', key));
    for (const key of todo('maintenance', 'delete')) await removeMaintenance(view, idOf('maintenance', key));
    for (const key of todo('monitor', 'delete')) await monitors.remove(idOf('monitor', key));
    for (const key of todo('channel', 'delete')) await channels.remove(idOf('channel', key));

    for (const { key, record } of desired.channels) {
      if (todo('channel', 'create').has(key)) {
        const channel = await channels.create(record);
        await setConfigKey(tx, 'channel', channel.id, key);
        ids.channel.set(key, channel.id);
      } else if (todo('channel', 'update').has(key)) await channels.patch(idOf('channel', key), record);
    }
    for (const { key, settings, channels: channelKeys } of desired.monitors) {
      if (todo('monitor', 'create').has(key)) {
        const monitor = await monitors.create(settings);
        await setConfigKey(tx, 'monitor', monitor.id, key);
        ids.monitor.set(key, monitor.id);
      } else if (todo('monitor', 'update').has(key)) await monitors.replace(idOf('monitor', key), settings);
      else continue;
      await channels.setChannelsOfMonitor(
        idOf('monitor', key),
        channelKeys.map((channel) => idOf('channel', channel)),
      );
    }
    // Dependencies once every monitor of the file exists (a parent may come after its child in the file).
    for (const { key, dependsOn } of desired.monitors) {
      const changed = todo('monitor', 'create').has(key) || todo('monitor', 'update').has(key);
      if (changed && dependsOn !== null) {
        await monitors.patch(idOf('monitor', key), { dependsOn: idOf('monitor', dependsOn) });
      }
    }
    for (const { key, monitors: covered, window } of desired.maintenance) {
      const input = { ...window, monitorIds: covered.map((monitor) => idOf('monitor', monitor)) };
      if (todo('maintenance', 'create').has(key)) {
        const created = await createMaintenance(view, input);
        await setConfigKey(tx, 'maintenance', created.id, key);
      } else if (todo('maintenance', 'update').has(key))
        await replaceMaintenance(view, idOf('maintenance', key), input);
    }
    for (const { key, sections, ...fields } of desired.statusPages) {
      const input = {
        ...fields,
        sections: sections.map((section) => ({
          name: section.name,
          monitorIds: section.monitors.map((monitor) => idOf('monitor', monitor)),
        })),
      };
      if (todo('statusPage', 'create').has(key)) {
        const page = await pages.create(input);
        await setConfigKey(tx, 'statusPage', page.id, key);
      } else if (todo('statusPage', 'update').has(key)) await pages.update(idOf('statusPage', key), input);
    }
    return plan;
  });
}

const LABELS: Record<ConfigKind, string> = {
  monitor: 'monitor',
  channel: 'channel',
  maintenance: 'maintenance window',
  statusPage: 'status page',
};

/** The plan as a person reads it: + create, ~ update (the fields), - delete. */
export function formatPlan(plan: Plan): string {
  const sign = { create: '+', update: '~', delete: '-' } as const;
  const lines = plan.changes.map(
    (change) =>
      `${sign[change.action]} ${LABELS[change.kind]} ${change.key}${change.fields.length ? ` (${change.fields.join(', ')})` : ''}`,
  );
  const count = (action: PlannedChange['action']) => plan.changes.filter((change) => change.action === action).length;
  lines.push(
    `${count('create')} to create, ${count('update')} to update, ${count('delete')} to delete, ${plan.unchanged} unchanged`,
  );
  return lines.join('\n');
}
