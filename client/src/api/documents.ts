// The dashboard's GraphQL documents, each typed with its result and variables.
import { gql } from '@urql/core';
import type {
  Alert,
  ChartPoint,
  CheckResult,
  ListMonitor,
  ListMonitorBase,
  ListMonitorState,
  MonitorBar,
  MonitorDetail,
  MonitorFigures,
  MonitorInput,
  MonitorStatus,
  MonitorWindowStats,
  StatsPoint,
  StatsWindow,
} from './types.ts';

const RESULT_FIELDS = `id monitorId isUp latencyMs checkedAt httpStatus cause error target
  timings { dnsMs connectMs tlsMs firstByteMs totalMs }`;
const ALERT_FIELDS = 'id monitorId kind cause createdAt acknowledgedAt monitor { name }';
const STATE_FIELDS = 'id name kind target status tags group';
const FIGURE_FIELDS = 'lastResult { isUp latencyMs checkedAt } stats(window: DAY) { availability }';
const BASE_FIELDS = `${STATE_FIELDS} ${FIGURE_FIELDS}`;
const BAR_FIELDS = 'results(first: 50) { nodes { isUp } }';
const LIST_FIELDS = `${BASE_FIELDS} ${BAR_FIELDS}`;
const DETAIL_FIELDS = `id name kind target status tags paused intervalSeconds timeoutSeconds retries slowThresholdMs
  createdAt lastCheckedAt badgesEnabled slug graceSeconds pingUrl group dependsOn assertions dns { recordType expected match resolver }
  http { method expectedStatus keyword keywordIsRegex keywordMustBeAbsent followRedirects ignoreTlsErrors }`;
const STATS_FIELDS = 'availability checks failures incidents downtimeSeconds mttrSeconds latency { avg p95 }';
/** The monitor page's four windows (MonitorWindowStats); the 30 days also list their incidents. */
const WINDOW_STATS = `hour: monitorStats(id: $id, window: HOUR) { ${STATS_FIELDS} }
  day: monitorStats(id: $id, window: DAY) { ${STATS_FIELDS} }
  week: monitorStats(id: $id, window: WEEK) { ${STATS_FIELDS} }
  month: monitorStats(id: $id, window: MONTH) { ${STATS_FIELDS} incidentPeriods { start end durationSeconds } }`;

/**
 * The list in three steps: names and states first (about 0.5 s for 10,000 monitors here), then the last result
 * and 24 h availability of each (a second or more: the last results and the day's rollups), then the bars of the
 * last 50 checks (50 results per monitor): the page paints without waiting for the figures.
 */
export const MonitorsQuery = gql<{ monitors: ListMonitorState[] }, Record<string, never>>(
  `query Monitors { monitors { ${STATE_FIELDS} } }`,
);

export const MonitorFiguresQuery = gql<{ monitors: MonitorFigures[] }, Record<string, never>>(
  `query MonitorFigures { monitors { id ${FIGURE_FIELDS} } }`,
);

export const MonitorBarsQuery = gql<{ monitors: MonitorBar[] }, Record<string, never>>(
  `query MonitorBars { monitors { id ${BAR_FIELDS} } }`,
);

export const MonitorRowQuery = gql<{ monitor: ListMonitor }, { id: string }>(
  `query MonitorRow($id: ID!) { monitor(id: $id) { ${LIST_FIELDS} } }`,
);

export const MonitorDetailQuery = gql<
  { monitor: MonitorDetail & { alerts: Alert[]; results: { nodes: CheckResult[] } } } & MonitorWindowStats,
  { id: string }
>(`query MonitorDetail($id: ID!) {
  monitor(id: $id) { ${DETAIL_FIELDS} alerts(first: 100) { ${ALERT_FIELDS} } results(first: 20) { nodes { ${RESULT_FIELDS} } } }
  ${WINDOW_STATS}
}`);

export const StatsQuery = gql<MonitorWindowStats, { id: string }>(`query Stats($id: ID!) { ${WINDOW_STATS} }`);

export const ChartQuery = gql<
  { monitor: { results: { nodes: ChartPoint[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } } } },
  { id: string; from: string; after?: string | null }
>(`query Chart($id: ID!, $from: DateTime!, $after: String) {
  monitor(id: $id) { results(from: $from, first: 1000, after: $after) {
    nodes { checkedAt latencyMs isUp } pageInfo { endCursor hasNextPage } } }
}`);

/** The chart of the longer windows: buckets from the hourly rollups instead of every result. */
export const SeriesQuery = gql<
  { monitorStats: { series: StatsPoint[] } },
  { id: string; window: StatsWindow; resolutionSeconds: number }
>(`query Series($id: ID!, $window: StatsWindow!, $resolutionSeconds: Int!) {
  monitorStats(id: $id, window: $window) { series(resolutionSeconds: $resolutionSeconds) { start checks failures latencyAvg latencyMin latencyMax } }
}`);

export const AlertsQuery = gql<
  { alerts: Alert[] },
  { acknowledged?: boolean | null; first?: number; before?: string | null }
>(
  `query Alerts($acknowledged: Boolean, $first: Int, $before: ID) {
    alerts(acknowledged: $acknowledged, first: $first, before: $before) { ${ALERT_FIELDS} } }`,
);

export const CreateMonitor = gql<{ createMonitor: MonitorDetail }, { input: MonitorInput }>(
  `mutation CreateMonitor($input: CreateMonitorInput!) { createMonitor(input: $input) { ${DETAIL_FIELDS} } }`,
);

export const UpdateMonitor = gql<{ updateMonitor: MonitorDetail }, { id: string; input: Partial<MonitorInput> }>(
  `mutation UpdateMonitor($id: ID!, $input: UpdateMonitorInput!) { updateMonitor(id: $id, input: $input) { ${DETAIL_FIELDS} } }`,
);

export const DeleteMonitor = gql<{ deleteMonitor: string }, { id: string }>(
  `mutation DeleteMonitor($id: ID!) { deleteMonitor(id: $id) }`,
);

export const PauseMonitor = gql<
  { pauseMonitor: { id: string; status: MonitorStatus; paused: boolean } },
  { id: string }
>(`mutation PauseMonitor($id: ID!) { pauseMonitor(id: $id) { id status paused } }`);

export const ResumeMonitor = gql<
  { resumeMonitor: { id: string; status: MonitorStatus; paused: boolean } },
  { id: string }
>(`mutation ResumeMonitor($id: ID!) { resumeMonitor(id: $id) { id status paused } }`);

export const CheckNow = gql<{ checkNow: CheckResult }, { id: string }>(
  `mutation CheckNow($id: ID!) { checkNow(id: $id) { ${RESULT_FIELDS} } }`,
);

export const CheckUrl = gql<{ checkUrl: CheckResult }, { url: string }>(
  `mutation CheckUrl($url: String!) { checkUrl(url: $url) { ${RESULT_FIELDS} } }`,
);

export const AcknowledgeAlert = gql<{ acknowledgeAlert: Alert }, { id: string }>(
  `mutation AcknowledgeAlert($id: ID!) { acknowledgeAlert(id: $id) { ${ALERT_FIELDS} } }`,
);

/** Every result of one monitor: its page's chart and results table. */
export const CheckCompleted = gql<{ checkCompleted: CheckResult }, { monitorId: string }>(
  `subscription CheckCompleted($monitorId: ID!) { checkCompleted(monitorId: $monitorId) { ${RESULT_FIELDS} } }`,
);

/**
 * The list's live stream: per tick (100 ms by default), the monitors whose state, last result or 24 h figures
 * changed, with what a row shows (the bar grows from lastResult), and the ids of those deleted.
 */
export const MonitorsChanged = gql<
  { monitorsChanged: { at: string; removedIds: string[]; monitors: ListMonitorBase[] } },
  Record<string, never>
>(`subscription MonitorsChanged { monitorsChanged { at removedIds monitors { ${BASE_FIELDS} } } }`);

export const AlertRaised = gql<{ alertRaised: Alert }, Record<string, never>>(
  `subscription AlertRaised { alertRaised { ${ALERT_FIELDS} } }`,
);
