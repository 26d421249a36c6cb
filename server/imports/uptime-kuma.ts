// Uptime Kuma's JSON backup (Settings → Backup → Export: { version, notificationList, monitorList }, each monitor as
// server/model/monitor.js toJSON writes it) → a configuration document. Keys: uptime-kuma-<id>.
import { DNS_RECORD_TYPES } from '../checks/index.ts';
import { ValidationError } from '../errors.ts';
import { parseStatusRanges } from '../monitors/index.ts';
import { isPlainObject } from '../validation.ts';
import { defined, type ImportResult, type Row, type Skipped, str } from './types.ts';

const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** Kuma's notification config (a JSON string) → a Vigie channel's kind, settings and secrets; null: no such kind. */
function channelOf(config: Row): { kind: string; settings: Row; secrets: Row } | null {
  switch (config.type) {
    case 'smtp':
      return {
        kind: 'email',
        settings: {
          host: config.smtpHost,
          port: num(Number(config.smtpPort)),
          security: config.smtpSecure ? 'tls' : 'starttls',
          user: str(config.smtpUsername) ?? null,
          from: config.smtpFrom,
          to: String(config.smtpTo ?? '')
            .split(',')
            .map((address) => address.trim())
            .filter(Boolean),
          ignoreTlsErrors: Boolean(config.smtpIgnoreTLSError),
        },
        secrets: { password: str(config.smtpPassword) ?? null },
      };
    case 'webhook':
      return { kind: 'webhook', settings: { url: config.webhookURL }, secrets: {} };
    case 'slack':
      return { kind: 'slack', settings: {}, secrets: { url: config.slackwebhookURL } };
    case 'discord':
      return { kind: 'discord', settings: {}, secrets: { url: config.discordWebhookUrl } };
    case 'teams':
      return { kind: 'teams', settings: {}, secrets: { url: config.webhookUrl } };
    case 'mattermost':
      return { kind: 'mattermost', settings: {}, secrets: { url: config.mattermostWebhookUrl } };
    case 'GoogleChat':
      return { kind: 'googlechat', settings: {}, secrets: { url: config.googleChatWebhookURL } };
    case 'telegram':
      return {
        kind: 'telegram',
        settings: { chatId: config.telegramChatID },
        secrets: { botToken: config.telegramBotToken },
      };
    case 'ntfy':
      return {
        kind: 'ntfy',
        settings: {
          server: str(config.ntfyserverurl),
          topic: config.ntfytopic,
          priority: num(config.ntfyPriority) ?? null,
        },
        secrets: { token: str(config.ntfyaccesstoken) ?? null },
      };
    case 'gotify':
      return {
        kind: 'gotify',
        settings: { server: config.gotifyserverurl, priority: num(config.gotifyPriority) },
        secrets: { token: config.gotifyapplicationToken },
      };
    case 'pushover':
      return {
        kind: 'pushover',
        settings: { priority: num(Number(config.pushoverpriority)) ?? null },
        secrets: { appToken: config.pushoverapptoken, userKey: config.pushoveruserkey },
      };
    case 'PagerDuty':
      return { kind: 'pagerduty', settings: {}, secrets: { routingKey: config.pagerdutyIntegrationKey } };
    case 'Opsgenie':
      return { kind: 'opsgenie', settings: {}, secrets: { apiKey: config.opsgenieApiKey } };
    case 'matrix':
      return {
        kind: 'matrix',
        settings: { homeserver: config.homeserverUrl, roomId: config.internalRoomId },
        secrets: { accessToken: config.accessToken },
      };
    default:
      return null;
  }
}

export function importUptimeKuma(backup: unknown): ImportResult {
  if (!isPlainObject(backup) || !Array.isArray(backup.monitorList)) {
    throw new ValidationError('is not an Uptime Kuma backup: expected a JSON object with monitorList', 'backup');
  }
  const skipped: Skipped[] = [];
  const notes: Skipped[] = [];
  const result: ImportResult = { document: { monitors: [], channels: [] }, skipped, notes };

  const channelKeys = new Map<string, string>();
  for (const notification of (backup.notificationList as Row[] | undefined) ?? []) {
    const what = `notification "${notification.name}" (#${notification.id})`;
    let config: Row;
    try {
      config = typeof notification.config === 'string' ? JSON.parse(notification.config) : (notification.config as Row);
    } catch {
      skipped.push({ what, reason: 'its config is not valid JSON' });
      continue;
    }
    const channel = channelOf(config ?? {});
    if (!channel) {
      skipped.push({ what, reason: `Vigie has no "${String(config?.type)}" channel` });
      continue;
    }
    const key = `uptime-kuma-notification-${notification.id}`;
    channelKeys.set(String(notification.id), key);
    result.document.channels.push({
      key,
      name: String(notification.name ?? key),
      kind: channel.kind,
      settings: defined(channel.settings),
      secrets: defined(channel.secrets),
      isDefault: Boolean(notification.isDefault),
      enabled: notification.active !== false,
    });
  }

  // Uptime Kuma's groups are monitors of type "group" that others name as their parent: in Vigie, a group name.
  const groupNames = new Map(
    (backup.monitorList as Row[])
      .filter((monitor) => monitor.type === 'group' && str(monitor.name))
      .map((monitor) => [monitor.id, String(monitor.name).slice(0, 100)]),
  );
  for (const monitor of backup.monitorList as Row[]) {
    const what = `monitor "${monitor.name}" (#${monitor.id})`;
    const type = String(monitor.type);
    const base: Row = {
      key: `uptime-kuma-${monitor.id}`,
      name: String(monitor.name ?? ''),
    };
    if (groupNames.has(monitor.parent)) base.group = groupNames.get(monitor.parent);
    if (type === 'http' || type === 'keyword') {
      base.kind = 'http';
      base.target = monitor.url;
      const http: Row = {
        method: str(monitor.method)?.toUpperCase(),
        body: str(monitor.body) ?? null,
        ignoreTlsErrors: Boolean(monitor.ignoreTls),
        followRedirects: num(monitor.maxredirects) !== 0,
      };
      const statuses = monitor.accepted_statuscodes;
      if (Array.isArray(statuses) && statuses.length) {
        try {
          http.expectedStatus = parseStatusRanges(statuses.join(','));
        } catch (error) {
          notes.push({ what, reason: `accepted status codes left at the default: ${(error as Error).message}` });
        }
      }
      const headers: Record<string, string> = {};
      if (str(monitor.headers)) {
        try {
          Object.assign(headers, JSON.parse(String(monitor.headers)));
        } catch {
          notes.push({ what, reason: 'its headers are not valid JSON: left out' });
        }
      }
      if (monitor.authMethod === 'basic' && str(monitor.basic_auth_user)) {
        const credentials = `${monitor.basic_auth_user}:${monitor.basic_auth_pass ?? ''}`;
        headers.Authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
      } else if (str(monitor.authMethod) && monitor.authMethod !== 'basic') {
        notes.push({ what, reason: `authentication "${monitor.authMethod}" has no Vigie equivalent: left out` });
      }
      if (Object.keys(headers).length) http.headers = headers;
      if (type === 'keyword') {
        http.keyword = monitor.keyword;
        http.keywordMustBeAbsent = Boolean(monitor.invertKeyword);
      }
      base.http = defined(http);
    } else if (type === 'port') {
      base.kind = 'tcp';
      base.target = `${monitor.hostname}:${monitor.port}`;
    } else if (type === 'ping') {
      base.kind = 'icmp';
      base.target = monitor.hostname;
    } else if (type === 'push') {
      base.kind = 'push';
      notes.push({
        what,
        reason: 'a heartbeat gets a new ping URL in Vigie (url_ping): point the job that pings it there',
      });
    } else if (type === 'dns' && (DNS_RECORD_TYPES as readonly unknown[]).includes(monitor.dns_resolve_type)) {
      base.kind = 'dns';
      base.target = monitor.hostname;
      const port = num(monitor.port);
      const server = str(monitor.dns_resolve_server);
      // Uptime Kuma checks that the name resolves, whatever to: no expected values, as there.
      base.dns = {
        recordType: monitor.dns_resolve_type,
        resolver: server ? (port && port !== 53 ? `${server}:${port}` : server) : null,
      };
    } else {
      const reasons: Record<string, string> = {
        dns: `Vigie has no "${String(monitor.dns_resolve_type)}" DNS records (it checks ${DNS_RECORD_TYPES.join(', ')})`,
        group: 'a group, not a monitor in Vigie: its monitors are listed under its name',
      };
      skipped.push({ what, reason: reasons[type] ?? `Vigie has no "${type}" monitors` });
      continue;
    }
    if (monitor.upsideDown) {
      skipped.push({ what, reason: 'upside-down mode (DOWN when reachable) has no Vigie equivalent' });
      continue;
    }
    const interval = num(monitor.interval);
    if (interval !== undefined) base.intervalSeconds = Math.min(Math.max(Math.round(interval), 1), 86_400);
    const timeout = num(monitor.timeout);
    if (timeout !== undefined && timeout > 0) base.timeoutSeconds = Math.min(timeout, 300, interval ?? 300);
    const retries = num(monitor.maxretries);
    // Kuma retries that many times before DOWN; Vigie counts the consecutive failures that make a DOWN.
    if (retries !== undefined) base.retries = Math.min(Math.max(Math.round(retries) + 1, 1), 100);
    if (monitor.active === false) base.paused = true;
    const tags = ((monitor.tags as Row[] | undefined) ?? [])
      .map((tag) => (str(tag.value) ? `${tag.name}:${tag.value}` : String(tag.name ?? '')))
      .filter(Boolean);
    if (tags.length) base.tags = [...new Set(tags)].map((tag) => tag.slice(0, 50));
    const linked = Object.entries((monitor.notificationIDList as Row | undefined) ?? {})
      .filter(([, on]) => on)
      .map(([id]) => id);
    const channels = linked.flatMap((id) => (channelKeys.has(id) ? [channelKeys.get(id)!] : []));
    if (channels.length < linked.length) {
      notes.push({ what, reason: 'notifications without a matching Vigie channel were not linked' });
    }
    if (channels.length) base.channels = channels;
    result.document.monitors.push(base as ImportResult['document']['monitors'][number]);
  }
  return result;
}
