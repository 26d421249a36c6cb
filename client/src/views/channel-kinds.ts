// What each channel kind asks for: its settings (shown back) and secrets (write-only), with defaults and help, as
// the server validates them (server/alerts/channels/validation.ts). Plain data for the channel form.
import type { ChannelKind } from '../api/notification-documents.ts';
import { t } from '../i18n/index.ts';

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
  label: t('kinds.webhookUrl'),
  type: 'url',
  required: true,
  placeholder: example,
  hint: t('kinds.hookHint', { service }),
});

const apiUrl = (initial: string, hint: string): KindField => ({
  key: 'apiUrl',
  label: t('kinds.apiUrl'),
  type: 'url',
  initial,
  hint,
});

export const KINDS: Record<ChannelKind, KindSpec> = {
  WEBHOOK: {
    label: 'Webhook',
    summary: t('kinds.webhookSummary'),
    settings: [
      { key: 'url', label: 'URL', type: 'url', required: true, placeholder: 'https://example.com/hooks/vigie' },
    ],
    secrets: [
      {
        key: 'secret',
        label: t('kinds.signingSecret'),
        setFlag: 'hasSecret',
        hint: t('kinds.signingHint'),
      },
    ],
    shows: 'url',
  },
  EMAIL: {
    label: t('kinds.emailLabel'),
    summary: t('kinds.emailSummary'),
    settings: [
      { key: 'host', label: t('kinds.smtpHost'), required: true, placeholder: 'smtp.example.com' },
      {
        key: 'security',
        label: t('kinds.security'),
        type: 'select',
        initial: 'starttls',
        choices: [
          ['starttls', 'STARTTLS (port 587)'],
          ['tls', 'TLS (port 465)'],
          ['none', t('kinds.securityNone')],
        ],
      },
      { key: 'port', label: t('kinds.port'), type: 'number', hint: t('kinds.portHint') },
      { key: 'user', label: t('kinds.user'), hint: t('kinds.userHint') },
      { key: 'from', label: t('kinds.from'), type: 'email', required: true, placeholder: 'vigie@example.com' },
      {
        key: 'to',
        label: t('kinds.to'),
        type: 'emails',
        required: true,
        placeholder: 'oncall@example.com, ops@example.com',
        hint: t('kinds.toHint'),
      },
      { key: 'ignoreTlsErrors', label: t('kinds.ignoreTls'), type: 'checkbox' },
    ],
    secrets: [{ key: 'password', label: t('kinds.password'), setFlag: 'hasPassword', hint: t('kinds.passwordHint') }],
    shows: 'host',
  },
  SLACK: {
    label: 'Slack',
    summary: t('kinds.slackSummary'),
    settings: [],
    secrets: [hookUrl('Slack', 'https://hooks.slack.com/services/T000/B000/XXXX')],
    shows: 'url',
  },
  DISCORD: {
    label: 'Discord',
    summary: t('kinds.discordSummary'),
    settings: [],
    secrets: [hookUrl(t('kinds.discordService'), 'https://discord.com/api/webhooks/…')],
    shows: 'url',
  },
  NTFY: {
    label: 'ntfy',
    summary: t('kinds.ntfySummary'),
    settings: [
      {
        key: 'server',
        label: t('kinds.server'),
        type: 'url',
        initial: 'https://ntfy.sh',
        hint: t('kinds.ntfyServerHint'),
      },
      {
        key: 'topic',
        label: t('kinds.topic'),
        required: true,
        placeholder: 'vigie-alerts-7f3a',
        hint: t('kinds.topicHint'),
      },
      { key: 'priority', label: t('kinds.priority'), type: 'number', hint: t('kinds.ntfyPriorityHint') },
    ],
    secrets: [{ key: 'token', label: t('kinds.accessToken'), setFlag: 'hasToken', hint: t('kinds.ntfyTokenHint') }],
    shows: 'server',
  },
  TELEGRAM: {
    label: 'Telegram',
    summary: t('kinds.telegramSummary'),
    settings: [
      {
        key: 'chatId',
        label: t('kinds.chatId'),
        required: true,
        placeholder: '-1001234567890',
        hint: t('kinds.chatIdHint'),
      },
      apiUrl('https://api.telegram.org', t('kinds.telegramApiHint')),
    ],
    secrets: [{ key: 'botToken', label: t('kinds.botToken'), required: true, hint: t('kinds.botTokenHint') }],
    shows: 'chatId',
  },
  TEAMS: {
    label: 'Microsoft Teams',
    summary: t('kinds.teamsSummary'),
    settings: [],
    secrets: [hookUrl(t('kinds.teamsService'), 'https://…')],
    shows: 'url',
  },
  MATTERMOST: {
    label: 'Mattermost',
    summary: t('kinds.mattermostSummary'),
    settings: [],
    secrets: [hookUrl('Mattermost', 'https://chat.example.com/hooks/xxxx')],
    shows: 'url',
  },
  GOOGLE_CHAT: {
    label: 'Google Chat',
    summary: t('kinds.googleChatSummary'),
    settings: [],
    secrets: [hookUrl(t('kinds.googleChatService'), 'https://chat.googleapis.com/v1/spaces/…')],
    shows: 'url',
  },
  PAGERDUTY: {
    label: 'PagerDuty',
    summary: t('kinds.pagerDutySummary'),
    settings: [apiUrl('https://events.pagerduty.com', t('kinds.pagerDutyApiHint'))],
    secrets: [
      {
        key: 'routingKey',
        label: t('kinds.integrationKey'),
        required: true,
        hint: t('kinds.integrationKeyHint'),
      },
    ],
    shows: 'apiUrl',
  },
  OPSGENIE: {
    label: 'Opsgenie',
    summary: t('kinds.opsgenieSummary'),
    settings: [apiUrl('https://api.opsgenie.com', t('kinds.opsgenieApiHint'))],
    secrets: [{ key: 'apiKey', label: t('kinds.apiKey'), required: true, hint: t('kinds.apiKeyHint') }],
    shows: 'apiUrl',
  },
  PUSHOVER: {
    label: 'Pushover',
    summary: t('kinds.pushoverSummary'),
    settings: [
      { key: 'priority', label: t('kinds.priority'), type: 'number', hint: t('kinds.pushoverPriorityHint') },
      apiUrl('https://api.pushover.net', t('kinds.testsOnly')),
    ],
    secrets: [
      { key: 'appToken', label: t('kinds.appToken'), required: true, hint: t('kinds.thirtyChars') },
      { key: 'userKey', label: t('kinds.userKey'), required: true, hint: t('kinds.thirtyChars') },
    ],
  },
  GOTIFY: {
    label: 'Gotify',
    summary: t('kinds.gotifySummary'),
    settings: [
      {
        key: 'server',
        label: t('kinds.server'),
        type: 'url',
        required: true,
        placeholder: 'https://gotify.example.com',
      },
      { key: 'priority', label: t('kinds.priority'), type: 'number', hint: t('kinds.gotifyPriorityHint') },
    ],
    secrets: [{ key: 'token', label: t('kinds.appToken'), required: true }],
    shows: 'server',
  },
  MATRIX: {
    label: 'Matrix',
    summary: t('kinds.matrixSummary'),
    settings: [
      {
        key: 'homeserver',
        label: t('kinds.homeserver'),
        type: 'url',
        required: true,
        placeholder: 'https://matrix.example.org',
      },
      {
        key: 'roomId',
        label: t('kinds.roomId'),
        required: true,
        placeholder: '!abc123:example.org',
        hint: t('kinds.roomIdHint'),
      },
    ],
    secrets: [
      {
        key: 'accessToken',
        label: t('kinds.accessToken'),
        required: true,
        hint: t('kinds.matrixTokenHint'),
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
