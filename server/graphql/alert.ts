// Alert: its type, the alerts query and acknowledgeAlert.
import type { Alert } from '../alerts/index.ts';
import { builder } from './builder.ts';
import { pageCost } from './complexity.ts';
import { MAX_BIGINT_ID, pageSize, parseNumericId } from './ids.ts';
import { MonitorRef } from './monitor.ts';

export const AlertKindEnum = builder.enumType('AlertKind', {
  description: 'What happened to the monitor.',
  values: {
    DOWN: { value: 'DOWN', description: 'The monitor went down.' },
    UP: { value: 'UP', description: 'The monitor came back up.' },
    SLOW: { value: 'SLOW', description: 'The monitor became slower than its threshold.' },
    CERTIFICATE: { value: 'CERTIFICATE', description: 'The HTTPS certificate expires soon.' },
    FLAPPING: {
      value: 'FLAPPING',
      description: 'The monitor changes state too often; its changes are not paged one by one.',
    },
    REMINDER: { value: 'REMINDER', description: 'The monitor is still down.' },
    CHECKER_DEGRADED: {
      value: 'CHECKER_DEGRADED',
      description: 'Most monitors failed at once: Vigie’s own network or DNS is probably at fault.',
    },
  } as const,
});

export const AlertRef = builder.objectRef<Alert>('Alert').implement({
  description: 'A state change of a monitor worth telling someone about, written by the database.',
  fields: (t) => ({
    id: t.id({ description: 'Unique id, increasing.', resolve: (alert) => alert.id }),
    monitorId: t.id({
      nullable: true,
      description: 'The monitor concerned; null for notices about Vigie itself.',
      resolve: (alert) => alert.monitorId,
    }),
    monitor: t.field({
      type: MonitorRef,
      nullable: true,
      description: 'The monitor concerned (null once deleted).',
      resolve: (alert, _, context) => (alert.monitorId === null ? null : context.loaders.monitor.load(alert.monitorId)),
    }),
    kind: t.field({ type: AlertKindEnum, description: 'What happened.', resolve: (alert) => alert.kind }),
    cause: t.exposeString('cause', {
      nullable: true,
      description: 'Why, e.g. "HTTP 500" or "back up after 3 min down".',
    }),
    resultId: t.id({ nullable: true, description: 'The result that caused it.', resolve: (alert) => alert.resultId }),
    locations: t.exposeStringList('locations', {
      nullable: true,
      description: 'DOWN: the locations that saw the monitor down (by their latest results); null for other kinds.',
    }),
    createdAt: t.field({ type: 'DateTime', description: 'When it happened.', resolve: (alert) => alert.createdAt }),
    acknowledgedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When someone acknowledged it.',
      resolve: (alert) => alert.acknowledgedAt,
    }),
  }),
});

builder.queryField('alerts', (t) =>
  t.field({
    authScopes: { viewer: true },
    type: [AlertRef],
    description: 'Alerts, newest first.',
    complexity: pageCost(50, 500),
    args: {
      monitorId: t.arg.id({ description: 'Only this monitor’s alerts.' }),
      acknowledged: t.arg.boolean({ description: 'Only acknowledged (true) or unacknowledged (false) alerts.' }),
      first: t.arg.int({ description: 'How many (1 to 500, default 50).' }),
      before: t.arg.id({ description: 'Only alerts with an id below this one (the next page).' }),
    },
    resolve: (_, args, context) =>
      context.alerts.matching({
        monitorIds: args.monitorId == null ? null : [parseNumericId(args.monitorId, 'monitorId')],
        acknowledged: args.acknowledged ?? null,
        beforeId: args.before == null ? null : parseNumericId(args.before, 'before', MAX_BIGINT_ID),
        limit: pageSize(args.first, 50, 500),
      }),
  }),
);

builder.objectField(MonitorRef, 'alerts', (t) =>
  t.field({
    type: [AlertRef],
    description: 'Its latest alerts, newest first.',
    complexity: pageCost(20, 500),
    args: { first: t.arg.int({ description: 'How many (1 to 500, default 20).' }) },
    resolve: (monitor, args, context) => context.loaders.recentAlerts(pageSize(args.first, 20, 500)).load(monitor.id),
  }),
);

builder.mutationField('acknowledgeAlert', (t) =>
  t.field({
    authScopes: { editor: true },
    type: AlertRef,
    description: 'Marks an alert as seen (the first acknowledgement time is kept).',
    args: { id: t.arg.id({ required: true, description: 'The alert id.' }) },
    resolve: (_, args, context) => context.alerts.acknowledge(parseNumericId(args.id, 'id', MAX_BIGINT_ID)),
  }),
);
