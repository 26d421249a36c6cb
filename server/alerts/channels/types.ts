// Notification channels: where alerts are sent, and what a sent notification says.
import type { AddressPolicy } from '../../checks/index.ts';
import type { ChannelSettings } from '../../types/index.ts';

// Channels as stored, with each kind's settings and secrets, live in types/, where db/ maps them.
export type { Channel, ChannelConfig, ChannelKind, ChannelSecrets, ChannelSettings } from '../../types/index.ts';

export type NotificationKind =
  | 'DOWN'
  | 'UP'
  | 'SLOW'
  | 'CERTIFICATE'
  | 'FLAPPING'
  | 'REMINDER'
  | 'CHECKER_DEGRADED'
  | 'TEST';

export interface Notification {
  /** Stable across retries: alert id and channel id (e.g. "alert-42-channel-3"). Receivers drop repeats by it. */
  idempotencyKey: string;
  alertId: number | null;
  /**
   * What the receiver's incident is known by, for channels that open and close incidents (PagerDuty, Opsgenie):
   * "vigie-monitor-<monitor id>-down-<DOWN alert id>", the same for the DOWN, its reminders and the UP that ends
   * it; null for other kinds, or for an UP or a reminder whose DOWN is not known.
   */
  incidentKey: string | null;
  kind: NotificationKind;
  /** null for notices about Vigie itself (checker degraded, test). */
  monitor: { id: number; name: string; target: string } | null;
  cause: string | null;
  occurredAt: Date;
  /** For UP: how long the outage lasted. */
  outageSeconds: number | null;
  /** Set when the alert was raised this long after its check (its result waited through a database outage). */
  raisedLateSeconds: number | null;
  /**
   * For a DOWN, UP or reminder: the monitors depending on this one (directly or not), with their state; their own
   * alerts are not sent while it is DOWN. Empty for others.
   */
  affectedMonitors: AffectedMonitor[];
  /** Link to the monitor (or the dashboard) in Vigie's UI. */
  dashboardUrl: string;
}

export interface AffectedMonitor {
  id: number;
  name: string;
  /** PENDING, UP, DOWN or PAUSED. */
  status: string;
}

/**
 * The channel settings that delivery errors (test sends, delivery logs) may name, as the domain and GraphQL spell
 * them ("settings.ignoreTlsErrors"): REST names them as its clients write them ("parametres.ignoreTlsErrors").
 * The text of a delivery error is stored, so the names are mapped when it is shown, not when it is made.
 */
export const DELIVERY_ERROR_FIELDS = ['settings.security', 'settings.ignoreTlsErrors'] as const;

/** A failed send; `retryable` false means trying again cannot help (e.g. a 4xx other than 408/429). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** When the receiver asked for a pause (HTTP 429/503 Retry-After), in milliseconds. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface SendOptions {
  /** Deadline for the whole exchange (connect, send, answer). */
  timeoutMs: number;
  /**
   * Which addresses a send may connect to, checked after DNS (default STRICT_ADDRESS_POLICY: no link-local or
   * cloud metadata address). A refused address fails the delivery for good.
   */
  addressPolicy?: AddressPolicy;
}

/** What the API may show of a channel: settings, whether each secret is set, webhook URLs without their token. */
export interface PublicChannelSettings {
  webhook: ChannelSettings['webhook'] & { hasSecret: boolean };
  email: ChannelSettings['email'] & { hasPassword: boolean };
  /** e.g. "https://hooks.slack.com/services/…" */
  slack: { url: string };
  discord: { url: string };
  ntfy: ChannelSettings['ntfy'] & { hasToken: boolean };
  telegram: ChannelSettings['telegram'] & { hasBotToken: boolean };
  teams: { url: string };
  mattermost: { url: string };
  googlechat: { url: string };
  pagerduty: ChannelSettings['pagerduty'] & { hasRoutingKey: boolean };
  opsgenie: ChannelSettings['opsgenie'] & { hasApiKey: boolean };
  pushover: ChannelSettings['pushover'] & { hasAppToken: boolean; hasUserKey: boolean };
  gotify: ChannelSettings['gotify'] & { hasToken: boolean };
  matrix: ChannelSettings['matrix'] & { hasAccessToken: boolean };
}
