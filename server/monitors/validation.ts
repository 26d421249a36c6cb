// Monitor input: its shape checked at the edges (parseMonitorInput), then completed into valid settings by the
// service (completeMonitorSettings); either step throws a ValidationError naming the field.
import { z } from 'zod';
import type { AddressPolicy, DnsCheckSettings, HttpCheckSettings } from '../checks/index.ts';
import {
  MAX_ASSERTIONS,
  parseAssertion,
  compileKeyword,
  DEFAULT_HTTP_SETTINGS,
  parseHttpTarget,
  DNS_RECORD_TYPES,
  parseDnsName,
  parseDnsResolver,
  parseIcmpTarget,
  parseTcpTarget,
} from '../checks/index.ts';
import { ValidationError } from '../errors.ts';
import { checkRecurringSchedule } from '../maintenance/index.ts';
import { parseInput } from '../validation.ts';
import type { HeartbeatSchedule, MonitorChanges, MonitorDefaults, MonitorInput, MonitorSettings } from './types.ts';

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const MAX_TIMEOUT_SECONDS = 300;
/** As sql/015_public_pages.sql checks it. */
export const MONITOR_SLUG = /^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/;

// A missing required field says so, rather than "must be a string".
const requiredOr = (message: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : message;
const text = (max: number) =>
  z.string({ error: requiredOr('must be a string') }).max(max, `must be at most ${max} characters`);

const statusRanges = z
  .array(z.tuple([z.number().int().min(100).max(599), z.number().int().min(100).max(599)]), {
    error: 'must be a list of [from, to] status code ranges',
  })
  .min(1, 'must list at least one status code')
  .refine((ranges) => ranges.every(([from, to]) => from <= to), 'each range must go from low to high');

const httpSettingsSchema = z.strictObject({
  method: z.enum(HTTP_METHODS, { error: `must be one of ${HTTP_METHODS.join(', ')}` }).optional(),
  headers: z
    .record(
      z.string().regex(HEADER_NAME, 'header names must be HTTP tokens'),
      text(8192).refine((value) => !/[\r\n]/.test(value), 'header values cannot contain line breaks'),
    )
    .optional(),
  body: text(65_536).nullable().optional(),
  expectedStatus: statusRanges.optional(),
  followRedirects: z.boolean({ error: 'must be true or false' }).optional(),
  keyword: text(1000).min(1, 'cannot be empty (use null for no keyword)').nullable().optional(),
  keywordIsRegex: z.boolean({ error: 'must be true or false' }).optional(),
  keywordMustBeAbsent: z.boolean({ error: 'must be true or false' }).optional(),
  ignoreTlsErrors: z.boolean({ error: 'must be true or false' }).optional(),
});

/** A location as LOCATION accepts it (server/config.ts). */
const LOCATION_NAME = /^[\p{L}\p{N}][\p{L}\p{N}._:@/ -]*$/u;

const locationsSchema = z
  .array(
    text(100)
      .trim()
      .regex(
        LOCATION_NAME,
        'each location must start with a letter or digit and hold only letters, digits, spaces and . _ - : @ /',
      ),
    { error: 'must be a list of location names (or null for every location)' },
  )
  .max(100, 'must name at most 100 locations')
  .refine((names) => new Set(names).size === names.length, 'must not name a location twice');
const DNS_MATCHES = ['exact', 'contains', 'regex'] as const;
const dnsSettingsSchema = z.strictObject({
  recordType: z.enum(DNS_RECORD_TYPES, { error: requiredOr(`must be one of ${DNS_RECORD_TYPES.join(', ')}`) }),
  expected: z
    .array(text(1000), { error: 'must be a list of strings' })
    .max(50, 'must list at most 50 values')
    .optional(),
  match: z.enum(DNS_MATCHES, { error: `must be one of ${DNS_MATCHES.join(', ')}` }).optional(),
  resolver: text(300).trim().min(1, 'cannot be empty (use null for the system resolvers)').nullable().optional(),
});
const scheduleSchema = z.strictObject({
  cron: text(200).trim().min(1, 'is required'),
  timeZone: text(100).trim().min(1, 'cannot be empty (leave it out for UTC)').optional(),
});
const KINDS = ['http', 'tcp', 'icmp', 'push', 'dns'] as const;

/** A monitor's fields and their types; a configuration file's monitors extend it. */
export const monitorInputSchema = z.strictObject({
  name: text(200).trim().min(1, 'is required'),
  kind: z.enum(KINDS, { error: requiredOr(`must be one of ${KINDS.join(', ')}`) }),
  target: text(2048).trim().min(1, 'is required').optional(),
  intervalSeconds: z
    .number({ error: 'must be a number of seconds' })
    .int('must be a whole number of seconds')
    .min(1, 'must be at least 1 second')
    .max(86_400, 'must be at most 86400 seconds (one day)')
    .optional(),
  timeoutSeconds: z
    .number({ error: 'must be a number of seconds' })
    .positive('must be above 0')
    .max(MAX_TIMEOUT_SECONDS, `must be at most ${MAX_TIMEOUT_SECONDS} seconds`)
    .optional(),
  retries: z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(100, 'must be at most 100')
    .optional(),
  slowThresholdMs: z
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(1, 'must be at least 1 ms')
    .max(3_600_000, 'must be at most 3600000 ms')
    .optional(),
  paused: z.boolean({ error: 'must be true or false' }).optional(),
  tags: z
    .array(text(50).trim().min(1, 'tags cannot be empty'), { error: 'must be a list of strings' })
    .max(50)
    .optional(),
  http: httpSettingsSchema.optional(),
  reminderMinutes: z
    .number({ error: 'must be a number of minutes' })
    .int('must be a whole number of minutes')
    .min(1, 'must be at least 1 minute')
    .max(10_080, 'must be at most 10080 minutes (a week)')
    .nullable()
    .optional(),
  certificateAlertDays: z
    .number({ error: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(0, 'must be 0 (never) or more')
    .max(365, 'must be at most 365 days')
    .optional(),
  badgesEnabled: z.boolean({ error: 'must be true or false' }).optional(),
  slug: z
    .string({ error: 'must be a string' })
    .regex(
      MONITOR_SLUG,
      'must be lower-case letters, digits and dashes (at most 64), not starting or ending with a dash',
    )
    .refine((slug) => !/^\d+$/.test(slug), 'cannot be only digits (those are ids)')
    .nullable()
    .optional(),
  locations: locationsSchema.nullable().optional(),
  quorum: z
    .number({ error: 'must be a number of locations' })
    .int('must be a whole number of locations')
    .min(1, 'must be at least 1')
    .max(100, 'must be at most 100')
    .optional(),
  graceSeconds: z
    .number({ error: 'must be a number of seconds' })
    .int('must be a whole number of seconds')
    .min(0, 'must be 0 or more')
    .max(86_400, 'must be at most 86400 seconds (one day)')
    .optional(),
  dns: dnsSettingsSchema.partial().nullable().optional(),
  schedule: scheduleSchema.nullable().optional(),
  assertions: z
    .array(text(500).trim().min(1, 'an assertion cannot be empty'), { error: 'must be a list of conditions' })
    .max(MAX_ASSERTIONS, `at most ${MAX_ASSERTIONS} assertions`)
    .optional(),
  group: text(100).trim().min(1, 'cannot be empty (use null for no group)').nullable().optional(),
  dependsOn: z
    .number({ error: 'must be the id of another monitor' })
    .int('must be the id of another monitor')
    .positive('must be the id of another monitor')
    .nullable()
    .optional(),
});

const monitorChangesSchema = monitorInputSchema.partial();

/** A full monitor input (create, replace) with its types, ranges and fields checked; the APIs call it on what they receive. */
export function parseMonitorInput(input: unknown): MonitorInput {
  return parseInput(monitorInputSchema, input);
}

/** The changes of a patch, checked like parseMonitorInput's input, every field optional. */
export function parseMonitorChanges(input: unknown): MonitorChanges {
  return parseInput(monitorChangesSchema, input);
}

/** Parses "200-299,301,404" into ranges. */
export function parseStatusRanges(value: string): Array<[number, number]> {
  const ranges = value.split(',').map((part): [number, number] => {
    const match = /^\s*(\d{3})\s*(?:-\s*(\d{3})\s*)?$/.exec(part);
    if (!match)
      throw new ValidationError(`"${part.trim()}" is not a status code or a range like 200-299`, 'http.expectedStatus');
    const from = Number(match[1]);
    const to = Number(match[2] ?? match[1]);
    if (from < 100 || to > 599 || from > to) {
      throw new ValidationError(`"${part.trim()}" is not a valid range of HTTP status codes`, 'http.expectedStatus');
    }
    return [from, to];
  });
  return ranges;
}

export function formatStatusRanges(ranges: Array<[number, number]>): string {
  return ranges.map(([from, to]) => (from === to ? `${from}` : `${from}-${to}`)).join(',');
}

/** What a heartbeat's target reads: nothing is checked, the job calls in. */
export const HEARTBEAT_TARGET = 'heartbeat';

function normaliseTarget(kind: MonitorInput['kind'], target: string | undefined): string {
  if (kind === 'push') return target ?? HEARTBEAT_TARGET;
  if (target === undefined) throw new ValidationError('is required', 'target');
  try {
    if (kind === 'http') return parseHttpTarget(target).href;
    if (kind === 'tcp') parseTcpTarget(target);
    else if (kind === 'dns') return parseDnsName(target);
    else parseIcmpTarget(target);
    return target;
  } catch (error) {
    if (error instanceof ValidationError) throw new ValidationError(error.message, 'target');
    throw error;
  }
}

/**
 * Refuses a target that is an IP address the policy never connects to (link-local/metadata, RESEAUX_INTERDITS,
 * outside RESEAUX_AUTORISES). Names are checked at each check, after DNS: that is the guarantee; this is a courtesy.
 */
export function refuseForbiddenAddress(settings: MonitorSettings, policy: AddressPolicy): MonitorSettings {
  if (settings.kind === 'push') return settings;
  if (settings.kind === 'dns') {
    // The name is only asked about; the resolver is what Vigie connects to.
    if (settings.dns?.resolver) {
      const refused = policy.literalRefusal(parseDnsResolver(settings.dns.resolver).host);
      if (refused !== null) throw new ValidationError(refused.message, 'dns.resolver');
    }
    return settings;
  }
  const host =
    settings.kind === 'http'
      ? parseHttpTarget(settings.target).hostname
      : settings.kind === 'tcp'
        ? parseTcpTarget(settings.target).host
        : parseIcmpTarget(settings.target);
  const refused = policy.literalRefusal(host);
  if (refused !== null) throw new ValidationError(refused.message, 'target');
  return settings;
}

/** A DNS monitor's settings, complete: the record type required, the regex compiled, the resolver an IP[:port]. */
function completeDnsSettings(value: MonitorInput['dns']): DnsCheckSettings {
  if (!value?.recordType) throw new ValidationError('is required for a DNS monitor', 'dns.recordType');
  const settings: DnsCheckSettings = {
    recordType: value.recordType,
    expected: value.expected ?? [],
    match: value.match ?? 'exact',
    resolver: value.resolver ?? null,
  };
  if (settings.match === 'regex') {
    if (settings.expected.length !== 1) {
      throw new ValidationError('must hold exactly one regular expression when match is regex', 'dns.expected');
    }
    try {
      compileKeyword(settings.expected[0], true);
    } catch (error) {
      if (error instanceof ValidationError)
        throw new ValidationError(error.message.replace(/^keyword/, 'the pattern'), 'dns.expected');
      throw error;
    }
  }
  if (settings.resolver !== null) {
    try {
      parseDnsResolver(settings.resolver);
    } catch (error) {
      if (error instanceof ValidationError) throw new ValidationError(error.message, 'dns.resolver');
      throw error;
    }
  }
  return settings;
}

/** A heartbeat's cron schedule, checked as maintenance windows' are (5 fields, or 6; a known IANA time zone). */
function completeSchedule(value: MonitorInput): HeartbeatSchedule | null {
  if (!value.schedule) return null;
  if (value.kind !== 'push') throw new ValidationError('only heartbeat monitors have a schedule', 'schedule');
  const schedule = { cron: value.schedule.cron, timeZone: value.schedule.timeZone ?? 'UTC' };
  try {
    checkRecurringSchedule(schedule.cron, schedule.timeZone);
  } catch (error) {
    if (error instanceof ValidationError) throw new ValidationError(error.message, `schedule.${error.field}`);
    throw error;
  }
  return schedule;
}

/** Fills in the defaults and checks what spans fields: the timeout within the interval, the target of its kind, the keyword. */
export function completeMonitorSettings(value: MonitorInput, defaults: MonitorDefaults): MonitorSettings {
  const intervalSeconds = value.intervalSeconds ?? defaults.intervalSeconds;
  // An explicit timeout must fit the interval; a default one is shrunk to fit.
  const timeoutSeconds = value.timeoutSeconds ?? Math.min(defaults.timeoutSeconds, intervalSeconds * 0.8);
  if (timeoutSeconds >= intervalSeconds) {
    throw new ValidationError(
      `must be below the interval (${intervalSeconds} s), got ${timeoutSeconds} s`,
      'timeoutSeconds',
    );
  }
  // An empty list names no location: every location checks it, as with none.
  const locations = value.locations?.length ? [...value.locations] : null;
  const quorum = value.quorum ?? 1;
  if (locations && quorum > locations.length) {
    throw new ValidationError(
      `must be at most the number of locations named (${locations.length}), got ${quorum}`,
      'quorum',
    );
  }
  // A heartbeat's deadline is evaluated in one location (its single lease), so no quorum of locations can form.
  if (value.kind === 'push' && locations && locations.length > 1) {
    throw new ValidationError(
      'a heartbeat monitor is evaluated in one location: name one, or none (whichever location holds it)',
      'locations',
    );
  }
  if (value.kind === 'push' && quorum > 1) {
    throw new ValidationError('must be 1 for a heartbeat monitor (it is evaluated in one location)', 'quorum');
  }
  const http: HttpCheckSettings = { ...DEFAULT_HTTP_SETTINGS, ...stripUndefined(value.http ?? {}) };
  if (http.keyword !== null) {
    try {
      compileKeyword(http.keyword, http.keywordIsRegex);
    } catch (error) {
      if (error instanceof ValidationError) throw new ValidationError(error.message, 'http.keyword');
      throw error;
    }
  }
  const assertions = value.assertions ?? [];
  if (assertions.length > 0 && value.kind !== 'http') {
    throw new ValidationError('only HTTP monitors have assertions', 'assertions');
  }
  assertions.forEach((assertion, index) => {
    try {
      parseAssertion(assertion);
    } catch (error) {
      if (error instanceof ValidationError) throw new ValidationError(error.message, `assertions.${index}`);
      throw error;
    }
  });
  return {
    name: value.name,
    kind: value.kind,
    target: normaliseTarget(value.kind, value.target),
    intervalSeconds,
    timeoutSeconds,
    retries: value.retries ?? 1,
    slowThresholdMs: value.slowThresholdMs ?? defaults.slowThresholdMs,
    paused: value.paused ?? false,
    tags: [...new Set(value.tags ?? [])],
    http,
    reminderMinutes: value.reminderMinutes ?? null,
    certificateAlertDays: value.certificateAlertDays ?? 14,
    badgesEnabled: value.badgesEnabled ?? false,
    slug: value.slug ?? null,
    locations,
    quorum,
    graceSeconds: value.graceSeconds ?? DEFAULT_GRACE_SECONDS,
    dns: value.kind === 'dns' ? completeDnsSettings(value.dns) : null,
    schedule: completeSchedule(value),
    assertions,
    group: value.group ?? null,
    dependsOn: value.dependsOn ?? null,
  };
}

/** As sql/016_heartbeats_dns.sql's default. */
export const DEFAULT_GRACE_SECONDS = 60;

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}
