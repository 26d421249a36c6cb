// createMonitor and updateMonitor: GraphQL inputs mapped to the monitor service's input, and checked.
import { parseMonitorChanges, parseMonitorInput, parseStatusRanges, type MonitorChanges } from '../monitors/index.ts';
import { builder } from './builder.ts';
import { withoutNulls } from './inputs.ts';
import { parseNumericId } from './ids.ts';
import { DnsMatchEnum, DnsRecordTypeEnum, MonitorKindEnum, MonitorRef } from './monitor.ts';

const HeaderInput = builder.inputType('HttpHeaderInput', {
  description: 'A request header.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'Header name.' }),
    value: t.string({ required: true, description: 'Header value.' }),
  }),
});

const HttpSettingsInput = builder.inputType('HttpSettingsInput', {
  description: 'HTTP check settings; omitted fields keep their defaults (create) or current values (update).',
  fields: (t) => ({
    method: t.string({ description: 'GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS (default GET).' }),
    headers: t.field({ type: [HeaderInput], description: 'Request headers (replace all).' }),
    body: t.string({ description: 'Request body; null for none.' }),
    expectedStatus: t.string({ description: 'Accepted status codes, e.g. "200-299,304" (default 200-399).' }),
    followRedirects: t.boolean({ description: 'Follow redirects (default true).' }),
    keyword: t.string({ description: 'Text the body must contain; null for none.' }),
    keywordIsRegex: t.boolean({ description: 'The keyword is a regular expression.' }),
    keywordMustBeAbsent: t.boolean({ description: 'Fail when the keyword is found.' }),
    ignoreTlsErrors: t.boolean({ description: 'Accept invalid certificates.' }),
  }),
});

const DnsSettingsInput = builder.inputType('DnsSettingsInput', {
  description: 'DNS check settings; omitted fields keep their defaults (create) or current values (update).',
  fields: (t) => ({
    recordType: t.field({ type: DnsRecordTypeEnum, description: 'Record type asked for (required on creation).' }),
    expected: t.stringList({ description: 'Expected values (default none: any answer).' }),
    match: t.field({ type: DnsMatchEnum, description: 'How answers are compared (default EXACT).' }),
    resolver: t.string({ description: 'The server to ask, IP[:port]; null: the system resolvers.' }),
  }),
});

const HeartbeatScheduleInput = builder.inputType('HeartbeatScheduleInput', {
  description: 'When a heartbeat is expected: at each run of a cron schedule, in a time zone.',
  fields: (t) => ({
    cron: t.string({
      required: true,
      description: 'Cron expression, 5 fields (or 6, seconds first), e.g. "0 3 * * *" (every day at 03:00).',
    }),
    timeZone: t.string({ description: 'IANA time zone of the cron expression, e.g. "Europe/Paris" (default UTC).' }),
  }),
});

const settingsFields = (t: Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0], required: boolean) => ({
  name: t.string({ required, description: 'Display name (1 to 200 characters).' }),
  kind: t.field({ type: MonitorKindEnum, required, description: 'What is checked.' }),
  target: t.string({
    description: 'URL (HTTP), host:port (TCP), host (ICMP) or name (DNS); required except for heartbeats (PUSH).',
  }),
  intervalSeconds: t.int({ description: 'Seconds between checks (at least 1; default from the configuration).' }),
  timeoutSeconds: t.float({ description: 'Seconds a check may take; below the interval.' }),
  retries: t.int({ description: 'Consecutive failures before DOWN (default 1).' }),
  slowThresholdMs: t.int({ description: 'Latency above which the monitor is DEGRADED.' }),
  paused: t.boolean({ description: 'Create or keep the monitor paused.' }),
  tags: t.stringList({ description: 'Free-form labels.' }),
  reminderMinutes: t.int({ description: 'While DOWN, notify again every this many minutes.' }),
  certificateAlertDays: t.int({
    description: 'Alert when the certificate expires in fewer days (default 14, 0: never).',
  }),
  badgesEnabled: t.boolean({
    description:
      'Serve its badges (/badge/<id or slug>/status.svg, uptime.svg, latency.svg) to anyone (default false).',
  }),
  slug: t.string({
    description: 'Another name for its badges: lower-case letters, digits and dashes, not only digits; null: none.',
  }),
  http: t.field({ type: HttpSettingsInput, description: 'HTTP settings.' }),
  locations: t.stringList({
    description: 'The locations (LOCATION of the instances) that check it; null or empty: every location.',
  }),
  quorum: t.int({
    description:
      'How many of its locations must see it down for it to be DOWN (default 1; at most the locations named).',
  }),
  graceSeconds: t.int({
    description: 'Heartbeats: seconds past the expected time (interval) a ping may still arrive (default 60).',
  }),
  dns: t.field({ type: DnsSettingsInput, description: 'DNS settings (DNS monitors).' }),
  schedule: t.field({
    type: HeartbeatScheduleInput,
    description:
      'Heartbeats: expected at each run of this cron schedule (plus the grace) instead of every interval; null: by interval.',
  }),
  assertions: t.stringList({
    description:
      'HTTP only: conditions on each response, all evaluated, e.g. "status == 200", \'body.$.status == "UP"\' (JSONPath), "response_time < 300", "header.content-type contains json", "certificate.days > 14" (replace all).',
  }),
  group: t.string({ description: 'The group it is listed under (1 to 100 characters); null: none.' }),
  dependsOn: t.id({
    description:
      'The monitor it depends on: while that one is DOWN, its own alerts are recorded but not notified; null: none.',
  }),
});

const CreateMonitorInput = builder.inputType('CreateMonitorInput', {
  description: 'A new monitor.',
  fields: (t) => settingsFields(t, true),
});

const UpdateMonitorInput = builder.inputType('UpdateMonitorInput', {
  description: 'Changes to a monitor: only the given fields change.',
  fields: (t) => settingsFields(t, false),
});

/**
 * GraphQL null on an optional field means "not given", except where null is a value (reminders, slug, locations, body,
 * keyword).
 */
function toServiceInput(
  input: typeof UpdateMonitorInput.$inferInput | typeof CreateMonitorInput.$inferInput,
): MonitorChanges {
  const { http, dns, dependsOn, ...rest } = withoutNulls(input, [
    'reminderMinutes',
    'slug',
    'locations',
    'group',
    'dependsOn',
    'schedule',
  ]);
  const { schedule, ...others } = rest;
  const withSchedule: MonitorChanges = {
    ...others,
    ...(schedule !== undefined && {
      schedule: schedule && { cron: schedule.cron, ...(schedule.timeZone != null && { timeZone: schedule.timeZone }) },
    }),
  };
  const given: MonitorChanges = dns ? { ...withSchedule, dns: withoutNulls(dns, ['resolver']) } : withSchedule;
  const settings: MonitorChanges = {
    ...given,
    ...(dependsOn !== undefined && { dependsOn: dependsOn === null ? null : parseNumericId(dependsOn, 'dependsOn') }),
  };
  if (!http) return settings;
  const { headers, expectedStatus, ...httpSettings } = withoutNulls(http, ['body', 'keyword']);
  return {
    ...settings,
    http: {
      ...httpSettings,
      ...(headers && { headers: Object.fromEntries(headers.map((header) => [header.name, header.value])) }),
      ...(expectedStatus !== undefined && { expectedStatus: parseStatusRanges(expectedStatus) }),
    },
  };
}

builder.mutationField('createMonitor', (t) =>
  t.field({
    authScopes: { editor: true },
    type: MonitorRef,
    description: 'Creates a monitor; it is checked at once, then on its interval.',
    args: { input: t.arg({ type: CreateMonitorInput, required: true, description: 'The monitor.' }) },
    resolve: (_, args, context) => context.monitors.create(parseMonitorInput(toServiceInput(args.input))),
  }),
);

builder.mutationField('updateMonitor', (t) =>
  t.field({
    authScopes: { editor: true },
    type: MonitorRef,
    description: 'Changes some settings of a monitor; the scheduler applies them at once.',
    args: {
      id: t.arg.id({ required: true, description: 'Its id.' }),
      input: t.arg({ type: UpdateMonitorInput, required: true, description: 'The changes.' }),
    },
    resolve: (_, args, context) =>
      context.monitors.patch(parseNumericId(args.id, 'id'), parseMonitorChanges(toServiceInput(args.input))),
  }),
);
