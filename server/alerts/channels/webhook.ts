// Generic webhook: a JSON POST describing the alert, signed when the channel has a secret.
//
// Signature scheme (quoted by the README):
//   X-Vigie-Timestamp: <unix time in seconds when the request was sent>
//   X-Vigie-Signature: sha256=<lowercase hex HMAC-SHA256, keyed with the secret (UTF-8), of the UTF-8 bytes of
//                      `${timestamp}.${body}`>  — the timestamp header value, a dot, then the exact raw body.
// A receiver recomputes it over the raw body it read (before any JSON parsing), compares in constant time, and
// may refuse timestamps older than a few minutes to stop replays. Each retry is signed again with a new
// timestamp; the Idempotency-Key header and the body's idempotencyKey stay the same across retries.
import { createHmac } from 'node:crypto';
import { maskUrlSecrets } from '../../checks/index.ts';
import type { ChannelSecrets, ChannelSettings, Notification, SendOptions } from './types.ts';
import { messageText, composeMessage } from './message.ts';
import { postToReceiver } from './http-post.ts';

export interface WebhookPayload {
  idempotencyKey: string;
  event: Notification['kind'];
  title: string;
  alert: {
    id: number | null;
    kind: Notification['kind'];
    cause: string | null;
    occurredAt: string;
    outageSeconds: number | null;
    /** Seconds between the check and the alert, when it was raised late (after a database outage). */
    raisedLateSeconds: number | null;
  };
  monitor: { id: number; name: string; target: string } | null;
  /** The monitors depending on this one, whose own alerts wait while it is DOWN. */
  affectedMonitors: Notification['affectedMonitors'];
  dashboardUrl: string;
  text: string;
}

export function webhookPayload(notification: Notification): WebhookPayload {
  const monitor = notification.monitor;
  return {
    idempotencyKey: notification.idempotencyKey,
    event: notification.kind,
    title: composeMessage(notification).title,
    alert: {
      id: notification.alertId,
      kind: notification.kind,
      cause: notification.cause,
      occurredAt: notification.occurredAt.toISOString(),
      outageSeconds: notification.outageSeconds,
      raisedLateSeconds: notification.raisedLateSeconds,
    },
    monitor: monitor && { id: monitor.id, name: monitor.name, target: maskUrlSecrets(monitor.target) },
    affectedMonitors: notification.affectedMonitors,
    dashboardUrl: notification.dashboardUrl,
    text: messageText(notification),
  };
}

/** The value of X-Vigie-Signature for a body sent at `timestamp` (unix seconds). */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

export async function sendWebhook(
  settings: ChannelSettings['webhook'],
  secrets: ChannelSecrets['webhook'],
  notification: Notification,
  options: SendOptions,
): Promise<void> {
  const body = JSON.stringify(webhookPayload(notification));
  const headers: Record<string, string> = {
    'Idempotency-Key': notification.idempotencyKey,
    'X-Vigie-Event': notification.kind,
  };
  if (secrets.secret) {
    const timestamp = String(Math.floor(Date.now() / 1000));
    headers['X-Vigie-Timestamp'] = timestamp;
    headers['X-Vigie-Signature'] = webhookSignature(secrets.secret, timestamp, body);
  }
  await postToReceiver({
    what: 'webhook',
    url: settings.url,
    body,
    headers,
    timeoutMs: options.timeoutMs,
    addressPolicy: options.addressPolicy,
    secrets: secrets.secret ? [secrets.secret] : [],
  });
}
