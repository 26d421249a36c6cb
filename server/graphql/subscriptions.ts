// Live subscriptions. Each one is a stream of the event hub, which PostgreSQL's NOTIFY feeds.
import type { StatusTransition } from '../alerts/index.ts';
import { AlertRef } from './alert.ts';
import { builder } from './builder.ts';
import { parseNumericId } from './ids.ts';
import { MonitorRef, MonitorStatusEnum } from './monitor.ts';
import { CheckResultRef } from './result.ts';

const StatusChangeRef = builder.objectRef<StatusTransition>('MonitorStatusChange').implement({
  description: 'A monitor changed state.',
  fields: (t) => ({
    id: t.id({ description: 'Unique id of the transition, increasing.', resolve: (change) => change.id }),
    monitorId: t.id({ description: 'The monitor.', resolve: (change) => change.monitorId }),
    monitor: t.field({
      type: MonitorRef,
      nullable: true,
      description: 'The monitor as it is now (null once deleted).',
      resolve: (change, _, context) => context.loaders.monitor.load(change.monitorId),
    }),
    previous: t.field({ type: MonitorStatusEnum, description: 'State before.', resolve: (change) => change.previous }),
    status: t.field({ type: MonitorStatusEnum, description: 'State after.', resolve: (change) => change.status }),
    resultId: t.id({ nullable: true, description: 'The result that caused it, if any.', resolve: (c) => c.resultId }),
    changedAt: t.field({ type: 'DateTime', description: 'When it changed.', resolve: (change) => change.changedAt }),
  }),
});

const monitorFilter = (id: string | null | undefined) => ({
  monitorId: id == null ? null : parseNumericId(id, 'monitorId'),
});

builder.subscriptionField('checkCompleted', (t) =>
  t.field({
    authScopes: { viewer: true },
    type: CheckResultRef,
    description: 'Every new check result, optionally of one monitor.',
    args: { monitorId: t.arg.id({ description: 'Only this monitor’s results.' }) },
    subscribe: (_, args, context) => context.events.results(monitorFilter(args.monitorId)),
    resolve: (result) => result,
  }),
);

builder.subscriptionField('monitorStatusChanged', (t) =>
  t.field({
    authScopes: { viewer: true },
    type: StatusChangeRef,
    description: 'Every change of a monitor’s state (UP, DOWN, DEGRADED, PENDING, PAUSED), optionally of one monitor.',
    args: { monitorId: t.arg.id({ description: 'Only this monitor’s changes.' }) },
    subscribe: (_, args, context) => context.events.transitions(monitorFilter(args.monitorId)),
    resolve: (change) => change,
  }),
);

builder.subscriptionField('alertRaised', (t) =>
  t.field({
    authScopes: { viewer: true },
    type: AlertRef,
    description: 'Every new alert, optionally of one monitor, in order and exactly once.',
    args: { monitorId: t.arg.id({ description: 'Only this monitor’s alerts.' }) },
    subscribe: (_, args, context) => context.events.alerts(monitorFilter(args.monitorId)),
    resolve: (alert) => alert,
  }),
);
