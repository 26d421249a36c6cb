// PagerDuty Events API v2: a DOWN triggers an alert whose dedup_key is the incident key, and the UP that ends the
// outage resolves that same key. Reminders trigger it again (PagerDuty folds them into the open alert); notices
// that close nothing (slow, certificate, flapping, checker degraded, test) trigger an alert keyed by the delivery.
import { maskUrlSecrets } from '../../checks/index.ts';
import type { ChannelSecrets, ChannelSettings, Notification, NotificationKind, SendOptions } from './types.ts';
import { composeMessage, truncate } from './message.ts';
import { postToReceiver } from './http-post.ts';

type Severity = 'critical' | 'error' | 'warning' | 'info';

const SEVERITIES: Record<Exclude<NotificationKind, 'UP'>, Severity> = {
  DOWN: 'critical',
  REMINDER: 'critical',
  CHECKER_DEGRADED: 'error',
  SLOW: 'warning',
  CERTIFICATE: 'warning',
  FLAPPING: 'warning',
  TEST: 'info',
};

// PagerDuty's limits for these fields.
const MAX_SUMMARY_CHARS = 1024;
const MAX_SOURCE_CHARS = 255;

export type PagerDutyEvent =
  | {
      routing_key: string;
      event_action: 'trigger';
      dedup_key: string;
      payload: {
        summary: string;
        source: string;
        severity: Severity;
        timestamp: string;
        component?: string;
        class: string;
        custom_details: Record<string, string>;
      };
      client: 'Vigie';
      client_url?: string;
      links?: Array<{ href: string; text: string }>;
    }
  | { routing_key: string; event_action: 'resolve'; dedup_key: string };

/** The event for a notification, or null when there is nothing to do (an UP whose DOWN is not known). */
export function pagerDutyEvent(routingKey: string, notification: Notification): PagerDutyEvent | null {
  if (notification.kind === 'UP') {
    return notification.incidentKey
      ? { routing_key: routingKey, event_action: 'resolve', dedup_key: notification.incidentKey }
      : null;
  }
  const message = composeMessage(notification);
  const monitor = notification.monitor;
  const url = /^https?:\/\//i.test(notification.dashboardUrl) ? notification.dashboardUrl : null;
  const opensIncident = notification.kind === 'DOWN' || notification.kind === 'REMINDER';
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: (opensIncident ? notification.incidentKey : null) ?? notification.idempotencyKey,
    payload: {
      summary: truncate(message.title, MAX_SUMMARY_CHARS),
      source: truncate(monitor ? maskUrlSecrets(monitor.target) : 'Vigie', MAX_SOURCE_CHARS),
      severity: SEVERITIES[notification.kind],
      timestamp: notification.occurredAt.toISOString(),
      ...(monitor ? { component: truncate(monitor.name, MAX_SOURCE_CHARS) } : {}),
      class: notification.kind,
      custom_details: Object.fromEntries([
        ...(message.intro ? [['Note', message.intro]] : []),
        ...message.fields.map((field) => [field.label, field.value]),
      ]),
    },
    client: 'Vigie',
    ...(url ? { client_url: url, links: [{ href: url, text: 'Open in Vigie' }] } : {}),
  };
}

export async function sendPagerDuty(
  settings: ChannelSettings['pagerduty'],
  secrets: ChannelSecrets['pagerduty'],
  notification: Notification,
  options: SendOptions,
): Promise<void> {
  const event = pagerDutyEvent(secrets.routingKey, notification);
  if (event === null) return;
  await postToReceiver({
    what: 'PagerDuty Events API',
    url: `${settings.apiUrl}/v2/enqueue`,
    body: JSON.stringify(event),
    timeoutMs: options.timeoutMs,
    addressPolicy: options.addressPolicy,
    secrets: [secrets.routingKey],
  });
}
