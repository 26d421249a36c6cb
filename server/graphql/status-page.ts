// The public status page's data: readable without logging in, so it shows names, statuses and figures only —
// never targets, settings or results.
import type { Monitor } from '../monitors/index.ts';
import { builder } from './builder.ts';
import { everyMonitorCost } from './complexity.ts';
import { MonitorStatusEnum } from './monitor.ts';
import { MonitorStatsRef, statsRangeArgs } from './stats.ts';

const PublicMonitorRef = builder.objectRef<Monitor>('PublicMonitor').implement({
  description: 'A monitor as the public status page shows it.',
  fields: (t) => ({
    id: t.id({ description: 'Unique id.', resolve: (monitor) => monitor.id }),
    name: t.exposeString('name', { description: 'Display name.' }),
    status: t.field({ type: MonitorStatusEnum, description: 'Current state.', resolve: (monitor) => monitor.status }),
    createdAt: t.field({ type: 'DateTime', description: 'Creation time.', resolve: (monitor) => monitor.createdAt }),
    stats: t.field({
      type: MonitorStatsRef,
      description: 'Its statistics over a window (default the last 24 hours) or from/to.',
      args: statsRangeArgs(t.arg),
      resolve: (monitor, args, context) => ({ monitorId: monitor.id, range: context.loaders.statsRange(args) }),
    }),
  }),
});

builder.queryField('publicStatus', (t) =>
  t.field({
    authScopes: { public: true },
    type: [PublicMonitorRef],
    description: 'Every monitor as the public status page shows it; readable without logging in.',
    complexity: everyMonitorCost,
    resolve: (_, __, context) => context.monitors.list(),
  }),
);
