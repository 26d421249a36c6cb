// Channel input validation (field and message of each refusal, defaults) and what may be shown of a channel.
import { describe, expect, it } from 'vitest';
import { ALL_CHANNEL_KINDS, publicSettings, validateChannelInput } from '../../../server/alerts/channels/index.ts';
import type { ChannelConfig, ChannelKind } from '../../../server/alerts/channels/index.ts';
import { ValidationError } from '../../../server/errors.ts';

const SLACK_URL = 'https://hooks.slack.com/services/T0ABCDEF1/B0ABCDEF2/xoxSlackToken1234567890';
const DISCORD_URL = 'https://discord.com/api/webhooks/112233445566778899/DiscordTokenAbcdefghijklmnop';
const TELEGRAM_TOKEN = '123456789:AAEsecretBotTokenAbcdefghijklmnop';
const EMAIL = { host: 'smtp.example.com', from: 'vigie@example.com', to: ['ops@example.com'] };

function refusal(
  kind: ChannelKind,
  settings: unknown,
  secrets: unknown,
): { field: string | undefined; message: string } {
  try {
    validateChannelInput(kind, settings, secrets);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return { field: (error as ValidationError).field, message: (error as ValidationError).message };
  }
  throw new Error('expected a ValidationError');
}

describe('validateChannelInput', () => {
  it('fills in the defaults of each kind', () => {
    expect(validateChannelInput('webhook', { url: 'https://example.com/hook' }, undefined)).toEqual({
      settings: { url: 'https://example.com/hook' },
      secrets: { secret: null },
    });
    expect(validateChannelInput('email', EMAIL, {})).toEqual({
      settings: { ...EMAIL, port: 587, security: 'starttls', user: null, ignoreTlsErrors: false },
      secrets: { password: null },
    });
    expect(
      validateChannelInput('email', { ...EMAIL, security: 'tls', user: 'me' }, { password: 'pw' }).settings.port,
    ).toBe(465);
    expect(validateChannelInput('slack', undefined, { url: SLACK_URL })).toEqual({
      settings: {},
      secrets: { url: SLACK_URL },
    });
    expect(validateChannelInput('ntfy', { topic: 'vigie_alerts-1' }, {})).toEqual({
      settings: { server: 'https://ntfy.sh', topic: 'vigie_alerts-1', priority: null },
      secrets: { token: null },
    });
    expect(
      validateChannelInput('ntfy', { server: 'http://10.0.0.5:8080/', topic: 't', priority: 4 }, { token: 'tk_1' })
        .settings.server,
    ).toBe('http://10.0.0.5:8080');
    expect(validateChannelInput('telegram', { chatId: -100123 }, { botToken: TELEGRAM_TOKEN })).toEqual({
      settings: { apiUrl: 'https://api.telegram.org', chatId: '-100123' },
      secrets: { botToken: TELEGRAM_TOKEN },
    });
    expect(ALL_CHANNEL_KINDS).toEqual([
      'webhook',
      'email',
      'slack',
      'discord',
      'ntfy',
      'telegram',
      'teams',
      'mattermost',
      'googlechat',
      'pagerduty',
      'opsgenie',
      'pushover',
      'gotify',
      'matrix',
    ]);
  });

  it.each([
    ['webhook', {}, {}, 'settings.url', 'is required'],
    ['webhook', { url: 'ftp://example.com/x' }, {}, 'settings.url', 'must start with http:// or https://'],
    ['webhook', { url: 'not a url' }, {}, 'settings.url', 'must be a URL such as https://example.com/hook'],
    ['webhook', { url: 'https://user:pw@example.com/' }, {}, 'settings.url', 'cannot contain a user name or password'],
    ['webhook', { url: 'https://example.com/', secret: 'x' }, {}, 'settings', 'unknown field secret'],
    [
      'webhook',
      { url: 'https://example.com/' },
      { secret: '' },
      'secrets.secret',
      'cannot be empty (use null for none)',
    ],
    ['webhook', 'https://example.com/', {}, 'settings', 'must be an object'],
    ['webhook', { url: 'https://example.com/\u0000' }, {}, 'settings.url', 'cannot contain a NUL byte'],
    ['email', { ...EMAIL, port: 0 }, {}, 'settings.port', 'must be between 1 and 65535'],
    ['email', { ...EMAIL, port: 65536 }, {}, 'settings.port', 'must be between 1 and 65535'],
    ['email', { ...EMAIL, port: 25.5 }, {}, 'settings.port', 'must be a whole number'],
    ['email', { ...EMAIL, host: 'smtp example' }, {}, 'settings.host', 'must be a host name or an IP address'],
    ['email', { ...EMAIL, security: 'ssl' }, {}, 'settings.security', 'must be one of tls, starttls, none'],
    ['email', { ...EMAIL, from: 'vigie' }, {}, 'settings.from', 'must be an email address such as alerts@example.com'],
    ['email', { ...EMAIL, to: [] }, {}, 'settings.to', 'must list at least one address'],
    ['email', { ...EMAIL, to: 'ops@example.com' }, {}, 'settings.to', 'must be a list of email addresses'],
    [
      'email',
      { ...EMAIL, to: ['ops@example.com', 'x@y.com\r\nBcc: z@w.com'] },
      {},
      'settings.to.1',
      'must be an email address such as alerts@example.com',
    ],
    [
      'email',
      { ...EMAIL, to: Array.from({ length: 51 }, (_, i) => `u${i}@example.com`) },
      {},
      'settings.to',
      'must list at most 50 addresses',
    ],
    ['email', { ...EMAIL, user: 'me' }, {}, 'secrets.password', 'is required when settings.user is set'],
    ['email', EMAIL, { password: 'pw' }, 'secrets.password', 'needs settings.user to be set as well'],
    ['email', { ...EMAIL, user: 'me' }, { password: 'p\u0000w' }, 'secrets.password', 'cannot contain a NUL byte'],
    ['slack', {}, {}, 'secrets.url', 'is required'],
    ['discord', { url: DISCORD_URL }, { url: DISCORD_URL }, 'settings', 'unknown field url'],
    ['discord', {}, { url: 'javascript:alert(1)' }, 'secrets.url', 'must start with http:// or https://'],
    ['ntfy', {}, {}, 'settings.topic', 'is required'],
    ['ntfy', { topic: 'no spaces' }, {}, 'settings.topic', 'must be 1 to 64 letters, digits, "-" or "_"'],
    ['ntfy', { topic: 'x'.repeat(65) }, {}, 'settings.topic', 'must be 1 to 64 letters, digits, "-" or "_"'],
    ['ntfy', { topic: 't', priority: 6 }, {}, 'settings.priority', 'must be from 1 to 5'],
    [
      'ntfy',
      { topic: 't', server: 'https://ntfy.example.com/?a=1' },
      {},
      'settings.server',
      'cannot have a query or a fragment',
    ],
    ['ntfy', { topic: 't' }, { token: 'tk with space' }, 'secrets.token', 'must be printable ASCII without spaces'],
    ['telegram', {}, { botToken: TELEGRAM_TOKEN }, 'settings.chatId', 'is required'],
    [
      'telegram',
      { chatId: 'my chat' },
      { botToken: TELEGRAM_TOKEN },
      'settings.chatId',
      'must be a chat id such as -1001234567890 or @channel',
    ],
    ['telegram', { chatId: '@ops_alerts' }, {}, 'secrets.botToken', 'is required'],
    [
      'telegram',
      { chatId: '@ops_alerts' },
      { botToken: 'AAEsecret' },
      'secrets.botToken',
      'must be a bot token such as 123456789:AAE…, from @BotFather',
    ],
    [
      'telegram',
      { chatId: '1', apiUrl: 'https://api.telegram.org/?x=1' },
      { botToken: TELEGRAM_TOKEN },
      'settings.apiUrl',
      'cannot have a query or a fragment',
    ],
  ] as const)('%s %j %j → %s %s', (kind, settings, secrets, field, message) => {
    expect(refusal(kind, settings, secrets)).toEqual({ field, message });
  });

  it('fills in the defaults of the chat, push and incident kinds', () => {
    const URL = 'https://hooks.example.com/x/token0123456789';
    for (const kind of ['teams', 'mattermost', 'googlechat'] as const) {
      expect(validateChannelInput(kind, undefined, { url: URL })).toEqual({ settings: {}, secrets: { url: URL } });
    }
    expect(validateChannelInput('pagerduty', {}, { routingKey: 'a'.repeat(32) }).settings).toEqual({
      apiUrl: 'https://events.pagerduty.com',
    });
    expect(
      validateChannelInput('opsgenie', { apiUrl: 'https://api.eu.opsgenie.com/' }, { apiKey: 'k'.repeat(36) }),
    ).toEqual({
      settings: { apiUrl: 'https://api.eu.opsgenie.com' },
      secrets: { apiKey: 'k'.repeat(36) },
    });
    expect(
      validateChannelInput('pushover', {}, { appToken: 'a'.repeat(30), userKey: 'u'.repeat(30) }).settings,
    ).toEqual({
      apiUrl: 'https://api.pushover.net',
      priority: null,
    });
    expect(validateChannelInput('gotify', { server: 'https://gotify.example.com/' }, { token: 'AbCdEf123' })).toEqual({
      settings: { server: 'https://gotify.example.com', priority: null },
      secrets: { token: 'AbCdEf123' },
    });
    expect(
      validateChannelInput(
        'matrix',
        { homeserver: 'https://matrix.org', roomId: '!abc:matrix.org' },
        { accessToken: 'syt_abcdefgh' },
      ),
    ).toEqual({
      settings: { homeserver: 'https://matrix.org', roomId: '!abc:matrix.org' },
      secrets: { accessToken: 'syt_abcdefgh' },
    });
  });

  it.each([
    ['pagerduty', {}, {}, 'secrets.routingKey', 'is required'],
    [
      'pagerduty',
      {},
      { routingKey: 'short' },
      'secrets.routingKey',
      "must be a service's integration key: 32 letters and digits",
    ],
    ['opsgenie', { apiUrl: 'ftp://x' }, {}, 'settings.apiUrl', 'must start with http:// or https://'],
    ['pushover', { priority: -3 }, {}, 'settings.priority', 'must be from -2 to 2'],
    ['pushover', {}, { appToken: 'a'.repeat(30) }, 'secrets.userKey', 'is required'],
    ['gotify', {}, { token: 'AbCdEf123' }, 'settings.server', 'is required'],
    ['gotify', { server: 'https://g.example.com', priority: 11 }, {}, 'settings.priority', 'must be from 0 to 10'],
    ['matrix', { homeserver: 'https://m.org' }, {}, 'settings.roomId', 'is required'],
    [
      'matrix',
      { homeserver: 'https://m.org', roomId: '!a:m.org' },
      { accessToken: 'a b c d e f g h' },
      'secrets.accessToken',
      'must be printable ASCII without spaces',
    ],
    ['teams', {}, { url: 'teams' }, 'secrets.url', 'must be a URL such as https://example.com/hook'],
  ] as const)('%s %j %j → %s %s', (kind, settings, secrets, field, message) => {
    expect(refusal(kind, settings, secrets)).toEqual({ field, message });
  });

  it('refuses an unknown kind', () => {
    expect(refusal('carrier-pigeon' as ChannelKind, {}, {})).toEqual({
      field: 'kind',
      message:
        'must be one of webhook, email, slack, discord, ntfy, telegram, teams, mattermost, googlechat, pagerduty, opsgenie, pushover, gotify, matrix',
    });
  });

  it('never repeats a refused secret in its message', () => {
    const secretUrl = 'ftp://hooks.example.com/services/SECRETTOKEN123456';
    const { message } = refusal('slack', {}, { url: secretUrl });
    expect(message).not.toContain('SECRETTOKEN123456');
  });
});

describe('publicSettings', () => {
  const channels: ChannelConfig[] = [
    { kind: 'webhook', settings: { url: 'https://example.com/hook' }, secrets: { secret: 'whsec-0123456789abcdef' } },
    {
      kind: 'email',
      settings: {
        host: 'smtp.example.com',
        port: 587,
        security: 'starttls',
        user: 'me',
        from: 'a@example.com',
        to: ['b@example.com'],
        ignoreTlsErrors: false,
      },
      secrets: { password: 'smtp-Pa55word-9d2f' },
    },
    { kind: 'slack', settings: {}, secrets: { url: SLACK_URL } },
    { kind: 'discord', settings: {}, secrets: { url: DISCORD_URL } },
    {
      kind: 'ntfy',
      settings: { server: 'https://ntfy.sh', topic: 'alerts', priority: null },
      secrets: { token: 'tk_ntfysecrettoken0123456789' },
    },
  ];

  it('shows settings and whether secrets are set, never the secrets', () => {
    expect(channels.map((channel) => publicSettings(channel))).toEqual([
      { url: 'https://example.com/hook', hasSecret: true },
      { ...channels[1]!.settings, hasPassword: true },
      { url: 'https://hooks.slack.com/services/…' },
      { url: 'https://discord.com/api/webhooks/…' },
      { server: 'https://ntfy.sh', topic: '********', priority: null, hasToken: true },
    ]);
    const shown = JSON.stringify(channels.map((channel) => publicSettings(channel)));
    for (const secret of [
      'whsec-0123456789abcdef',
      'smtp-Pa55word-9d2f',
      'T0ABCDEF1',
      'xoxSlackToken',
      '112233445566778899',
      'DiscordToken',
      'tk_ntfy',
    ]) {
      expect(shown).not.toContain(secret);
    }
  });

  it('says when a secret is not set', () => {
    expect(
      publicSettings({ kind: 'webhook', settings: { url: 'https://example.com/' }, secrets: { secret: null } }),
    ).toEqual({
      url: 'https://example.com/',
      hasSecret: false,
    });
  });
});
