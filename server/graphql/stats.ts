// MonitorStats: availability and latency over a window.
import type { MonitorStats } from '../stats/index.ts';
import { builder } from './builder.ts';
import { parseNumericId } from './ids.ts';
import { MonitorRef } from './monitor.ts';

export const StatsWindowEnum = builder.enumType('StatsWindow', {
  description: 'A window of time ending now.',
  values: {
    HOUR: { value: 'HOUR', description: 'The last hour.' },
    DAY: { value: 'DAY', description: 'The last 24 hours.' },
    WEEK: { value: 'WEEK', description: 'The last 7 days.' },
    MONTH: { value: 'MONTH', description: 'The last 30 days.' },
    YEAR: { value: 'YEAR', description: 'The last 365 days.' },
  } as const,
});

const LatencyStatsRef = builder.objectRef<MonitorStats['latency']>('LatencyStats').implement({
  description: 'Latency of the successful checks, in milliseconds (null without any).',
  fields: (t) => ({
    avg: t.exposeFloat('avg', { nullable: true, description: 'Mean.' }),
    min: t.exposeFloat('min', { nullable: true, description: 'Fastest.' }),
    max: t.exposeFloat('max', { nullable: true, description: 'Slowest.' }),
    p50: t.exposeFloat('p50', { nullable: true, description: 'Median.' }),
    p95: t.exposeFloat('p95', { nullable: true, description: '95th percentile.' }),
    p99: t.exposeFloat('p99', { nullable: true, description: '99th percentile.' }),
  }),
});

const MonitorStatsRef = builder.objectRef<MonitorStats>('MonitorStats').implement({
  description: 'How a monitor did over a window.',
  fields: (t) => ({
    from: t.field({ type: 'DateTime', description: 'Start of the window.', resolve: (stats) => stats.from }),
    to: t.field({ type: 'DateTime', description: 'End of the window.', resolve: (stats) => stats.to }),
    availability: t.exposeFloat('availability', {
      nullable: true,
      description: 'Percentage of successful checks (null without any check).',
    }),
    checks: t.exposeInt('checks', { description: 'Number of checks.' }),
    failures: t.exposeInt('failures', { description: 'Number of failed checks.' }),
    incidents: t.exposeInt('incidents', { description: 'Times the monitor went DOWN.' }),
    latency: t.field({ type: LatencyStatsRef, description: 'Latency figures.', resolve: (stats) => stats.latency }),
  }),
});

builder.objectField(MonitorRef, 'stats', (t) =>
  t.field({
    type: MonitorStatsRef,
    description: 'Its statistics over a window (default the last 24 hours).',
    args: { window: t.arg({ type: StatsWindowEnum, description: 'The window (default DAY).' }) },
    resolve: (monitor, args, context) => context.loaders.stats(args.window ?? 'DAY').load(monitor.id),
  }),
);

builder.queryField('monitorStats', (t) =>
  t.field({
    type: MonitorStatsRef,
    description: 'Statistics of one monitor over a window.',
    args: {
      id: t.arg.id({ required: true, description: 'The monitor id.' }),
      window: t.arg({ type: StatsWindowEnum, description: 'The window (default DAY).' }),
    },
    resolve: async (_, args, context) => {
      const monitor = await context.monitors.get(parseNumericId(args.id, 'id'));
      return context.loaders.stats(args.window ?? 'DAY').load(monitor.id);
    },
  }),
);
