// ntfy: JSON publishing to the server root (topic in the body), which avoids encoding titles into HTTP headers.
import type { ChannelSecrets, ChannelSettings, Notification, NotificationKind, SendOptions } from './types.ts';
import { composeMessage, messageBody, truncate } from './message.ts';
import { postToReceiver } from './http-post.ts';

// ntfy turns longer messages into attachments.
const MAX_MESSAGE_CHARS = 4000;

// 5 urgent … 1 min. The channel's priority, when set, replaces these for the alarming kinds only, so that a
// recovery or a test never rings like an outage.
const DEFAULT_PRIORITIES: Record<NotificationKind, number> = {
  DOWN: 5,
  REMINDER: 4,
  CHECKER_DEGRADED: 5,
  CERTIFICATE: 4,
  FLAPPING: 4,
  SLOW: 3,
  UP: 3,
  TEST: 3,
};
const ALARMING: ReadonlySet<NotificationKind> = new Set(['DOWN', 'REMINDER', 'CHECKER_DEGRADED']);

export interface NtfyPayload {
  topic: string;
  title: string;
  message: string;
  priority: number;
  tags: string[];
  click?: string;
}

export function ntfyPriority(kind: NotificationKind, configured: number | null): number {
  return configured !== null && ALARMING.has(kind) ? configured : DEFAULT_PRIORITIES[kind];
}

export function ntfyPayload(settings: ChannelSettings['ntfy'], notification: Notification): NtfyPayload {
  const message = composeMessage(notification);
  const click = /^https?:\/\//i.test(notification.dashboardUrl) ? notification.dashboardUrl : null;
  return {
    topic: settings.topic,
    title: message.title,
    message: truncate(messageBody(message), MAX_MESSAGE_CHARS),
    priority: ntfyPriority(notification.kind, settings.priority),
    // Plain words, not emoji short codes: the title already starts with an emoji.
    tags: ['vigie', notification.kind.toLowerCase()],
    ...(click ? { click } : {}),
  };
}

export async function sendNtfy(
  settings: ChannelSettings['ntfy'],
  secrets: ChannelSecrets['ntfy'],
  notification: Notification,
  options: SendOptions,
): Promise<void> {
  const headers: Record<string, string> = {};
  if (secrets.token) headers.Authorization = `Bearer ${secrets.token}`;
  await postToReceiver({
    what: 'ntfy server',
    url: `${settings.server.replace(/\/+$/, '')}/`,
    body: JSON.stringify(ntfyPayload(settings, notification)),
    headers,
    timeoutMs: options.timeoutMs,
    addressPolicy: options.addressPolicy,
    secrets: secrets.token ? [secrets.token] : [],
  });
}
