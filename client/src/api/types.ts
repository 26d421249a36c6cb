// The shapes of the GraphQL results the dashboard asks for, under the names its views use: aliases of the types
// `npm run codegen` generates from schema/schema.graphql and the documents (./generated.ts), never written by hand.
import type * as Generated from './generated.ts';

export type MonitorStatus = Generated.MonitorStatus;
export type MonitorKind = Generated.MonitorKind;
export type DnsRecordType = Generated.DnsRecordType;
export type DnsMatch = Generated.DnsMatch;
export type AlertKind = Generated.AlertKind;
export type IncidentStatus = Generated.IncidentStatus;

export const STATUSES: readonly MonitorStatus[] = ['DOWN', 'DEGRADED', 'PENDING', 'MAINTENANCE', 'UP', 'PAUSED'];

/** One monitor as the list asks for it (kept lean: the query cost limit counts every field × 1,000 monitors). */
export type ListMonitor = Generated.ListMonitorFragment;
/** The list's first, fast query: what a row needs to be painted (names and states). */
export type ListMonitorState = Generated.ListMonitorStateFragment;
/** The row's figures: read after the first paint, and in every live tick. */
export type MonitorFigures = Generated.MonitorFiguresFragment;
/** A row with its figures, without its bars (a live tick's monitor). */
export type ListMonitorBase = Generated.ListMonitorBaseFragment;
/** The bars of the list, read after the first paint. */
export type MonitorBar = Generated.MonitorBarFragment;
export type LastResult = NonNullable<MonitorFigures['lastResult']>;

export type CheckResult = Generated.CheckResultFragment;
export type PhaseTimings = NonNullable<CheckResult['timings']>;
/** What the latency chart draws of a result. */
export type ChartPoint = Pick<
  Generated.RangeResultsQuery['monitor']['results']['nodes'][number],
  'checkedAt' | 'latencyMs' | 'isUp'
>;
export type Alert = Generated.AlertFragment;

/** Everything the detail page and the edit form show about one monitor. */
export type MonitorDetail = Generated.MonitorDetailFragment;
export type HttpSettings = MonitorDetail['http'];
export type DnsSettings = NonNullable<MonitorDetail['dns']>;
export type HttpHeader = HttpSettings['headers'][number];

/** The five windows of the monitor page; the 30 days also list their incidents. */
export type MonitorWindowStats = Generated.MonitorWindowStatsFragment;
export type WindowStats = Generated.WindowStatsFragment;
/** A DOWN period; `end` is null while it goes on (or the monitor was paused while down). */
export type IncidentPeriod = MonitorWindowStats['month']['incidentPeriods'][number];
/** One bucket of a chart series (empty buckets are left out by the server). */
export type StatsPoint = Generated.RangeSeriesQuery['monitorStats']['series'][number];

export type HttpSettingsInput = Generated.HttpSettingsInput;
export type MonitorInput = Generated.CreateMonitorInput;

/** A status page as anyone sees it. */
export type PublicStatusPage = Generated.PublicStatusPageFragment;
/** A monitor on the public status page. */
export type PublicMonitor = PublicStatusPage['sections'][number]['monitors'][number];
/** One UTC day of a monitor on the public status page. */
export type DailyPoint = PublicMonitor['days']['series'][number];
/** An incident or announcement an operator posted on a status page. */
export type StatusPageIncident = Generated.StatusPageIncidentFragment;
