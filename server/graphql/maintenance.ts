// Maintenance windows: one-off or recurring times when checks run but nothing is notified; whether one is open
// now, its next occurrences, and a preview of a schedule being written.
import {
  currentOccurrence,
  maintenanceOf,
  type MonitorMaintenance,
  parseMaintenanceInput,
  previewSchedule,
  singleMonitorId,
  upcomingOccurrences,
  type MaintenanceOccurrence,
  type MaintenanceWindow,
  windowTimes,
  type WindowTimes,
} from '../maintenance/index.ts';
import { builder } from './builder.ts';
import { MonitorRef } from './monitor.ts';
import type { GraphQLContext } from './types.ts';
import { parseNumericId } from './ids.ts';
import { withoutNulls } from './inputs.ts';
import './scalars.ts';

const MAX_OCCURRENCES = 50;

const OccurrenceRef = builder.objectRef<MaintenanceOccurrence>('MaintenanceOccurrence').implement({
  description: 'One occurrence of a maintenance window.',
  fields: (t) => ({
    startsAt: t.field({ type: 'DateTime', description: 'Its start.', resolve: (o) => o.startsAt }),
    endsAt: t.field({ type: 'DateTime', description: 'Its end.', resolve: (o) => o.endsAt }),
  }),
});

const occurrenceCount = (count: number | null | undefined) => Math.min(Math.max(count ?? 5, 1), MAX_OCCURRENCES);

const MaintenanceRef = builder.objectRef<MaintenanceWindow>('MaintenanceWindow').implement({
  description: 'A time when checks still run but nothing is notified: one-off (startsAt/endsAt) or recurring (cron).',
  fields: (t) => ({
    id: t.id({ description: 'Unique id.', resolve: (window) => window.id }),
    name: t.exposeString('name', { description: 'Display name.' }),
    monitorId: t.id({
      nullable: true,
      description: 'The monitor when the window covers exactly one by id and no tag; null otherwise.',
      deprecationReason: 'A window may cover several monitors and tags: use monitorIds and tags.',
      resolve: (window) => singleMonitorId(window),
    }),
    monitorIds: t.idList({
      description: 'The monitors it covers by id; with no tags either, it covers every monitor.',
      resolve: (window) => window.monitorIds,
    }),
    tags: t.exposeStringList('tags', { description: 'It covers the monitors carrying any of these tags.' }),
    allMonitors: t.boolean({
      description: 'Whether it covers every monitor (it names neither monitors nor tags).',
      resolve: (window) => window.monitorIds.length === 0 && window.tags.length === 0,
    }),
    startsAt: t.field({ type: 'DateTime', nullable: true, description: 'One-off start.', resolve: (w) => w.startsAt }),
    endsAt: t.field({ type: 'DateTime', nullable: true, description: 'One-off end.', resolve: (w) => w.endsAt }),
    cron: t.exposeString('cron', { nullable: true, description: 'Recurring start times (cron syntax).' }),
    durationMinutes: t.exposeInt('durationMinutes', {
      nullable: true,
      description: 'Length of each recurring window.',
    }),
    timeZone: t.exposeString('timeZone', { description: 'Time zone of the cron expression.' }),
    activeUntil: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'While it is open now: when this occurrence ends; null when it is not open.',
      resolve: (window) => currentOccurrence(window, new Date())?.endsAt ?? null,
    }),
    nextOccurrences: t.field({
      type: [OccurrenceRef],
      description: 'Its next occurrences that start after now (a one-off window: itself, until it starts).',
      args: { count: t.arg.int({ description: 'How many (default 5, at most 50).' }) },
      complexity: (args) => ({ field: 1, multiplier: occurrenceCount(args.count) }),
      resolve: (window, args) => upcomingOccurrences(window, new Date(), occurrenceCount(args.count)),
    }),
  }),
});

const MonitorMaintenanceRef = builder.objectRef<MonitorMaintenance>('MonitorMaintenance').implement({
  description:
    'Where a monitor stands with its maintenance windows: those naming it or one of its tags, and those for all monitors.',
  fields: (t) => ({
    activeUntil: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'In maintenance now: when the window open now ends (the latest, when several are); null otherwise.',
      resolve: (maintenance) => maintenance.current?.endsAt ?? null,
    }),
    activeWindow: t.string({
      nullable: true,
      description: 'The name of the window open now; null when none is.',
      resolve: (maintenance) => maintenance.current?.window.name ?? null,
    }),
    next: t.field({
      type: OccurrenceRef,
      nullable: true,
      description: 'The next occurrence to start, of any of its windows; null when none will.',
      resolve: (maintenance) => maintenance.next,
    }),
    nextWindow: t.string({
      nullable: true,
      description: 'The name of the window of that next occurrence.',
      resolve: (maintenance) => maintenance.next?.window.name ?? null,
    }),
  }),
});

/** How long the windows read for one request (or one live tick) are used: every monitor of a list shares them. */
const WINDOWS_READ_FOR_MS = 1_000;
const windowsRead = new WeakMap<GraphQLContext, { at: number; times: Promise<WindowTimes[]> }>();

function windowTimesFor(context: GraphQLContext): Promise<WindowTimes[]> {
  const now = Date.now();
  let read = windowsRead.get(context);
  if (!read || now - read.at > WINDOWS_READ_FOR_MS) {
    read = { at: now, times: context.maintenance.list().then((windows) => windowTimes(windows, new Date(now))) };
    windowsRead.set(context, read);
  }
  return read.times;
}

builder.objectField(MonitorRef, 'maintenance', (t) =>
  t.field({
    type: MonitorMaintenanceRef,
    description: 'In maintenance now (until when), and its next maintenance window.',
    resolve: async (monitor, _, context) => maintenanceOf(await windowTimesFor(context), monitor),
  }),
);

const monitorIdsOf = (ids: ReadonlyArray<string | number>) =>
  ids.map((id, index) => parseNumericId(id, `monitorIds.${index}`));

const MaintenanceInput = builder.inputType('MaintenanceWindowInput', {
  description: 'A maintenance window: startsAt and endsAt, or cron and durationMinutes.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'Display name.' }),
    monitorId: t.id({ description: 'Shortcut for monitorIds: [monitorId] (deprecated: use monitorIds).' }),
    monitorIds: t.idList({
      description: 'The monitors it covers; with no tags either (or neither given), every monitor.',
    }),
    tags: t.stringList({ description: 'It covers the monitors carrying any of these tags.' }),
    startsAt: t.field({ type: 'DateTime', description: 'One-off start.' }),
    endsAt: t.field({ type: 'DateTime', description: 'One-off end.' }),
    cron: t.string({ description: 'Recurring start times, e.g. "0 3 * * 0" (Sundays at 03:00).' }),
    durationMinutes: t.int({ description: 'Length of each recurring window.' }),
    timeZone: t.string({ description: 'Time zone of the cron expression (default UTC).' }),
  }),
});

const MaintenanceChanges = builder.inputType('UpdateMaintenanceWindowInput', {
  description: 'The fields of a maintenance window to change; null clears an optional one.',
  fields: (t) => ({
    name: t.string({ description: 'Display name.' }),
    monitorId: t.id({
      description:
        'Deprecated shortcut: the window then covers this monitor only (monitorIds: [monitorId], tags: []), or ' +
        'every monitor when null.',
    }),
    monitorIds: t.idList({ description: 'The monitors it covers by id; [] or null for none.' }),
    tags: t.stringList({ description: 'The tags whose monitors it covers; [] or null for none.' }),
    startsAt: t.field({ type: 'DateTime', description: 'One-off start.' }),
    endsAt: t.field({ type: 'DateTime', description: 'One-off end.' }),
    cron: t.string({ description: 'Recurring start times, e.g. "0 3 * * 0" (Sundays at 03:00).' }),
    durationMinutes: t.int({ description: 'Length of each recurring window.' }),
    timeZone: t.string({ description: 'Time zone of the cron expression.' }),
  }),
});

builder.queryField('maintenanceWindows', (t) =>
  t.field({
    authScopes: { viewer: true },
    type: [MaintenanceRef],
    description: 'Every maintenance window.',
    resolve: (_, __, context) => context.maintenance.list(),
  }),
);

builder.queryField('maintenanceSchedule', (t) =>
  t.field({
    authScopes: { viewer: true },
    type: [OccurrenceRef],
    description:
      'The next occurrences of a recurring schedule, checked as createMaintenanceWindow would (a form shows them as one types).',
    args: {
      cron: t.arg.string({ required: true, description: 'Start times, e.g. "0 3 * * 0".' }),
      durationMinutes: t.arg.int({ required: true, description: 'Length of each occurrence.' }),
      timeZone: t.arg.string({ description: 'Time zone of the cron expression (default UTC).' }),
      count: t.arg.int({ description: 'How many (default 5, at most 50).' }),
    },
    complexity: (args) => ({ field: 1, multiplier: occurrenceCount(args.count) }),
    resolve: (_, args) => previewSchedule(withoutNulls(args)),
  }),
);

builder.mutationFields((t) => ({
  createMaintenanceWindow: t.field({
    authScopes: { editor: true },
    type: MaintenanceRef,
    description: 'Creates a maintenance window.',
    args: { input: t.arg({ type: MaintenanceInput, required: true, description: 'The window.' }) },
    resolve: (_, args, context) => {
      const { monitorId, monitorIds, ...input } = withoutNulls(args.input);
      return context.maintenance.create(
        parseMaintenanceInput({
          ...input,
          ...(monitorId === undefined ? {} : { monitorId: parseNumericId(monitorId, 'monitorId') }),
          ...(monitorIds === undefined ? {} : { monitorIds: monitorIdsOf(monitorIds) }),
        }),
      );
    },
  }),
  updateMaintenanceWindow: t.field({
    authScopes: { editor: true },
    type: MaintenanceRef,
    description:
      'Changes a maintenance window: the given fields replace its own (null clears one), and the window is checked ' +
      'whole as createMaintenanceWindow checks a new one; nothing changes when it is refused.',
    args: {
      id: t.arg.id({ required: true, description: 'Its id.' }),
      input: t.arg({ type: MaintenanceChanges, required: true, description: 'The fields to change.' }),
    },
    resolve: (_, args, context) => {
      const { monitorId, monitorIds, tags, ...changes } = args.input;
      return context.maintenance.change(parseNumericId(args.id, 'id'), {
        ...changes,
        ...(monitorId === undefined
          ? {}
          : { monitorId: monitorId === null ? null : parseNumericId(monitorId, 'monitorId') }),
        ...(monitorIds === undefined ? {} : { monitorIds: monitorIds === null ? [] : monitorIdsOf(monitorIds) }),
        ...(tags === undefined ? {} : { tags: tags ?? [] }),
      });
    },
  }),
  deleteMaintenanceWindow: t.field({
    authScopes: { editor: true },
    type: 'ID',
    description: 'Deletes a maintenance window; returns its id.',
    args: { id: t.arg.id({ required: true, description: 'Its id.' }) },
    resolve: async (_, args, context) => {
      const id = parseNumericId(args.id, 'id');
      await context.maintenance.remove(id);
      return id;
    },
  }),
}));
