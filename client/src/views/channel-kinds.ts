// What each channel kind asks for: its settings (shown back) and secrets (write-only), with defaults and help, as
// the server validates them (server/alerts/channels/validation.ts). Plain data for the channel form.
import type { ChannelKind } from '../api/notification-documents.ts';

export type KindFieldType = 'text' | 'url' | 'number' | 'email' | 'emails' | 'select' | 'checkbox';

export interface KindField {
  /** The key in settings or secrets. */
  key: string;
  label: string;
  hint?: string;
  placeholder?: string;
  type?: KindFieldType;
  choices?: Array<[string, string]>;
  /** Required to create (for a secret: to create; on edit, empty keeps the stored value). */
  required?: boolean;
  /** The value a new channel starts with. */
  initial?: string;
  /** Secrets only: the settings flag saying whether it is set (hasSecret…); absent: a required secret, always set. */
  setFlag?: string;
}

export interface KindSpec {
  label: string;
  summary: string;
  settings: KindField[];
  secrets: KindField[];
  /** The setting that best names where it sends, for the list (a secret URL shows redacted). */
  shows?: string;
}

const hookUrl = (service: string, example: string): KindField => ({
  key: 'url',
  label: 'Webhook URL',
  type: 'url',
  required: true,
  placeholder: example,
  hint: `The incoming webhook ${service} gives you. It holds a token: it is kept secret and never shown again.`,
});

const apiUrl = (initial: string, hint: string): KindField => ({
  key: 'apiUrl',
  label: 'API URL',
  type: 'url',
  initial,
  hint,
});

export const KINDS: Record<ChannelKind, KindSpec> = {
  WEBHOOK: {
    label: 'Webhook',
    summary: 'A JSON POST for each alert, signed with HMAC-SHA256 when a secret is set.',
    settings: [
      { key: 'url', label: 'URL', type: 'url', required: true, placeholder: 'https://example.com/hooks/vigie' },
    ],
    secrets: [
      {
        key: 'secret',
        label: 'Signing secret',
        setFlag: 'hasSecret',
        hint: 'Optional. Requests then carry X-Vigie-Timestamp and X-Vigie-Signature (sha256 of "timestamp.body").',
      },
    ],
    shows: 'url',
  },
  EMAIL: {
    label: 'Email (SMTP)',
    summary: 'An email through your SMTP server.',
    settings: [
      { key: 'host', label: 'SMTP host', required: true, placeholder: 'smtp.example.com' },
      {
        key: 'security',
        label: 'Security',
        type: 'select',
        initial: 'starttls',
        choices: [
          ['starttls', 'STARTTLS (port 587)'],
          ['tls', 'TLS (port 465)'],
          ['none', 'None (port 25, local relays only)'],
        ],
      },
      { key: 'port', label: 'Port', type: 'number', hint: 'Empty: the usual port of the security chosen.' },
      { key: 'user', label: 'User name', hint: 'Empty when the server needs no login.' },
      { key: 'from', label: 'From', type: 'email', required: true, placeholder: 'vigie@example.com' },
      {
        key: 'to',
        label: 'To',
        type: 'emails',
        required: true,
        placeholder: 'oncall@example.com, ops@example.com',
        hint: 'Comma-separated, up to 50 addresses.',
      },
      { key: 'ignoreTlsErrors', label: 'Accept a self-signed certificate of the SMTP server', type: 'checkbox' },
    ],
    secrets: [{ key: 'password', label: 'Password', setFlag: 'hasPassword', hint: 'Needed when a user name is set.' }],
    shows: 'host',
  },
  SLACK: {
    label: 'Slack',
    summary: 'A message in a Slack channel, through an incoming webhook.',
    settings: [],
    secrets: [hookUrl('Slack', 'https://hooks.slack.com/services/T000/B000/XXXX')],
    shows: 'url',
  },
  DISCORD: {
    label: 'Discord',
    summary: 'A message in a Discord channel, through its webhook.',
    settings: [],
    secrets: [hookUrl('Discord (channel settings, Integrations)', 'https://discord.com/api/webhooks/…')],
    shows: 'url',
  },
  NTFY: {
    label: 'ntfy',
    summary: 'A push notification on an ntfy topic.',
    settings: [
      { key: 'server', label: 'Server', type: 'url', initial: 'https://ntfy.sh', hint: 'ntfy.sh or your own server.' },
      {
        key: 'topic',
        label: 'Topic',
        required: true,
        placeholder: 'vigie-alerts-7f3a',
        hint: 'On a public server, whoever knows the topic reads it: pick one hard to guess. Shown hidden afterwards.',
      },
      { key: 'priority', label: 'Priority', type: 'number', hint: '1 (min) to 5 (urgent); empty: ntfy’s default.' },
    ],
    secrets: [{ key: 'token', label: 'Access token', setFlag: 'hasToken', hint: 'Optional: for protected topics.' }],
    shows: 'server',
  },
  TELEGRAM: {
    label: 'Telegram',
    summary: 'A message in a Telegram chat, sent by your bot.',
    settings: [
      {
        key: 'chatId',
        label: 'Chat id',
        required: true,
        placeholder: '-1001234567890',
        hint: 'A numeric id or @channelname; the bot must be a member.',
      },
      apiUrl('https://api.telegram.org', 'Change only for a local Bot API server.'),
    ],
    secrets: [{ key: 'botToken', label: 'Bot token', required: true, hint: 'From @BotFather, e.g. 123456789:AAE…' }],
    shows: 'chatId',
  },
  TEAMS: {
    label: 'Microsoft Teams',
    summary: 'An Adaptive Card in a Teams channel, through a workflow webhook.',
    settings: [],
    secrets: [hookUrl('a Teams workflow (“Post to a channel when a webhook request is received”)', 'https://…')],
    shows: 'url',
  },
  MATTERMOST: {
    label: 'Mattermost',
    summary: 'A message in a Mattermost channel, through an incoming webhook.',
    settings: [],
    secrets: [hookUrl('Mattermost', 'https://chat.example.com/hooks/xxxx')],
    shows: 'url',
  },
  GOOGLE_CHAT: {
    label: 'Google Chat',
    summary: 'A card in a Google Chat space, through its webhook.',
    settings: [],
    secrets: [hookUrl('the space (Apps & integrations, Webhooks)', 'https://chat.googleapis.com/v1/spaces/…')],
    shows: 'url',
  },
  PAGERDUTY: {
    label: 'PagerDuty',
    summary: 'A DOWN triggers a PagerDuty incident; its UP resolves it (Events API v2).',
    settings: [apiUrl('https://events.pagerduty.com', 'https://events.eu.pagerduty.com for an EU account.')],
    secrets: [
      {
        key: 'routingKey',
        label: 'Integration key',
        required: true,
        hint: 'Of an “Events API v2” integration of the service: 32 letters and digits.',
      },
    ],
    shows: 'apiUrl',
  },
  OPSGENIE: {
    label: 'Opsgenie',
    summary: 'A DOWN creates an Opsgenie alert; its UP closes it.',
    settings: [apiUrl('https://api.opsgenie.com', 'https://api.eu.opsgenie.com for an EU account.')],
    secrets: [{ key: 'apiKey', label: 'API key', required: true, hint: 'Of an API integration (Create and Close).' }],
    shows: 'apiUrl',
  },
  PUSHOVER: {
    label: 'Pushover',
    summary: 'A push notification to a Pushover user or group.',
    settings: [
      { key: 'priority', label: 'Priority', type: 'number', hint: '-2 (lowest) to 2 (emergency); empty: normal.' },
      apiUrl('https://api.pushover.net', 'Change only for tests.'),
    ],
    secrets: [
      { key: 'appToken', label: 'Application token', required: true, hint: '30 letters and digits.' },
      { key: 'userKey', label: 'User or group key', required: true, hint: '30 letters and digits.' },
    ],
  },
  GOTIFY: {
    label: 'Gotify',
    summary: 'A message to a Gotify server’s application.',
    settings: [
      { key: 'server', label: 'Server', type: 'url', required: true, placeholder: 'https://gotify.example.com' },
      { key: 'priority', label: 'Priority', type: 'number', hint: '0 to 10; empty: Gotify’s default.' },
    ],
    secrets: [{ key: 'token', label: 'Application token', required: true }],
    shows: 'server',
  },
  MATRIX: {
    label: 'Matrix',
    summary: 'A notice in a Matrix room.',
    settings: [
      {
        key: 'homeserver',
        label: 'Homeserver',
        type: 'url',
        required: true,
        placeholder: 'https://matrix.example.org',
      },
      {
        key: 'roomId',
        label: 'Room id',
        required: true,
        placeholder: '!abc123:example.org',
        hint: 'Room settings, Advanced: the id, not an alias.',
      },
    ],
    secrets: [
      {
        key: 'accessToken',
        label: 'Access token',
        required: true,
        hint: 'Of the account that sends (a bot user that joined the room).',
      },
    ],
    shows: 'roomId',
  },
};

export const KIND_ORDER = Object.keys(KINDS) as ChannelKind[];

/** A channel's settings as the API sends them: a JSON object. */
export function settingsOf(channel: { settings: unknown }): Record<string, unknown> {
  return (channel.settings ?? {}) as Record<string, unknown>;
}

/** Whether a channel's secret is set, from its public settings. */
export function secretIsSet(field: KindField, settings: Record<string, unknown>): boolean {
  return field.setFlag ? settings[field.setFlag] === true : true;
}

/** A form's text for a setting as the API returns it. */
export function settingText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

/** A setting as the API takes it, from the form's text; undefined leaves it out (the server's default). */
export function settingValue(field: KindField, text: string | boolean): unknown {
  if (field.type === 'checkbox') return Boolean(text);
  const value = String(text).trim();
  if (value === '') return field.key === 'user' || field.key === 'priority' ? null : undefined;
  if (field.type === 'number') return Number(value);
  if (field.type === 'emails')
    return value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  return value;
}
