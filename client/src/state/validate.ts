// Validation of the monitor form as the user types, mirroring the server's rules; builds the mutation input.
import type { DnsMatch, DnsRecordType, MonitorDetail, MonitorInput, MonitorKind } from '../api/types.ts';
import { labels, t, tn } from '../i18n/index.ts';

export interface FormValues {
  name: string;
  kind: MonitorKind;
  target: string;
  intervalSeconds: string;
  timeoutSeconds: string;
  retries: string;
  slowThresholdMs: string;
  tags: string;
  badgesEnabled: boolean;
  slug: string;
  group: string;
  /** A monitor's id, or '' for none. */
  dependsOn: string;
  'http.method': string;
  'http.expectedStatus': string;
  'http.keyword': string;
  'http.keywordIsRegex': boolean;
  'http.keywordMustBeAbsent': boolean;
  'http.followRedirects': boolean;
  'http.ignoreTlsErrors': boolean;
  graceSeconds: string;
  'dns.recordType': DnsRecordType;
  /** Comma-separated. */
  'dns.expected': string;
  'dns.match': DnsMatch;
  'dns.resolver': string;
}

export type FieldName = keyof FormValues;
export type FieldErrors = Partial<Record<FieldName, string>>;

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
export const DNS_RECORD_TYPES: readonly DnsRecordType[] = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SOA', 'CAA'];

export const EMPTY_FORM: FormValues = {
  name: '',
  kind: 'HTTP',
  target: '',
  intervalSeconds: '60',
  timeoutSeconds: '',
  retries: '1',
  slowThresholdMs: '800',
  tags: '',
  badgesEnabled: false,
  slug: '',
  group: '',
  dependsOn: '',
  'http.method': 'GET',
  'http.expectedStatus': '200-399',
  'http.keyword': '',
  'http.keywordIsRegex': false,
  'http.keywordMustBeAbsent': false,
  'http.followRedirects': true,
  'http.ignoreTlsErrors': false,
  graceSeconds: '60',
  'dns.recordType': 'A',
  'dns.expected': '',
  'dns.match': 'EXACT',
  'dns.resolver': '',
};

export function formFromMonitor(monitor: MonitorDetail): FormValues {
  return {
    name: monitor.name,
    kind: monitor.kind,
    target: monitor.target,
    intervalSeconds: String(monitor.intervalSeconds),
    timeoutSeconds: String(monitor.timeoutSeconds),
    retries: String(monitor.retries),
    slowThresholdMs: String(monitor.slowThresholdMs),
    tags: monitor.tags.join(', '),
    badgesEnabled: monitor.badgesEnabled,
    slug: monitor.slug ?? '',
    group: monitor.group ?? '',
    dependsOn: monitor.dependsOn ?? '',
    'http.method': monitor.http.method,
    'http.expectedStatus': monitor.http.expectedStatus,
    'http.keyword': monitor.http.keyword ?? '',
    'http.keywordIsRegex': monitor.http.keywordIsRegex,
    'http.keywordMustBeAbsent': monitor.http.keywordMustBeAbsent,
    'http.followRedirects': monitor.http.followRedirects,
    'http.ignoreTlsErrors': monitor.http.ignoreTlsErrors,
    graceSeconds: String(monitor.graceSeconds),
    'dns.recordType': monitor.dns?.recordType ?? 'A',
    'dns.expected': monitor.dns?.expected.join(', ') ?? '',
    'dns.match': monitor.dns?.match ?? 'EXACT',
    'dns.resolver': monitor.dns?.resolver ?? '',
  };
}

/** An http(s) URL, or the reason it is not one. */
export function urlProblem(value: string): string | null {
  const text = value.trim();
  if (!text) return t('validate.urlRequired');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return t('validate.fullUrl');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return t('validate.httpOnly');
  if (!url.hostname) return t('validate.hostName');
  return null;
}

function targetProblem(kind: MonitorKind, value: string): string | null {
  const text = value.trim();
  if (kind === 'PUSH') return null;
  if (kind === 'HTTP') return urlProblem(text);
  if (!text) return t('validate.targetRequired');
  if (/\s/.test(text)) return t('validate.targetSpaces');
  if (text.startsWith('-')) return t('validate.hostDash');
  if (kind === 'DNS') {
    if (!/^[A-Za-z0-9_.-]+$/.test(text) || text.length > 253) return t('validate.dnsName');
  } else if (kind === 'TCP') {
    const match = /^(.+):(\d+)$/.exec(text);
    if (!match) return t('validate.hostPort');
    const port = Number(match[2]);
    if (port < 1 || port > 65_535) return t('validate.port');
  } else if (text.includes('/')) {
    return t('validate.notUrl');
  }
  return text.length > 2048 ? t('validate.atMostChars', { count: 2048 }) : null;
}

const UNIT = labels({ seconds: 'validate.seconds', failures: 'validate.failures', ms: 'validate.ms' });
/** "1 second", "30 seconds": an amount of each unit, singular or plural. */
const AMOUNT: Record<keyof typeof UNIT, (count: number) => string> = {
  seconds: (count) => tn('validate.secondsCount', count),
  failures: (count) => tn('validate.failuresCount', count),
  ms: (count) => tn('validate.msCount', count),
};

function wholeNumber(value: string, min: number, max: number, unitName: keyof typeof UNIT): string | null {
  if (!/^\d+$/.test(value.trim())) return t('validate.wholeNumber', { unit: UNIT[unitName] });
  const number = Number(value);
  if (number < min) return t('validate.atLeast', { amount: AMOUNT[unitName](min) });
  if (number > max) return t('validate.atMost', { amount: AMOUNT[unitName](max) });
  return null;
}

function statusProblem(value: string): string | null {
  const parts = value.split(',');
  for (const part of parts) {
    const match = /^\s*(\d{3})\s*(?:-\s*(\d{3})\s*)?$/.exec(part);
    if (!match) return t('validate.statusCode', { part: part.trim() });
    const from = Number(match[1]);
    const to = Number(match[2] ?? match[1]);
    if (from < 100 || to > 599 || from > to) return t('validate.statusRange', { part: part.trim() });
  }
  return null;
}

export function parseTags(value: string): string[] {
  return [
    ...new Set(
      value
        .split(',')
        .map((tag) => tag.trim())
        .filter(Boolean),
    ),
  ];
}

export function validateForm(values: FormValues): FieldErrors {
  const errors: FieldErrors = {};
  const name = values.name.trim();
  if (!name) errors.name = t('validate.nameRequired');
  else if (name.length > 200) errors.name = t('validate.atMostChars', { count: 200 });
  const target = targetProblem(values.kind, values.target);
  if (target) errors.target = target;
  const interval = wholeNumber(values.intervalSeconds, 1, 86_400, 'seconds');
  if (interval) errors.intervalSeconds = interval;
  if (values.timeoutSeconds.trim()) {
    const timeout = Number(values.timeoutSeconds);
    if (!Number.isFinite(timeout) || timeout <= 0) errors.timeoutSeconds = t('validate.timeoutPositive');
    else if (timeout > 300) errors.timeoutSeconds = t('validate.timeoutMax');
    else if (!interval && timeout >= Number(values.intervalSeconds))
      errors.timeoutSeconds = t('validate.timeoutBelowInterval');
  }
  const retries = wholeNumber(values.retries, 1, 100, 'failures');
  if (retries) errors.retries = retries;
  const slow = wholeNumber(values.slowThresholdMs, 1, 3_600_000, 'ms');
  if (slow) errors.slowThresholdMs = slow;
  const tags = parseTags(values.tags);
  if (tags.some((tag) => tag.length > 50)) errors.tags = t('validate.tagLength');
  else if (tags.length > 50) errors.tags = t('validate.tagCount');
  const slug = values.slug.trim();
  if (slug && !/^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/.test(slug)) errors.slug = t('validate.slug');
  else if (/^\d+$/.test(slug)) errors.slug = t('validate.slugDigits');
  if (values.kind === 'HTTP') {
    if (!HTTP_METHODS.includes(values['http.method'])) errors['http.method'] = t('validate.method');
    const status = statusProblem(values['http.expectedStatus']);
    if (status) errors['http.expectedStatus'] = status;
    const keyword = values['http.keyword'];
    if (keyword.length > 1000) errors['http.keyword'] = t('validate.atMostChars', { count: 1000 });
    else if (keyword && values['http.keywordIsRegex']) {
      try {
        new RegExp(keyword);
      } catch {
        errors['http.keyword'] = t('validate.regex');
      }
    }
  }
  if (values.kind === 'PUSH') {
    const grace = wholeNumber(values.graceSeconds, 0, 86_400, 'seconds');
    if (grace) errors.graceSeconds = grace;
  }
  if (values.kind === 'DNS') {
    const resolver = values['dns.resolver'].trim();
    if (resolver && !/^(\[[0-9a-fA-F:.]+\]|[0-9.]+|[0-9a-fA-F:]+)(:\d{1,5})?$/.test(resolver))
      errors['dns.resolver'] = t('validate.resolver');
    if (values['dns.match'] === 'REGEX' && splitList(values['dns.expected']).length !== 1)
      errors['dns.expected'] = t('validate.oneRegex');
  }
  if (values.group.trim().length > 100) errors.group = t('validate.atMostChars', { count: 100 });
  return errors;
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** The mutation input; call only when validateForm found nothing. An empty timeout is left to the server. */
export function inputFromForm(values: FormValues): MonitorInput {
  const input: MonitorInput = {
    name: values.name.trim(),
    kind: values.kind,
    intervalSeconds: Number(values.intervalSeconds),
    retries: Number(values.retries),
    slowThresholdMs: Number(values.slowThresholdMs),
    tags: parseTags(values.tags),
    badgesEnabled: values.badgesEnabled,
    slug: values.slug.trim() || null,
    group: values.group.trim() || null,
    dependsOn: values.dependsOn || null,
  };
  if (values.kind !== 'PUSH') input.target = values.target.trim();
  if (values.timeoutSeconds.trim()) input.timeoutSeconds = Number(values.timeoutSeconds);
  if (values.kind === 'PUSH') input.graceSeconds = Number(values.graceSeconds);
  if (values.kind === 'DNS') {
    input.dns = {
      recordType: values['dns.recordType'],
      expected: values['dns.match'] === 'REGEX' ? [values['dns.expected'].trim()] : splitList(values['dns.expected']),
      match: values['dns.match'],
      resolver: values['dns.resolver'].trim() || null,
    };
  }
  if (values.kind === 'HTTP') {
    input.http = {
      method: values['http.method'],
      expectedStatus: values['http.expectedStatus'].replace(/\s+/g, ''),
      keyword: values['http.keyword'] || null,
      keywordIsRegex: values['http.keywordIsRegex'],
      keywordMustBeAbsent: values['http.keywordMustBeAbsent'],
      followRedirects: values['http.followRedirects'],
      ignoreTlsErrors: values['http.ignoreTlsErrors'],
    };
  }
  return input;
}
