// Notification channels: where alerts are sent, and what a sent notification says.
import type { AddressPolicy } from '../../checks/index.ts';

export type ChannelKind = 'webhook' | 'email' | 'slack' | 'discord' | 'ntfy';

/** Settings that may be shown back to users. */
export interface ChannelSettings {
  webhook: { url: string };
  email: {
    host: string;
    port: number;
    /** 'tls': TLS from the start (port 465); 'starttls': upgrade required; 'none': plain (tests, local relays). */
    security: 'tls' | 'starttls' | 'none';
    user: string | null;
    from: string;
    to: string[];
    /** Accept a self-signed certificate of the SMTP server. */
    ignoreTlsErrors: boolean;
  };
  slack: Record<string, never>;
  discord: Record<string, never>;
  ntfy: { server: string; topic: string; priority: number | null };
}

/** Write-only values: never returned by the API, never logged. */
export interface ChannelSecrets {
  webhook: { secret: string | null };
  email: { password: string | null };
  /** The incoming-webhook URL holds the token. */
  slack: { url: string };
  discord: { url: string };
  ntfy: { token: string | null };
}

export type ChannelConfig = {
  [K in ChannelKind]: { kind: K; settings: ChannelSettings[K]; secrets: ChannelSecrets[K] };
}[ChannelKind];

export type NotificationKind = 'DOWN' | 'UP' | 'SLOW' | 'CERTIFICATE' | 'FLAPPING' | 'REMINDER' | 'CHECKER_DEGRADED' | 'TEST';

export interface Notification {
  /** Stable across retries: alert id and channel id (e.g. "alert-42-channel-3"). Receivers drop repeats by it. */
  idempotencyKey: string;
  alertId: number | null;
  kind: NotificationKind;
  /** null for notices about Vigie itself (checker degraded, test). */
  monitor: { id: number; name: string; target: string } | null;
  cause: string | null;
  occurredAt: Date;
  /** For UP: how long the outage lasted. */
  outageSeconds: number | null;
  /** Link to the monitor (or the dashboard) in Vigie's UI. */
  dashboardUrl: string;
}

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
}
