// Gatus' YAML configuration (endpoints with their conditions, the alerting providers) → a configuration
// document. Keys: gatus-<group>-<name> for endpoints, gatus-<provider> for channels.
import { DNS_RECORD_TYPES, goDurationMs, parseAssertion } from '../checks/index.ts';
import { ValidationError } from '../errors.ts';
import { isPlainObject } from '../validation.ts';
import { defined, type ImportResult, keyPart, type Row, type Skipped, str } from './types.ts';

/** A Go duration (1m30s, 500ms, 2h) in seconds; undefined when it is not one. */
export function goDurationSeconds(value: unknown): number | undefined {
  const ms = typeof value === 'string' ? goDurationMs(value) : null;
  return ms === null ? undefined : ms / 1000;
}

/** A Gatus alerting provider → a Vigie channel; null: Vigie has no such channel. */
function channelOf(provider: string, config: Row): { kind: string; settings: Row; secrets: Row } | null {
  const hook = (kind: string) => ({ kind, settings: {}, secrets: { url: config['webhook-url'] } });
  switch (provider) {
    case 'slack':
    case 'discord':
    case 'mattermost':
    case 'googlechat':
      return hook(provider);
    case 'teams':
    case 'teams-workflows':
      return hook('teams');
    case 'custom':
      // Gatus' custom provider has a body template; Vigie's webhook posts its own JSON.
      return { kind: 'webhook', settings: { url: config.url }, secrets: {} };
    case 'email':
      return {
        kind: 'email',
        settings: {
          host: config.host,
          port: config.port,
          user: str(config.username) ?? (str(config.password) ? config.from : null),
          from: config.from,
          to: String(config.to ?? '')
            .split(',')
            .map((address) => address.trim())
            .filter(Boolean),
        },
        secrets: { password: str(config.password) ?? null },
      };
    case 'telegram':
      return { kind: 'telegram', settings: { chatId: config.id }, secrets: { botToken: config.token } };
    case 'ntfy':
      return {
        kind: 'ntfy',
        settings: { server: str(config.url), topic: config.topic, priority: config.priority ?? null },
        secrets: { token: str(config.token) ?? null },
      };
    case 'pushover':
      return {
        kind: 'pushover',
        settings: { priority: config.priority ?? null },
        secrets: { appToken: config['application-token'], userKey: config['user-key'] },
      };
    case 'gotify':
      return {
        kind: 'gotify',
        settings: { server: config['server-url'], priority: config.priority },
        secrets: { token: config.token },
      };
    case 'pagerduty':
      return { kind: 'pagerduty', settings: {}, secrets: { routingKey: config['integration-key'] } };
    case 'opsgenie':
      return { kind: 'opsgenie', settings: {}, secrets: { apiKey: config['api-key'] } };
    case 'matrix':
      return {
        kind: 'matrix',
        settings: {
          homeserver: str(config['server-url']) ?? 'https://matrix-client.matrix.org',
          roomId: config['internal-room-id'],
        },
        secrets: { accessToken: config['access-token'] },
      };
    default:
      return null;
  }
}

function isAssertion(condition: string): boolean {
  try {
    parseAssertion(condition.trim());
    return true;
  } catch (error) {
    if (error instanceof ValidationError) return false;
    throw error;
  }
}

/** The conditions Vigie has an equivalent for, applied to the monitor; the others are returned. */
function applyConditions(conditions: string[], monitor: Row, http: Row): string[] {
  const left: string[] = [];
  let low = 100;
  let high = 599;
  let statusSeen = false;
  for (const condition of conditions) {
    const status = /^\[STATUS\]\s*(==|<=|>=|<|>)\s*(\d{3})$/.exec(condition.trim());
    const responseTime = /^\[RESPONSE_TIME\]\s*<=?\s*(\d+)$/.exec(condition.trim());
    const body = /^\[BODY\]\s*(==|!=)\s*pat\(\*([^*]+)\*\)$/.exec(condition.trim());
    const certificate = /^\[CERTIFICATE_EXPIRATION\]\s*>=?\s*(\S+)$/.exec(condition.trim());
    if (/^\[CONNECTED\]\s*==\s*true$/.test(condition.trim())) continue;
    if (status) {
      const code = Number(status[2]);
      statusSeen = true;
      if (status[1] === '==') [low, high] = [Math.max(low, code), Math.min(high, code)];
      else if (status[1] === '<') high = Math.min(high, code - 1);
      else if (status[1] === '<=') high = Math.min(high, code);
      else if (status[1] === '>') low = Math.max(low, code + 1);
      else low = Math.max(low, code);
    } else if (responseTime) {
      // Vigie marks a slower response slow (degraded), where Gatus fails the check.
      monitor.slowThresholdMs = Number(responseTime[1]);
    } else if (body && !/[*?]/.test(body[2]!)) {
      http.keyword = body[2];
      http.keywordMustBeAbsent = body[1] === '!=';
    } else if (certificate && goDurationSeconds(certificate[1]) !== undefined) {
      monitor.certificateAlertDays = Math.min(365, Math.ceil(goDurationSeconds(certificate[1])! / 86_400));
    } else left.push(condition);
  }
  if (statusSeen) {
    if (low <= high) http.expectedStatus = [[low, high]];
    else left.push('[STATUS] conditions that no status satisfies');
  }
  return left;
}

/**
 * A Gatus DNS endpoint (url: the server asked; dns: query-name, query-type) → a Vigie DNS monitor, with the
 * conditions it has no setting for; a string: why it cannot be one. `[DNS_RCODE] == NOERROR` is what a Vigie DNS
 * monitor requires anyway; `[BODY] == <answer>` is a value expected among the answers.
 */
function dnsMonitorOf(dns: Row, server: string, conditions: string[]): { monitor: Row; left: string[] } | string {
  const name = str(dns['query-name']);
  const type = String(dns['query-type'] ?? '').toUpperCase();
  if (!name) return 'a DNS endpoint needs dns.query-name';
  if (!(DNS_RECORD_TYPES as readonly string[]).includes(type)) {
    return `Vigie has no "${type}" DNS records (it checks ${DNS_RECORD_TYPES.join(', ')})`;
  }
  const expected: string[] = [];
  const left: string[] = [];
  for (const condition of conditions) {
    const body = /^\[BODY\]\s*==\s*(.+)$/.exec(condition.trim());
    if (/^\[DNS_RCODE\]\s*==\s*NOERROR$/i.test(condition.trim())) continue;
    if (body && !body[1]!.startsWith('pat(') && !body[1]!.startsWith('any('))
      expected.push(body[1]!.replace(/\.$/, ''));
    else left.push(condition);
  }
  const monitor: Row = {
    kind: 'dns',
    target: name,
    dns: { recordType: type, expected, match: 'contains', ...(server ? { resolver: server } : {}) },
  };
  return { monitor, left };
}

export function importGatus(config: unknown): ImportResult {
  if (!isPlainObject(config) || !Array.isArray(config.endpoints)) {
    throw new ValidationError('is not a Gatus configuration: expected a YAML mapping with endpoints', 'config');
  }
  const skipped: Skipped[] = [];
  const notes: Skipped[] = [];
  const result: ImportResult = { document: { monitors: [], channels: [] }, skipped, notes };

  const channelKeys = new Map<string, string>();
  for (const [provider, settings] of Object.entries(isPlainObject(config.alerting) ? config.alerting : {})) {
    const what = `alerting provider ${provider}`;
    const channel = isPlainObject(settings) ? channelOf(provider, settings) : null;
    if (!channel) {
      skipped.push({ what, reason: `Vigie has no "${provider}" channel` });
      continue;
    }
    const key = `gatus-${keyPart(provider)}`;
    channelKeys.set(provider, key);
    result.document.channels.push({
      key,
      name: `Gatus ${provider}`,
      kind: channel.kind,
      settings: defined(channel.settings),
      secrets: defined(channel.secrets),
    });
  }

  const keys = new Set<string>();
  /** A key of its own for each endpoint: gatus-<group>-<name>, numbered when two would share one. */
  const keyOf = (group: string | undefined, name: unknown) => {
    let key = `gatus-${keyPart(group ? `${group}-${name}` : String(name))}`;
    for (let n = 2; keys.has(key); n += 1) key = `${key.replace(/-\d+$/, '')}-${n}`;
    return key;
  };
  /** What endpoints and external endpoints share: enabled, group, alerts. */
  const addCommon = (endpoint: Row, monitor: Row & { key: string; name: string }, what: string) => {
    keys.add(monitor.key);
    const group = str(endpoint.group);
    if (endpoint.enabled === false) monitor.paused = true;
    if (group) {
      monitor.tags = [`group:${group}`.slice(0, 50)];
      monitor.group = group.slice(0, 100);
    }
    const channels: string[] = [];
    for (const alert of Array.isArray(endpoint.alerts) ? (endpoint.alerts as Row[]) : []) {
      const provider = String(alert.type);
      if (alert.enabled === false) continue;
      if (channelKeys.has(provider)) channels.push(channelKeys.get(provider)!);
      else notes.push({ what, reason: `alert "${provider}" has no Vigie channel: not linked` });
    }
    if (channels.length) monitor.channels = [...new Set(channels)];
    result.document.monitors.push(monitor);
  };

  for (const endpoint of config.endpoints as Row[]) {
    const group = str(endpoint.group);
    const what = `endpoint "${group ? `${group}/` : ''}${endpoint.name}"`;
    const url = str(endpoint.url) ?? '';
    const scheme = /^([a-z]+):\/\//.exec(url)?.[1];
    const key = keyOf(group, endpoint.name);
    const monitor: Row & { key: string; name: string } = { key, name: String(endpoint.name ?? key) };
    const http: Row = {};
    const conditions = Array.isArray(endpoint.conditions) ? endpoint.conditions.map(String) : [];
    let unmapped: string[] = conditions;
    if (isPlainObject(endpoint.dns)) {
      const mapped = dnsMonitorOf(endpoint.dns, url, conditions);
      if (typeof mapped === 'string') {
        skipped.push({ what, reason: mapped });
        continue;
      }
      Object.assign(monitor, mapped.monitor);
      unmapped = mapped.left;
    } else if (scheme === 'http' || scheme === 'https') {
      monitor.kind = 'http';
      monitor.target = url;
      if (str(endpoint.method)) http.method = String(endpoint.method).toUpperCase();
      if (str(endpoint.body)) http.body = endpoint.body;
      if (isPlainObject(endpoint.headers)) http.headers = endpoint.headers;
      if (isPlainObject(endpoint.client) && endpoint.client.insecure) http.ignoreTlsErrors = true;
    } else if (scheme === 'tcp') {
      monitor.kind = 'tcp';
      monitor.target = url.slice('tcp://'.length);
    } else if (scheme === 'icmp') {
      monitor.kind = 'icmp';
      monitor.target = url.slice('icmp://'.length);
    } else {
      skipped.push({ what, reason: `Vigie cannot check "${scheme ?? url}" endpoints` });
      continue;
    }
    const interval = endpoint.interval === undefined ? 60 : goDurationSeconds(endpoint.interval);
    if (interval === undefined)
      notes.push({ what, reason: `interval "${endpoint.interval}" is not a duration: the default is used` });
    else monitor.intervalSeconds = Math.min(Math.max(Math.round(interval), 1), 86_400);
    const assertions: string[] = [];
    const left = monitor.kind === 'dns' ? unmapped : applyConditions(unmapped, monitor, http);
    for (const condition of left) {
      // What has no setting of its own may still be an assertion ([BODY].status == UP reads the JSON body).
      if (monitor.kind === 'http' && isAssertion(condition)) assertions.push(condition.trim());
      else notes.push({ what, reason: `condition "${condition}" has no Vigie equivalent` });
    }
    if (assertions.length) monitor.assertions = assertions;
    if (monitor.kind === 'http' && Object.keys(http).length) monitor.http = http;
    addCommon(endpoint, monitor, what);
  }

  // Pushed to Gatus by a job: a heartbeat, expected every heartbeat.interval (Gatus gives no grace).
  for (const external of Array.isArray(config['external-endpoints']) ? (config['external-endpoints'] as Row[]) : []) {
    const group = str(external.group);
    const what = `external endpoint "${group ? `${group}/` : ''}${external.name}"`;
    const key = keyOf(group, external.name);
    const monitor: Row & { key: string; name: string } = {
      key,
      name: String(external.name ?? key),
      kind: 'push',
      graceSeconds: 0,
    };
    const heartbeat = isPlainObject(external.heartbeat) ? external.heartbeat : {};
    const interval = goDurationSeconds(heartbeat.interval);
    if (interval !== undefined && interval > 0) {
      monitor.intervalSeconds = Math.min(Math.max(Math.round(interval), 1), 86_400);
    } else {
      monitor.intervalSeconds = 86_400;
      notes.push({
        what,
        reason: 'no heartbeat.interval (Gatus then never expects an update): Vigie expects one a day; change it',
      });
    }
    notes.push({
      what,
      reason: "a heartbeat gets a ping URL in Vigie (url_ping): point the job there instead of Gatus' /external API",
    });
    addCommon(external, monitor, what);
  }
  return result;
}
