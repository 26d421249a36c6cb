// Pushover: one message through the Messages API, as plain text; an emergency priority (2) repeats until
// acknowledged, for an hour at most.
import type { ChannelSecrets, ChannelSettings, Notification, NotificationKind, SendOptions } from './types.ts';
import { composeMessage, messageBody, truncate } from './message.ts';
import { postToReceiver } from './http-post.ts';

// Pushover's limits.
const MAX_TITLE_CHARS = 250;
const MAX_MESSAGE_CHARS = 1024;
// For priority 2: repeat every minute for at most an hour, unless acknowledged.
const EMERGENCY = { retry: 60, expire: 3600 } as const;

// -2 silent … 2 emergency. The channel's priority, when set, replaces these for the alarming kinds only, so that
// a recovery or a test never rings like an outage.
const DEFAULT_PRIORITIES: Record<NotificationKind, number> = {
  DOWN: 1,
  REMINDER: 1,
  CHECKER_DEGRADED: 1,
  CERTIFICATE: 0,
  FLAPPING: 0,
  SLOW: 0,
  UP: 0,
  TEST: 0,
};
const ALARMING: ReadonlySet<NotificationKind> = new Set(['DOWN', 'REMINDER', 'CHECKER_DEGRADED']);

export function pushoverPriority(kind: NotificationKind, configured: number | null): number {
  return configured !== null && ALARMING.has(kind) ? configured : DEFAULT_PRIORITIES[kind];
}

export function pushoverPayload(
  settings: ChannelSettings['pushover'],
  secrets: ChannelSecrets['pushover'],
  notification: Notification,
): Record<string, string | number> {
  const message = composeMessage(notification);
  const priority = pushoverPriority(notification.kind, settings.priority);
  const url = /^https?:\/\//i.test(notification.dashboardUrl) ? notification.dashboardUrl : null;
  return {
    token: secrets.appToken,
    user: secrets.userKey,
    title: truncate(message.title, MAX_TITLE_CHARS),
    message: truncate(messageBody(message), MAX_MESSAGE_CHARS),
    priority,
    ...(priority === 2 ? EMERGENCY : {}),
    timestamp: Math.floor(notification.occurredAt.getTime() / 1000),
    ...(url ? { url, url_title: 'Open in Vigie' } : {}),
  };
}

export async function sendPushover(
  settings: ChannelSettings['pushover'],
  secrets: ChannelSecrets['pushover'],
  notification: Notification,
  options: SendOptions,
): Promise<void> {
  await postToReceiver({
    what: 'Pushover API',
    url: `${settings.apiUrl}/1/messages.json`,
    body: JSON.stringify(pushoverPayload(settings, secrets, notification)),
    timeoutMs: options.timeoutMs,
    addressPolicy: options.addressPolicy,
    secrets: [secrets.appToken, secrets.userKey],
  });
}
