// Gotify: one message to a self-hosted server, with the application token in X-Gotify-Key (not in the URL, where
// proxies log it) and the dashboard link as the notification's click target.
import type { ChannelSecrets, ChannelSettings, Notification, NotificationKind, SendOptions } from './types.ts';
import { composeMessage, messageBody, truncate } from './message.ts';
import { postToReceiver } from './http-post.ts';

const MAX_MESSAGE_CHARS = 4000;

// 0 … 10: the Android app rings from 8, shows silently below 4. The channel's priority, when set, replaces these
// for the alarming kinds only, so that a recovery or a test never rings like an outage.
const DEFAULT_PRIORITIES: Record<NotificationKind, number> = {
  DOWN: 8,
  REMINDER: 8,
  CHECKER_DEGRADED: 8,
  CERTIFICATE: 5,
  FLAPPING: 5,
  SLOW: 5,
  UP: 5,
  TEST: 5,
};
const ALARMING: ReadonlySet<NotificationKind> = new Set(['DOWN', 'REMINDER', 'CHECKER_DEGRADED']);

export function gotifyPriority(kind: NotificationKind, configured: number | null): number {
  return configured !== null && ALARMING.has(kind) ? configured : DEFAULT_PRIORITIES[kind];
}

export interface GotifyPayload {
  title: string;
  message: string;
  priority: number;
  extras: Record<string, unknown>;
}

export function gotifyPayload(settings: ChannelSettings['gotify'], notification: Notification): GotifyPayload {
  const message = composeMessage(notification);
  const url = /^https?:\/\//i.test(notification.dashboardUrl) ? notification.dashboardUrl : null;
  return {
    title: message.title,
    message: truncate(messageBody(message), MAX_MESSAGE_CHARS),
    priority: gotifyPriority(notification.kind, settings.priority),
    extras: {
      // Shown as written: Gotify would render markdown otherwise.
      'client::display': { contentType: 'text/plain' },
      ...(url ? { 'client::notification': { click: { url } } } : {}),
    },
  };
}

export async function sendGotify(
  settings: ChannelSettings['gotify'],
  secrets: ChannelSecrets['gotify'],
  notification: Notification,
  options: SendOptions,
): Promise<void> {
  await postToReceiver({
    what: 'Gotify server',
    url: `${settings.server}/message`,
    body: JSON.stringify(gotifyPayload(settings, notification)),
    headers: { 'X-Gotify-Key': secrets.token },
    timeoutMs: options.timeoutMs,
    addressPolicy: options.addressPolicy,
    secrets: [secrets.token],
  });
}
