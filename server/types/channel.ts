// Notification channels as stored: where alerts are sent, with each kind's settings and secrets.

export type ChannelKind =
  | 'webhook'
  | 'email'
  | 'slack'
  | 'discord'
  | 'ntfy'
  | 'telegram'
  | 'teams'
  | 'mattermost'
  | 'googlechat'
  | 'pagerduty'
  | 'opsgenie'
  | 'pushover'
  | 'gotify'
  | 'matrix';

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
  /** apiUrl: the Bot API's origin (https://api.telegram.org, or a local Bot API server); chatId: "-100…" or "@name". */
  telegram: { apiUrl: string; chatId: string };
  teams: Record<string, never>;
  mattermost: Record<string, never>;
  googlechat: Record<string, never>;
  /** apiUrl: https://events.pagerduty.com, or https://events.eu.pagerduty.com for an EU account. */
  pagerduty: { apiUrl: string };
  /** apiUrl: https://api.opsgenie.com, or https://api.eu.opsgenie.com for an EU account. */
  opsgenie: { apiUrl: string };
  /** priority: -2 to 2 for DOWN, reminders and checker degraded (others have their own); null for the defaults. */
  pushover: { apiUrl: string; priority: number | null };
  /** priority: 0 to 10 for DOWN, reminders and checker degraded (others have their own); null for the defaults. */
  gotify: { server: string; priority: number | null };
  /** homeserver: e.g. https://matrix.example.org; roomId: "!abc123:example.org" (not an alias). */
  matrix: { homeserver: string; roomId: string };
}

/** Write-only values: never returned by the API, never logged. */
export interface ChannelSecrets {
  webhook: { secret: string | null };
  email: { password: string | null };
  /** The incoming-webhook URL holds the token. */
  slack: { url: string };
  discord: { url: string };
  ntfy: { token: string | null };
  telegram: { botToken: string };
  /** The workflow's URL: its sig parameter is the token. */
  teams: { url: string };
  /** The incoming-webhook URL (…/hooks/<key>) holds the token. */
  mattermost: { url: string };
  /** The space's webhook URL: its key and token parameters are the secret. */
  googlechat: { url: string };
  /** The integration key of an Events API v2 integration of a service. */
  pagerduty: { routingKey: string };
  /** The key of an API integration (Create and Close alerts). */
  opsgenie: { apiKey: string };
  /** The application's API token, and the user (or group) key to notify. */
  pushover: { appToken: string; userKey: string };
  /** An application's token. */
  gotify: { token: string };
  /** The access token of the account that sends (a bot user that joined the room). */
  matrix: { accessToken: string };
}

export type ChannelConfig = {
  [K in ChannelKind]: { kind: K; settings: ChannelSettings[K]; secrets: ChannelSecrets[K] };
}[ChannelKind];

export type Channel = ChannelConfig & {
  id: number;
  name: string;
  /** A default channel hears about every monitor. */
  isDefault: boolean;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
};
