// Opsgenie Alert API: a DOWN creates an alert whose alias is the incident key, and the UP that ends the outage
// closes the alert by that alias. Reminders create it again (Opsgenie counts them on the open alert); notices that
// close nothing (slow, certificate, flapping, checker degraded, test) create an alert aliased by the delivery.
import type { ChannelSecrets, ChannelSettings, Notification, NotificationKind, SendOptions } from './types.ts';
import { composeMessage, messageText, truncate } from './message.ts';
import { postToReceiver } from './http-post.ts';

const PRIORITIES: Record<Exclude<NotificationKind, 'UP'>, 'P1' | 'P2' | 'P3' | 'P4' | 'P5'> = {
  DOWN: 'P1',
  REMINDER: 'P1',
  CHECKER_DEGRADED: 'P2',
  SLOW: 'P3',
  CERTIFICATE: 'P3',
  FLAPPING: 'P3',
  TEST: 'P5',
};

// Opsgenie's limits for these fields.
const MAX_MESSAGE_CHARS = 130;
const MAX_DESCRIPTION_CHARS = 15_000;
const MAX_ENTITY_CHARS = 512;

export interface OpsgenieRequest {
  /** Path and query under the API's base URL. */
  path: string;
  body: Record<string, unknown>;
}

/** The request for a notification, or null when there is nothing to do (an UP whose DOWN is not known). */
export function opsgenieRequest(notification: Notification): OpsgenieRequest | null {
  const message = composeMessage(notification);
  if (notification.kind === 'UP') {
    if (!notification.incidentKey) return null;
    return {
      path: `/v2/alerts/${encodeURIComponent(notification.incidentKey)}/close?identifierType=alias`,
      body: { source: 'Vigie', note: message.title },
    };
  }
  const opensIncident = notification.kind === 'DOWN' || notification.kind === 'REMINDER';
  const monitor = notification.monitor;
  return {
    path: '/v2/alerts',
    body: {
      message: truncate(message.title, MAX_MESSAGE_CHARS),
      alias: (opensIncident ? notification.incidentKey : null) ?? notification.idempotencyKey,
      description: truncate(messageText(notification), MAX_DESCRIPTION_CHARS),
      source: 'Vigie',
      ...(monitor ? { entity: truncate(monitor.name, MAX_ENTITY_CHARS) } : {}),
      tags: ['vigie', notification.kind.toLowerCase()],
      details: Object.fromEntries(message.fields.map((field) => [field.label, field.value])),
      priority: PRIORITIES[notification.kind],
    },
  };
}

export async function sendOpsgenie(
  settings: ChannelSettings['opsgenie'],
  secrets: ChannelSecrets['opsgenie'],
  notification: Notification,
  options: SendOptions,
): Promise<void> {
  const request = opsgenieRequest(notification);
  if (request === null) return;
  await postToReceiver({
    what: 'Opsgenie API',
    url: `${settings.apiUrl}${request.path}`,
    body: JSON.stringify(request.body),
    headers: { Authorization: `GenieKey ${secrets.apiKey}` },
    timeoutMs: options.timeoutMs,
    addressPolicy: options.addressPolicy,
    secrets: [secrets.apiKey],
  });
}
