// The dashboard's GraphQL documents, static so that `npm run codegen` reads them: each is typed with the result
// and variables generated from it and schema/schema.graphql (./generated.ts). Fragments name what several
// documents share; urql's gql merges an interpolated fragment (and the fragments it spreads) into the document.
import { gql } from '@urql/core';
import type * as Generated from './generated.ts';

export const CheckResultFields = gql`
  fragment CheckResult on CheckResult {
    id monitorId isUp latencyMs checkedAt httpStatus cause error target location
    timings { dnsMs connectMs tlsMs firstByteMs totalMs }
  }
`;

const AlertFields = gql`
  fragment Alert on Alert { id monitorId kind cause createdAt acknowledgedAt monitor { name } }
`;

/** The list's first, fast query: what a row needs to be painted (names and states). */
const ListMonitorStateFields = gql`
  fragment ListMonitorState on Monitor { id name kind target status tags group }
`;

/** The row's figures: read after the first paint, and in every live tick. */
const MonitorFiguresFields = gql`
  fragment MonitorFigures on Monitor { id lastResult { isUp latencyMs checkedAt } stats(window: DAY) { availability } }
`;

/** The bars of the list, read after the first paint. */
const MonitorBarFields = gql`
  fragment MonitorBar on Monitor { id results(first: 50) { nodes { isUp } } }
`;

/** A row with its figures, without its bars (a live tick's monitor). */
const ListMonitorBaseFields = gql`
  fragment ListMonitorBase on Monitor { ...ListMonitorState ...MonitorFigures }
  ${ListMonitorStateFields}
  ${MonitorFiguresFields}
`;

/** One monitor as the list asks for it (kept lean: the query cost limit counts every field × 1,000 monitors). */
const ListMonitorFields = gql`
  fragment ListMonitor on Monitor { ...ListMonitorBase ...MonitorBar }
  ${ListMonitorBaseFields}
  ${MonitorBarFields}
`;

/**
 * The maintenance windows as the list's badges need them: one small query for the whole list, instead of
 * Monitor.maintenance on each of its (up to 10,000) monitors.
 */
export const MaintenanceBadgesQuery = gql<Generated.MaintenanceBadgesQuery, Generated.MaintenanceBadgesQueryVariables>`
  query MaintenanceBadges { maintenanceWindows { id name monitorIds tags activeUntil nextOccurrences(count: 1) { startsAt } } }
`;

/** Everything the detail page and the edit form show about one monitor. */
const MonitorDetailFields = gql`
  fragment MonitorDetail on Monitor {
    id name kind target status tags paused intervalSeconds timeoutSeconds retries slowThresholdMs
    createdAt lastCheckedAt badgesEnabled slug graceSeconds pingUrl group dependsOn assertions
    locations certificateAlertDays lastResult { checkedAt certificateDaysLeft certificateExpiresAt }
    maintenance { activeUntil activeWindow next { startsAt endsAt } nextWindow }
    dns { recordType expected match resolver }
    http {
      method expectedStatus keyword keywordIsRegex keywordMustBeAbsent followRedirects ignoreTlsErrors
      headers { name value } body
    }
  }
`;

const WindowStatsFields = gql`
  fragment WindowStats on MonitorStats {
    availability checks failures incidents downtimeSeconds mttrSeconds latency { avg p50 p95 p99 }
  }
`;

/** The monitor page's five windows; the 30 days also list their incidents. */
const MonitorWindowStatsFields = gql`
  fragment MonitorWindowStats on Query {
    hour: monitorStats(id: $id, window: HOUR) { ...WindowStats }
    day: monitorStats(id: $id, window: DAY) { ...WindowStats }
    week: monitorStats(id: $id, window: WEEK) { ...WindowStats }
    month: monitorStats(id: $id, window: MONTH) { ...WindowStats incidentPeriods { start end durationSeconds } }
    year: monitorStats(id: $id, window: YEAR) { ...WindowStats }
  }
  ${WindowStatsFields}
`;

/**
 * The list in three steps: names and states first (about 0.5 s for 10,000 monitors here), then the last result
 * and 24 h availability of each (a second or more: the last results and the day's rollups), then the bars of the
 * last 50 checks (50 results per monitor): the page paints without waiting for the figures.
 */
export const MonitorsQuery = gql<Generated.MonitorsQuery, Generated.MonitorsQueryVariables>`
  query Monitors { monitors { ...ListMonitorState } }
  ${ListMonitorStateFields}
`;

export const MonitorFiguresQuery = gql<Generated.MonitorFiguresQuery, Generated.MonitorFiguresQueryVariables>`
  query MonitorFigures { monitors { ...MonitorFigures } }
  ${MonitorFiguresFields}
`;

export const MonitorBarsQuery = gql<Generated.MonitorBarsQuery, Generated.MonitorBarsQueryVariables>`
  query MonitorBars { monitors { ...MonitorBar } }
  ${MonitorBarFields}
`;

export const MonitorRowQuery = gql<Generated.MonitorRowQuery, Generated.MonitorRowQueryVariables>`
  query MonitorRow($id: ID!) { monitor(id: $id) { ...ListMonitor } }
  ${ListMonitorFields}
`;

export const MonitorDetailQuery = gql<Generated.MonitorDetailQuery, Generated.MonitorDetailQueryVariables>`
  query MonitorDetail($id: ID!) {
    monitor(id: $id) {
      ...MonitorDetail
      alerts(first: 100) { ...Alert }
      results(first: 20) { nodes { ...CheckResult } }
    }
    ...MonitorWindowStats
  }
  ${MonitorDetailFields}
  ${AlertFields}
  ${CheckResultFields}
  ${MonitorWindowStatsFields}
`;

export const StatsQuery = gql<Generated.StatsQuery, Generated.StatsQueryVariables>`
  query Stats($id: ID!) { ...MonitorWindowStats }
  ${MonitorWindowStatsFields}
`;

export const AlertsQuery = gql<Generated.AlertsQuery, Generated.AlertsQueryVariables>`
  query Alerts($acknowledged: Boolean, $first: Int, $before: ID) {
    alerts(acknowledged: $acknowledged, first: $first, before: $before) { ...Alert }
  }
  ${AlertFields}
`;

export const CreateMonitor = gql<Generated.CreateMonitorMutation, Generated.CreateMonitorMutationVariables>`
  mutation CreateMonitor($input: CreateMonitorInput!) { createMonitor(input: $input) { ...MonitorDetail } }
  ${MonitorDetailFields}
`;

export const UpdateMonitor = gql<Generated.UpdateMonitorMutation, Generated.UpdateMonitorMutationVariables>`
  mutation UpdateMonitor($id: ID!, $input: UpdateMonitorInput!) {
    updateMonitor(id: $id, input: $input) { ...MonitorDetail }
  }
  ${MonitorDetailFields}
`;

export const DeleteMonitor = gql<Generated.DeleteMonitorMutation, Generated.DeleteMonitorMutationVariables>`
  mutation DeleteMonitor($id: ID!) { deleteMonitor(id: $id) }
`;

export const PauseMonitor = gql<Generated.PauseMonitorMutation, Generated.PauseMonitorMutationVariables>`
  mutation PauseMonitor($id: ID!) { pauseMonitor(id: $id) { id status paused } }
`;

export const ResumeMonitor = gql<Generated.ResumeMonitorMutation, Generated.ResumeMonitorMutationVariables>`
  mutation ResumeMonitor($id: ID!) { resumeMonitor(id: $id) { id status paused } }
`;

export const CheckNow = gql<Generated.CheckNowMutation, Generated.CheckNowMutationVariables>`
  mutation CheckNow($id: ID!) { checkNow(id: $id) { ...CheckResult } }
  ${CheckResultFields}
`;

export const CheckUrl = gql<Generated.CheckUrlMutation, Generated.CheckUrlMutationVariables>`
  mutation CheckUrl($url: String!) { checkUrl(url: $url) { ...CheckResult } }
  ${CheckResultFields}
`;

export const AcknowledgeAlert = gql<Generated.AcknowledgeAlertMutation, Generated.AcknowledgeAlertMutationVariables>`
  mutation AcknowledgeAlert($id: ID!) { acknowledgeAlert(id: $id) { ...Alert } }
  ${AlertFields}
`;

/** Every result of one monitor: its page's chart and results table. */
export const CheckCompleted = gql<Generated.CheckCompletedSubscription, Generated.CheckCompletedSubscriptionVariables>`
  subscription CheckCompleted($monitorId: ID!) { checkCompleted(monitorId: $monitorId) { ...CheckResult } }
  ${CheckResultFields}
`;

/**
 * The list's live stream: per tick (100 ms by default), the monitors whose state, last result or 24 h figures
 * changed, with what a row shows (the bar grows from lastResult), and the ids of those deleted.
 */
export const MonitorsChanged = gql<
  Generated.MonitorsChangedSubscription,
  Generated.MonitorsChangedSubscriptionVariables
>`
  subscription MonitorsChanged { monitorsChanged { at removedIds monitors { ...ListMonitorBase } } }
  ${ListMonitorBaseFields}
`;

export const AlertRaised = gql<Generated.AlertRaisedSubscription, Generated.AlertRaisedSubscriptionVariables>`
  subscription AlertRaised { alertRaised { ...Alert } }
  ${AlertFields}
`;
