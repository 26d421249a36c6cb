// MonitorStats: availability, latency, incidents and a chart series over a window or any from/to. Each group
// of fields has its own batch loader, so a list asking only for availability reads only the check counts.
import {
  checkResolution,
  defaultResolutionSeconds,
  HISTOGRAM_RELATIVE_ERROR,
  type Incident,
  type SeriesPoint,
  type StatsRange,
} from '../stats/index.ts';
import { builder, type VigieArgBuilder } from './builder.ts';
import { seriesCost } from './complexity.ts';
import { parseNumericId } from './ids.ts';
import { MonitorRef } from './monitor.ts';
import type { GraphQLContext } from './types.ts';

interface StatsOf {
  monitorId: number;
  range: StatsRange;
}

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

const checkStats = ({ monitorId, range }: StatsOf, context: GraphQLContext) =>
  context.loaders.checkStats(range).load(monitorId);
const percentiles = ({ monitorId, range }: StatsOf, context: GraphQLContext) =>
  context.loaders.percentiles(range).load(monitorId);
const incidents = ({ monitorId, range }: StatsOf, context: GraphQLContext) =>
  context.loaders.incidents(range).load(monitorId);

const LatencyStatsRef = builder.objectRef<StatsOf>('LatencyStats').implement({
  description: 'Latency of the successful checks, in milliseconds (null without any).',
  fields: (t) => ({
    avg: t.float({
      nullable: true,
      description: 'Mean.',
      resolve: async (of, _, context) => (await checkStats(of, context)).latencyAvg,
    }),
    min: t.float({
      nullable: true,
      description: 'Fastest.',
      resolve: async (of, _, context) => (await checkStats(of, context)).latencyMin,
    }),
    max: t.float({
      nullable: true,
      description: 'Slowest.',
      resolve: async (of, _, context) => (await checkStats(of, context)).latencyMax,
    }),
    p50: t.float({
      nullable: true,
      description: 'Median.',
      resolve: async (of, _, context) => (await percentiles(of, context)).p50,
    }),
    p95: t.float({
      nullable: true,
      description: '95th percentile.',
      resolve: async (of, _, context) => (await percentiles(of, context)).p95,
    }),
    p99: t.float({
      nullable: true,
      description: '99th percentile.',
      resolve: async (of, _, context) => (await percentiles(of, context)).p99,
    }),
    exact: t.boolean({
      description: `True when the percentiles are computed on every result (windows up to 24 hours); false when read from hourly histograms, within ${(HISTOGRAM_RELATIVE_ERROR * 100).toFixed(1)} % of the exact value.`,
      resolve: async (of, _, context) => (await percentiles(of, context)).exact,
    }),
  }),
});

const IncidentRef = builder.objectRef<Incident>('Incident').implement({
  description: 'A period the monitor was DOWN.',
  fields: (t) => ({
    start: t.field({
      type: 'DateTime',
      description: 'When it went DOWN (may be before the window).',
      resolve: (incident) => incident.start,
    }),
    end: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it came back; null if it was still DOWN at the end of the window.',
      resolve: (incident) => incident.end,
    }),
    durationSeconds: t.exposeFloat('durationSeconds', { description: 'Time spent DOWN; paused time does not count.' }),
  }),
});

const StatsPointRef = builder.objectRef<SeriesPoint>('StatsPoint').implement({
  description: 'One bucket of a chart series.',
  fields: (t) => ({
    start: t.field({ type: 'DateTime', description: 'Start of the bucket.', resolve: (point) => point.start }),
    checks: t.exposeInt('checks', { description: 'Number of checks.' }),
    failures: t.exposeInt('failures', { description: 'Number of failed checks.' }),
    availability: t.exposeFloat('availability', { nullable: true, description: 'Percentage of successful checks.' }),
    latencyAvg: t.exposeFloat('latencyAvg', {
      nullable: true,
      description: 'Mean latency of the successful checks, ms.',
    }),
    latencyMin: t.exposeFloat('latencyMin', { nullable: true, description: 'Fastest successful check, ms.' }),
    latencyMax: t.exposeFloat('latencyMax', { nullable: true, description: 'Slowest successful check, ms.' }),
  }),
});

export const MonitorStatsRef = builder.objectRef<StatsOf>('MonitorStats').implement({
  description: 'How a monitor did over a window.',
  fields: (t) => ({
    from: t.field({ type: 'DateTime', description: 'Start of the window.', resolve: (of) => of.range.from }),
    to: t.field({ type: 'DateTime', description: 'End of the window.', resolve: (of) => of.range.to }),
    availability: t.float({
      nullable: true,
      description:
        'Percentage of successful checks (null without any check). Paused time has no checks, so it does not count.',
      resolve: async (of, _, context) => (await checkStats(of, context)).availability,
    }),
    checks: t.int({
      description: 'Number of checks.',
      resolve: async (of, _, context) => (await checkStats(of, context)).checks,
    }),
    failures: t.int({
      description: 'Number of failed checks.',
      resolve: async (of, _, context) => (await checkStats(of, context)).failures,
    }),
    incidents: t.int({
      description: 'Number of DOWN periods overlapping the window.',
      resolve: async (of, _, context) => (await incidents(of, context)).incidents.length,
    }),
    incidentPeriods: t.field({
      type: [IncidentRef],
      description: 'The DOWN periods overlapping the window, oldest first.',
      resolve: async (of, _, context) => (await incidents(of, context)).incidents,
    }),
    downtimeSeconds: t.float({
      description: 'Time spent DOWN inside the window.',
      resolve: async (of, _, context) => (await incidents(of, context)).downtimeSeconds,
    }),
    mttrSeconds: t.float({
      nullable: true,
      description: 'Mean time to recovery: mean duration of the incidents that ended inside the window.',
      resolve: async (of, _, context) => (await incidents(of, context)).mttrSeconds,
    }),
    latency: t.field({ type: LatencyStatsRef, description: 'Latency figures.', resolve: (of) => of }),
    series: t.field({
      type: [StatsPointRef],
      description: 'The window cut into buckets, for charts; buckets without checks are left out.',
      complexity: seriesCost,
      args: {
        resolutionSeconds: t.arg.int({
          description:
            'Bucket size in seconds (default: 100 to 400 points). Whole hours are read from the hourly rollups.',
        }),
      },
      resolve: (of, args, context) => {
        const resolution = args.resolutionSeconds ?? defaultResolutionSeconds(of.range);
        checkResolution(of.range, resolution);
        return context.loaders.series({ range: of.range, resolutionSeconds: resolution }).load(of.monitorId);
      },
    }),
  }),
});

/** window, or from/to: the range arguments of every stats field. */
export function statsRangeArgs(arg: VigieArgBuilder) {
  return {
    window: arg({ type: StatsWindowEnum, description: 'A window ending now (default DAY when from is not given).' }),
    from: arg({ type: 'DateTime', description: 'Start of a custom range (instead of window).' }),
    to: arg({ type: 'DateTime', description: 'End of a custom range (default now).' }),
    location: arg.string({
      description:
        'Only the checks made from this location (read from raw results; incidents stay those of the monitor).',
    }),
  };
}

builder.objectField(MonitorRef, 'stats', (t) =>
  t.field({
    type: MonitorStatsRef,
    description: 'Its statistics over a window (default the last 24 hours) or from/to.',
    args: statsRangeArgs(t.arg),
    resolve: (monitor, args, context) => ({ monitorId: monitor.id, range: context.loaders.statsRange(args) }),
  }),
);

builder.queryField('monitorStats', (t) =>
  t.field({
    authScopes: { viewer: true },
    type: MonitorStatsRef,
    description: 'Statistics of one monitor over a window (default the last 24 hours) or from/to.',
    args: {
      id: t.arg.id({ required: true, description: 'The monitor id.' }),
      ...statsRangeArgs(t.arg),
    },
    resolve: async (_, args, context) => {
      const monitor = await context.monitors.get(parseNumericId(args.id, 'id'));
      return { monitorId: monitor.id, range: context.loaders.statsRange(args) };
    },
  }),
);
