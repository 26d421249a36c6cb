// Hand-written TypeScript shapes of the GraphQL results the dashboard asks for (see schema/schema.graphql).
export type MonitorStatus = 'UP' | 'DOWN' | 'DEGRADED' | 'PENDING' | 'PAUSED' | 'MAINTENANCE';
export type MonitorKind = 'HTTP' | 'TCP' | 'ICMP' | 'PUSH' | 'DNS';
export type DnsRecordType = 'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT' | 'NS' | 'SOA' | 'CAA';
export type DnsMatch = 'EXACT' | 'CONTAINS' | 'REGEX';

export interface DnsSettings {
  recordType: DnsRecordType;
  expected: string[];
  match: DnsMatch;
  resolver: string | null;
}
export type AlertKind = 'DOWN' | 'UP' | 'SLOW' | 'CERTIFICATE' | 'FLAPPING' | 'REMINDER' | 'CHECKER_DEGRADED';
export type StatsWindow = 'HOUR' | 'DAY' | 'WEEK' | 'MONTH' | 'YEAR';

export const STATUSES: readonly MonitorStatus[] = ['DOWN', 'DEGRADED', 'PENDING', 'MAINTENANCE', 'UP', 'PAUSED'];

export interface LastResult {
  isUp: boolean;
  latencyMs: number;
  checkedAt: string;
}

/** One monitor as the list asks for it (kept lean: the query cost limit counts every field × 1,000 monitors). */
export interface ListMonitor extends ListMonitorBase, Pick<MonitorBar, 'results'> {}

/** The list's first, fast query: what a row needs to be painted (names and states). */
export interface ListMonitorState {
  id: string;
  name: string;
  kind: MonitorKind;
  target: string;
  status: MonitorStatus;
  tags: string[];
  /** The group it is listed under (collapsed in the list); null or absent: none. */
  group?: string | null;
}

/** The row's figures: read after the first paint, and in every live tick. */
export interface MonitorFigures {
  id: string;
  lastResult: LastResult | null;
  stats: { availability: number | null };
}

/** A row with its figures, without its bars (a live tick's monitor). */
export interface ListMonitorBase extends ListMonitorState, MonitorFigures {}

/** The bars of the list, read after the first paint. */
export interface MonitorBar {
  id: string;
  results: { nodes: Array<{ isUp: boolean }> };
}

export interface PhaseTimings {
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  firstByteMs: number | null;
  totalMs: number;
}

export interface CheckResult {
  id: string;
  monitorId: string | null;
  isUp: boolean;
  latencyMs: number;
  checkedAt: string;
  httpStatus: number | null;
  cause: string | null;
  error: string | null;
  target: string;
  timings: PhaseTimings | null;
}

export interface ChartPoint {
  checkedAt: string;
  latencyMs: number;
  isUp: boolean;
}

export interface Alert {
  id: string;
  monitorId: string | null;
  kind: AlertKind;
  cause: string | null;
  createdAt: string;
  acknowledgedAt: string | null;
  monitor: { name: string } | null;
}

export interface HttpSettings {
  method: string;
  expectedStatus: string;
  keyword: string | null;
  keywordIsRegex: boolean;
  keywordMustBeAbsent: boolean;
  followRedirects: boolean;
  ignoreTlsErrors: boolean;
}

/** Everything the detail page and the edit form show about one monitor. */
export interface MonitorDetail {
  id: string;
  name: string;
  kind: MonitorKind;
  target: string;
  status: MonitorStatus;
  tags: string[];
  paused: boolean;
  intervalSeconds: number;
  timeoutSeconds: number;
  retries: number;
  slowThresholdMs: number;
  createdAt: string;
  lastCheckedAt: string | null;
  http: HttpSettings;
  /** Its badges (/badge/<id or slug>/...) are served to anyone. */
  badgesEnabled: boolean;
  /** Another name for its badges' address. */
  slug: string | null;
  /** Heartbeats: seconds a ping may come late. */
  graceSeconds: number;
  /** Heartbeats: the URL its job calls; null for other kinds and for viewers. */
  pingUrl: string | null;
  dns: DnsSettings | null;
  group: string | null;
  /** The id of the monitor it depends on (its alerts wait while that one is DOWN). */
  dependsOn: string | null;
  /** HTTP: conditions on each response. */
  assertions: string[];
}

export interface WindowStats {
  availability: number | null;
  checks: number;
  failures: number;
  incidents: number;
  /** Time spent DOWN inside the window. */
  downtimeSeconds: number;
  /** Mean duration of the incidents that ended inside the window; null without any. */
  mttrSeconds: number | null;
  latency: { avg: number | null; p95: number | null };
}

/** A DOWN period; `end` is null while it goes on (or the monitor was paused while down). */
export interface IncidentPeriod {
  start: string;
  end: string | null;
  /** Time spent DOWN, paused time excluded. */
  durationSeconds: number;
}

/** The four windows of the monitor page; the 30 days also list their incidents. */
export interface MonitorWindowStats {
  hour: WindowStats;
  day: WindowStats;
  week: WindowStats;
  month: WindowStats & { incidentPeriods: IncidentPeriod[] };
}

/** One bucket of a chart series (empty buckets are left out by the server). */
export interface StatsPoint {
  start: string;
  checks: number;
  failures: number;
  /** Latency of the bucket's successful checks, ms; null when none succeeded. */
  latencyAvg: number | null;
  latencyMin: number | null;
  latencyMax: number | null;
}

export interface StatusChange {
  id: string;
  monitorId: string;
  status: MonitorStatus;
  previous: MonitorStatus;
  changedAt: string;
}

export interface HttpSettingsInput {
  method?: string;
  expectedStatus?: string;
  keyword?: string | null;
  keywordIsRegex?: boolean;
  keywordMustBeAbsent?: boolean;
  followRedirects?: boolean;
  ignoreTlsErrors?: boolean;
}

export interface MonitorInput {
  name: string;
  kind: MonitorKind;
  /** Not for heartbeats. */
  target?: string;
  graceSeconds?: number;
  dns?: Partial<DnsSettings>;
  intervalSeconds?: number;
  timeoutSeconds?: number;
  retries?: number;
  slowThresholdMs?: number;
  tags?: string[];
  http?: HttpSettingsInput;
  badgesEnabled?: boolean;
  slug?: string | null;
  group?: string | null;
  dependsOn?: string | null;
}

/** One UTC day of a monitor on the public status page. */
export interface DailyPoint {
  start: string;
  checks: number;
  availability: number | null;
}

/** A monitor on the public status page. */
export interface PublicMonitor {
  id: string;
  name: string;
  status: MonitorStatus;
  month: { availability: number | null };
  /** The days of the last 90 that had checks, oldest first. */
  days: { series: DailyPoint[] };
}

export type IncidentStatus = 'INVESTIGATING' | 'IDENTIFIED' | 'MONITORING' | 'RESOLVED';

/** An incident or announcement an operator posted on a status page. */
export interface StatusPageIncident {
  id: string;
  title: string;
  status: IncidentStatus;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  /** Oldest first. */
  messages: Array<{ id: string; status: IncidentStatus; message: string; createdAt: string }>;
}

/** A status page as anyone sees it. */
export interface PublicStatusPage {
  slug: string;
  title: string;
  description: string;
  logoUrl: string | null;
  sections: Array<{ name: string; monitors: PublicMonitor[] }>;
  /** Open ones and those resolved within the last week, newest first. */
  incidents: StatusPageIncident[];
}
