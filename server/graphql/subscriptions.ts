// Live subscriptions. Each one is a stream of the event hub, which PostgreSQL's NOTIFY feeds.
import type { StatusTransition } from '../alerts/index.ts';
import type { MonitorChanges } from '../events/index.ts';
import type { Monitor } from '../monitors/index.ts';
import { AlertRef } from './alert.ts';
import { builder } from './builder.ts';
import { everyMonitorCost } from './complexity.ts';
import { parseNumericId } from './ids.ts';
import type { GraphQLContext } from './types.ts';
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

interface MonitorsChange {
  monitors: Monitor[];
  removedIds: number[];
  at: Date;
}

const MonitorsChangeRef = builder.objectRef<MonitorsChange>('MonitorsChange').implement({
  description: 'The monitors that changed during one tick of `monitorsChanged`, each once, as they are at its end.',
  fields: (t) => ({
    monitors: t.field({
      type: [MonitorRef],
      description: 'The changed monitors, by id: select what the screen shows (status, lastResult, stats...).',
      complexity: everyMonitorCost,
      resolve: (change) => change.monitors,
    }),
    removedIds: t.idList({
      description: 'Monitors among those asked for that were deleted during the tick.',
      resolve: (change) => change.removedIds,
    }),
    at: t.field({ type: 'DateTime', description: 'When the tick ended.', resolve: (change) => change.at }),
  }),
});

/**
 * Each tick's changed ids, read as monitors once for the whole tick, keeping those with the tag if one is given.
 * Not an async generator: its return() would wait for the next tick; this one ends the ticks at once.
 */
function monitorsOfTicks(
  ticks: AsyncIterableIterator<MonitorChanges>,
  context: GraphQLContext,
  tag: string | null,
): AsyncIterableIterator<MonitorsChange> {
  const next = async (): Promise<IteratorResult<MonitorsChange>> => {
    for (;;) {
      const tick = await ticks.next();
      if (tick.done) return { value: undefined, done: true };
      const { ids, at } = tick.value;
      const found = await context.monitors.getMany(ids);
      const byId = new Map(found.filter((monitor): monitor is Monitor => monitor !== null).map((m) => [m.id, m]));
      const monitors = [...byId.values()].filter((monitor) => tag === null || monitor.tags.includes(tag));
      const removedIds = ids.filter((id) => !byId.has(id));
      if (monitors.length > 0 || removedIds.length > 0) return { value: { monitors, removedIds, at }, done: false };
    }
  };
  const iterator: AsyncIterableIterator<MonitorsChange> = {
    next,
    return: async () => {
      await ticks.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

builder.subscriptionField('monitorsChanged', (t) =>
  t.field({
    authScopes: { viewer: true },
    type: MonitorsChangeRef,
    description:
      'For screens that show many monitors (a list, a status page): at most one message per tick ' +
      '(TEMPS_REEL_INTERVALLE_MS, default 500 ms) with each monitor asked for whose status, last result or 24 h ' +
      'figures changed since the previous tick, once, as it is now; nothing when nothing changed. Subscribe ' +
      'before reading the initial list with `monitors`, so that no change falls in between. A tool that wants ' +
      'every single result subscribes to `checkCompleted` instead.',
    args: {
      ids: t.arg.idList({ description: 'Only these monitors (default: all).' }),
      tag: t.arg.string({ description: 'Only monitors with this tag.' }),
    },
    subscribe: async (_, args, context) => {
      const ids = args.ids == null ? null : args.ids.map((id) => parseNumericId(id, 'ids'));
      return monitorsOfTicks(await context.events.monitorChanges({ ids }), context, args.tag || null);
    },
    resolve: (change) => change,
  }),
);
