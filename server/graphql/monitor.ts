// Monitor: its type, queries and mutations.
import { roleAtLeast } from '../auth/index.ts';
import { DNS_RECORD_TYPES, maskUrlSecrets, type DnsCheckSettings, type HttpCheckSettings } from '../checks/index.ts';
import {
  formatStatusRanges,
  type HeartbeatSchedule,
  pingUrlOf,
  redactHeaders,
  SECRET_PLACEHOLDER,
  type Monitor,
} from '../monitors/index.ts';
import { builder } from './builder.ts';
import { everyMonitorCost } from './complexity.ts';
import { parseNumericId } from './ids.ts';
import { CheckResultRef, loadResultConnection, ResultConnectionRef, resultPageArgs, resultPageCost } from './result.ts';

export const MonitorKindEnum = builder.enumType('MonitorKind', {
  description: 'What a monitor checks.',
  values: {
    HTTP: { value: 'http', description: 'An http:// or https:// URL.' },
    TCP: { value: 'tcp', description: 'A TCP port (host:port) accepting connections.' },
    ICMP: { value: 'icmp', description: 'A host answering ping.' },
    PUSH: {
      value: 'push',
      description: 'A heartbeat: the job calls its ping URL, and is DOWN when it misses its interval plus grace.',
    },
    DNS: { value: 'dns', description: 'A DNS name whose records of one type are asked for and compared.' },
  } as const,
});

export const MonitorStatusEnum = builder.enumType('MonitorStatus', {
  description: 'The current state of a monitor.',
  values: {
    UP: { value: 'UP', description: 'The last checks succeeded.' },
    DOWN: { value: 'DOWN', description: 'As many consecutive checks as `retries` failed.' },
    DEGRADED: { value: 'DEGRADED', description: 'Up, but slower than its slow threshold.' },
    PENDING: { value: 'PENDING', description: 'Not checked yet.' },
    PAUSED: { value: 'PAUSED', description: 'Paused: not checked.' },
    MAINTENANCE: { value: 'MAINTENANCE', description: 'In a maintenance window: checked, but nothing is notified.' },
  } as const,
});

const HeaderRef = builder.objectRef<{ name: string; value: string }>('HttpHeader').implement({
  description: 'A request header sent by HTTP checks.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Header name.' }),
    value: t.exposeString('value', { description: 'Header value.' }),
  }),
});

const HttpSettingsRef = builder.objectRef<HttpCheckSettings>('HttpSettings').implement({
  description: 'How an HTTP monitor checks its URL.',
  fields: (t) => ({
    method: t.exposeString('method', { description: 'Request method.' }),
    headers: t.field({
      type: [HeaderRef],
      description: `Request headers; values of credential headers (Authorization, cookies, tokens, keys) read as "${SECRET_PLACEHOLDER}", and sending that back keeps them.`,
      resolve: (settings) => Object.entries(redactHeaders(settings.headers)).map(([name, value]) => ({ name, value })),
    }),
    body: t.exposeString('body', { nullable: true, description: 'Request body.' }),
    expectedStatus: t.string({
      description: 'Accepted status codes, e.g. "200-399" or "200,204".',
      resolve: (settings) => formatStatusRanges(settings.expectedStatus),
    }),
    followRedirects: t.exposeBoolean('followRedirects', { description: 'Follow up to 10 redirects.' }),
    keyword: t.exposeString('keyword', {
      nullable: true,
      description: 'Text or regular expression looked for in the body.',
    }),
    keywordIsRegex: t.exposeBoolean('keywordIsRegex', { description: 'The keyword is a regular expression.' }),
    keywordMustBeAbsent: t.exposeBoolean('keywordMustBeAbsent', { description: 'Fail when the keyword IS found.' }),
    ignoreTlsErrors: t.exposeBoolean('ignoreTlsErrors', { description: 'Accept invalid or self-signed certificates.' }),
  }),
});

export const DnsRecordTypeEnum = builder.enumType('DnsRecordType', {
  description: 'The DNS record type a DNS monitor asks for.',
  values: Object.fromEntries(
    DNS_RECORD_TYPES.map((type) => [type, { value: type, description: `${type} records.` }]),
  ) as Record<(typeof DNS_RECORD_TYPES)[number], { value: (typeof DNS_RECORD_TYPES)[number]; description: string }>,
});

export const DnsMatchEnum = builder.enumType('DnsMatch', {
  description: 'How the answers of a DNS monitor are compared with the expected values.',
  values: {
    EXACT: { value: 'exact', description: 'The answers are exactly the expected set (in any order).' },
    CONTAINS: { value: 'contains', description: 'Each expected value is among the answers.' },
    REGEX: { value: 'regex', description: 'One answer at least matches the single expected regular expression (RE2).' },
  } as const,
});

const DnsSettingsRef = builder.objectRef<DnsCheckSettings>('DnsSettings').implement({
  description: 'What a DNS monitor asks for and expects (its target is the name).',
  fields: (t) => ({
    recordType: t.field({ type: DnsRecordTypeEnum, description: 'Record type.', resolve: (dns) => dns.recordType }),
    expected: t.exposeStringList('expected', { description: 'Expected values; empty: any answer.' }),
    match: t.field({ type: DnsMatchEnum, description: 'How answers are compared.', resolve: (dns) => dns.match }),
    resolver: t.exposeString('resolver', {
      nullable: true,
      description: 'The server asked (IP[:port]); null: the system resolvers.',
    }),
  }),
});

const HeartbeatScheduleRef = builder.objectRef<HeartbeatSchedule>('HeartbeatSchedule').implement({
  description: 'When a heartbeat is expected: at each run of a cron schedule, in a time zone.',
  fields: (t) => ({
    cron: t.exposeString('cron', { description: 'Cron expression (5 fields, or 6 with seconds first).' }),
    timeZone: t.exposeString('timeZone', { description: 'IANA time zone of the cron expression.' }),
  }),
});

export const MonitorRef = builder.objectRef<Monitor>('Monitor');

MonitorRef.implement({
  description: 'Something Vigie checks on an interval.',
  fields: (t) => ({
    id: t.id({ description: 'Unique id.', resolve: (monitor) => monitor.id }),
    name: t.exposeString('name', { description: 'Display name.' }),
    kind: t.field({ type: MonitorKindEnum, description: 'What is checked.', resolve: (monitor) => monitor.kind }),
    target: t.string({
      description:
        'URL (HTTP), host:port (TCP) or host (ICMP); credentials in a URL show as "********" (sent back, they keep their value).',
      resolve: (monitor) => maskUrlSecrets(monitor.target),
    }),
    intervalSeconds: t.exposeInt('intervalSeconds', { description: 'Seconds between checks.' }),
    timeoutSeconds: t.exposeFloat('timeoutSeconds', { description: 'Seconds a check may take.' }),
    retries: t.exposeInt('retries', { description: 'Consecutive failures before the monitor is DOWN.' }),
    slowThresholdMs: t.exposeInt('slowThresholdMs', { description: 'Latency above which an UP monitor is DEGRADED.' }),
    paused: t.exposeBoolean('paused', { description: 'Paused monitors are not checked.' }),
    tags: t.exposeStringList('tags', { description: 'Free-form labels.' }),
    reminderMinutes: t.exposeInt('reminderMinutes', {
      nullable: true,
      description: 'While DOWN, notify again every this many minutes (null: no reminders).',
    }),
    certificateAlertDays: t.exposeInt('certificateAlertDays', {
      description: 'Alert when the HTTPS certificate expires in fewer days (0: never).',
    }),
    badgesEnabled: t.exposeBoolean('badgesEnabled', {
      description: 'Its badges (/badge/<id or slug>/status.svg, uptime.svg, latency.svg) are served to anyone.',
    }),
    slug: t.exposeString('slug', { nullable: true, description: 'Another name for its badges; null: none.' }),
    locations: t.exposeStringList('locations', {
      nullable: true,
      description: 'The locations (LOCATION of the instances) that check it; null: every location.',
    }),
    quorum: t.exposeInt('quorum', {
      description: 'How many of its locations must see it down (each by its latest result) for it to be DOWN.',
    }),
    http: t.field({
      type: HttpSettingsRef,
      description: 'HTTP settings (defaults for other kinds).',
      resolve: (m) => m.http,
    }),
    graceSeconds: t.exposeInt('graceSeconds', {
      description: 'Heartbeats: seconds past the expected time a ping may still arrive.',
    }),
    schedule: t.field({
      type: HeartbeatScheduleRef,
      nullable: true,
      description:
        'Heartbeats: expected at each run of this schedule (plus the grace) instead of every interval; null: by interval.',
      resolve: (monitor) => monitor.schedule,
    }),
    dns: t.field({
      type: DnsSettingsRef,
      nullable: true,
      description: 'DNS monitors: what is asked and expected; null for other kinds.',
      resolve: (monitor) => monitor.dns,
    }),
    pingUrl: t.string({
      nullable: true,
      description:
        'Heartbeats: the URL the job calls (add /start or /fail). A secret: null for viewers, and for other kinds.',
      resolve: (monitor, _, context) =>
        monitor.pingToken && context.principal && roleAtLeast(context.principal.role, 'editor')
          ? pingUrlOf(context.publicUrl, monitor.pingToken)
          : null,
    }),
    assertions: t.exposeStringList('assertions', {
      description: 'HTTP: conditions on each response, all evaluated; each failure is named in the result.',
    }),
    group: t.exposeString('group', { nullable: true, description: 'The group it is listed under; null: none.' }),
    dependsOn: t.id({
      nullable: true,
      description:
        'The id of the monitor it depends on: while that one is DOWN, its own alerts are recorded but not notified.',
      resolve: (monitor) => monitor.dependsOn,
    }),
    status: t.field({ type: MonitorStatusEnum, description: 'Current state.', resolve: (monitor) => monitor.status }),
    lastCheckedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the latest result was taken.',
      resolve: (monitor) => monitor.lastCheckedAt,
    }),
    lastResult: t.field({
      type: CheckResultRef,
      nullable: true,
      description: 'The latest result.',
      resolve: (monitor, _, context) => context.loaders.lastResult.load(monitor.id),
    }),
    results: t.field({
      type: ResultConnectionRef,
      description: 'Its results, newest first.',
      args: resultPageArgs(t),
      complexity: resultPageCost,
      resolve: (monitor, args, context) => loadResultConnection(context, monitor.id, args),
    }),
    createdAt: t.field({ type: 'DateTime', description: 'Creation time.', resolve: (monitor) => monitor.createdAt }),
    updatedAt: t.field({ type: 'DateTime', description: 'Last change of its settings.', resolve: (m) => m.updatedAt }),
  }),
});

builder.queryField('monitors', (t) =>
  t.field({
    authScopes: { viewer: true },
    type: [MonitorRef],
    description: 'Every monitor, by id.',
    complexity: everyMonitorCost,
    args: {
      status: t.arg({ type: MonitorStatusEnum, description: 'Only monitors in this state.' }),
      tag: t.arg.string({ description: 'Only monitors with this tag.' }),
    },
    resolve: (_, args, context) => context.monitors.list({ status: args.status || null, tag: args.tag || null }),
  }),
);

builder.queryField('monitor', (t) =>
  t.field({
    authScopes: { viewer: true },
    type: MonitorRef,
    description: 'One monitor.',
    args: { id: t.arg.id({ required: true, description: 'Its id.' }) },
    resolve: (_, args, context) => context.monitors.get(parseNumericId(args.id, 'id')),
  }),
);

builder.mutationField('deleteMonitor', (t) =>
  t.field({
    authScopes: { editor: true },
    type: 'ID',
    description: 'Deletes a monitor with its results and alerts; returns its id.',
    args: { id: t.arg.id({ required: true, description: 'Its id.' }) },
    resolve: async (_, args, context) => {
      const id = parseNumericId(args.id, 'id');
      await context.monitors.remove(id);
      return id;
    },
  }),
);

builder.mutationField('pauseMonitor', (t) =>
  t.field({
    authScopes: { editor: true },
    type: MonitorRef,
    description: 'Stops checking a monitor.',
    args: { id: t.arg.id({ required: true, description: 'Its id.' }) },
    resolve: (_, args, context) => context.monitors.setPaused(parseNumericId(args.id, 'id'), true),
  }),
);

builder.mutationField('resumeMonitor', (t) =>
  t.field({
    authScopes: { editor: true },
    type: MonitorRef,
    description: 'Checks a paused monitor again.',
    args: { id: t.arg.id({ required: true, description: 'Its id.' }) },
    resolve: (_, args, context) => context.monitors.setPaused(parseNumericId(args.id, 'id'), false),
  }),
);

builder.mutationField('regeneratePingToken', (t) =>
  t.field({
    authScopes: { editor: true },
    type: MonitorRef,
    description: 'Gives a heartbeat monitor a new ping URL; the old one stops working at once.',
    args: { id: t.arg.id({ required: true, description: 'Its id.' }) },
    resolve: async (_, args, context) => {
      const id = parseNumericId(args.id, 'id');
      await context.heartbeats.regenerateToken(id);
      return context.monitors.get(id);
    },
  }),
);

builder.mutationField('checkNow', (t) =>
  t.field({
    authScopes: { editor: true },
    type: CheckResultRef,
    description: 'Checks a monitor now, outside its schedule, and stores the result.',
    args: { id: t.arg.id({ required: true, description: 'Its id.' }) },
    resolve: async (_, args, context) =>
      context.results.checkMonitor(await context.monitors.get(parseNumericId(args.id, 'id'))),
  }),
);
