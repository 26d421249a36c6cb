// Turns caller input into complete channel settings and secrets, or a ValidationError naming the field.
// Messages never repeat the input: a rejected value may be a secret (a webhook URL with its token).
import { isIP } from 'node:net';
import { z } from 'zod';
import { ValidationError } from '../../errors.ts';
import { parseInput } from '../../validation.ts';
import type { ChannelKind, ChannelSecrets, ChannelSettings } from './types.ts';

export const ALL_CHANNEL_KINDS: readonly ChannelKind[] = [
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
];

const DEFAULT_PORTS = { tls: 465, starttls: 587, none: 25 } as const;
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HOST_NAME = new RegExp(`^(?=.{1,253}\\.?$)${LABEL}(?:\\.${LABEL})*\\.?$`);
const requiredOr = (message: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : message;

const httpUrl = (options: { bare?: boolean } = {}) =>
  z
    .string({ error: requiredOr('must be a URL') })
    .trim()
    .max(2048, 'must be at most 2048 characters')
    .transform((value, context) => {
      const fail = (message: string): never => {
        context.addIssue({ code: 'custom', message });
        return z.NEVER as never;
      };
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        return fail('must be a URL such as https://example.com/hook');
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail('must start with http:// or https://');
      // Settings are shown back to users; credentials belong in the secrets.
      if (url.username || url.password) return fail('cannot contain a user name or password');
      if (options.bare && (url.search || url.hash)) return fail('cannot have a query or a fragment');
      return options.bare ? url.href.replace(/\/+$/, '') : url.href;
    });

const optionalSecret = (max: number) =>
  z
    .string({ error: 'must be a string or null' })
    .min(1, 'cannot be empty (use null for none)')
    .max(max, `must be at most ${max} characters`)
    .nullable()
    .optional();
const email = z
  .email({ error: requiredOr('must be an email address such as alerts@example.com') })
  .max(254, 'must be at most 254 characters');
const object = <T extends z.core.$ZodLooseShape>(shape: T) => z.strictObject(shape, { error: 'must be an object' });

const emailSettings = object({
  host: z
    .string({ error: requiredOr('must be a host name') })
    .trim()
    .refine((host) => HOST_NAME.test(host) || isIP(host) !== 0, 'must be a host name or an IP address'),
  port: z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be between 1 and 65535')
    .max(65535, 'must be between 1 and 65535')
    .optional(),
  security: z.enum(['tls', 'starttls', 'none'], { error: 'must be one of tls, starttls, none' }).optional(),
  user: z
    .string({ error: 'must be a string or null' })
    .min(1, 'cannot be empty (use null for none)')
    .max(256, 'must be at most 256 characters')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'cannot contain control characters')
    .nullable()
    .optional(),
  from: email,
  to: z
    .array(email, { error: requiredOr('must be a list of email addresses') })
    .min(1, 'must list at least one address')
    .max(50, 'must list at most 50 addresses'),
  ignoreTlsErrors: z.boolean({ error: 'must be true or false' }).optional(),
}).transform((value) => {
  const security = value.security ?? 'starttls';
  return {
    host: value.host,
    port: value.port ?? DEFAULT_PORTS[security],
    security,
    user: value.user ?? null,
    from: value.from,
    to: [...new Set(value.to)],
    ignoreTlsErrors: value.ignoreTlsErrors ?? false,
  };
});

const ntfySettings = object({
  server: httpUrl({ bare: true }).optional(),
  topic: z
    .string({ error: requiredOr('must be a string') })
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, "-" or "_"'),
  priority: z
    .number({ error: 'must be a number from 1 to 5' })
    .int('must be a whole number')
    .min(1, 'must be from 1 to 5')
    .max(5, 'must be from 1 to 5')
    .nullable()
    .optional(),
}).transform((value) => ({
  server: value.server ?? 'https://ntfy.sh',
  topic: value.topic,
  priority: value.priority ?? null,
}));

const ntfyToken = optionalSecret(512).refine(
  (token) => token == null || /^[\x21-\x7e]+$/.test(token),
  'must be printable ASCII without spaces',
);

/** A required secret of printable ASCII without spaces, checked against its service's format. */
const token = (pattern: RegExp, message: string, max = 256) =>
  z
    .string({ error: requiredOr('must be a string') })
    .trim()
    .max(max, `must be at most ${max} characters`)
    .regex(pattern, message);

/** The base URL of a service's API, with a default so that only tests and self-hosted servers set it. */
const apiUrl = (defaultUrl: string) =>
  httpUrl({ bare: true })
    .optional()
    .transform((value) => value ?? defaultUrl);

const telegramSettings = object({
  apiUrl: apiUrl('https://api.telegram.org'),
  chatId: z
    .union([z.string(), z.number()], { error: requiredOr('must be a chat id such as -1001234567890 or @channel') })
    .transform((value) => String(value).trim())
    .refine(
      (value) => /^-?\d{1,20}$/.test(value) || /^@[A-Za-z][A-Za-z0-9_]{3,31}$/.test(value),
      'must be a chat id such as -1001234567890 or @channel',
    ),
});

const pushoverKey = (what: string) => token(/^[A-Za-z0-9]{30}$/, `must be ${what}: 30 letters and digits`);

type Schemas = {
  [K in ChannelKind]: { settings: z.ZodType<ChannelSettings[K]>; secrets: z.ZodType<ChannelSecrets[K]> };
};
const schemas: Schemas = {
  webhook: {
    settings: object({ url: httpUrl() }),
    secrets: object({ secret: optionalSecret(1024) }).transform((value) => ({ secret: value.secret ?? null })),
  },
  email: {
    settings: emailSettings,
    secrets: object({ password: optionalSecret(1024) }).transform((value) => ({ password: value.password ?? null })),
  },
  slack: { settings: object({}), secrets: object({ url: httpUrl() }) },
  discord: { settings: object({}), secrets: object({ url: httpUrl() }) },
  ntfy: {
    settings: ntfySettings,
    secrets: object({ token: ntfyToken }).transform((value) => ({ token: value.token ?? null })),
  },
  telegram: {
    settings: telegramSettings,
    secrets: object({
      botToken: token(
        /^\d{1,20}:[A-Za-z0-9_-]{20,100}$/,
        'must be a bot token such as 123456789:AAE…, from @BotFather',
      ),
    }),
  },
  teams: { settings: object({}), secrets: object({ url: httpUrl() }) },
  mattermost: { settings: object({}), secrets: object({ url: httpUrl() }) },
  googlechat: { settings: object({}), secrets: object({ url: httpUrl() }) },
  pagerduty: {
    settings: object({ apiUrl: apiUrl('https://events.pagerduty.com') }),
    secrets: object({
      routingKey: token(/^[A-Za-z0-9]{20,64}$/, "must be a service's integration key: 32 letters and digits"),
    }),
  },
  opsgenie: {
    settings: object({ apiUrl: apiUrl('https://api.opsgenie.com') }),
    secrets: object({
      apiKey: token(/^[A-Za-z0-9-]{20,64}$/, "must be an API integration's key such as 3f2a…-…"),
    }),
  },
  pushover: {
    settings: object({
      apiUrl: apiUrl('https://api.pushover.net'),
      priority: z
        .number({ error: 'must be a number from -2 to 2' })
        .int('must be a whole number')
        .min(-2, 'must be from -2 to 2')
        .max(2, 'must be from -2 to 2')
        .nullable()
        .optional(),
    }).transform((value) => ({ apiUrl: value.apiUrl, priority: value.priority ?? null })),
    secrets: object({
      appToken: pushoverKey("an application's API token"),
      userKey: pushoverKey('a user or group key'),
    }),
  },
  gotify: {
    settings: object({
      server: httpUrl({ bare: true }),
      priority: z
        .number({ error: 'must be a number from 0 to 10' })
        .int('must be a whole number')
        .min(0, 'must be from 0 to 10')
        .max(10, 'must be from 0 to 10')
        .nullable()
        .optional(),
    }).transform((value) => ({ server: value.server, priority: value.priority ?? null })),
    secrets: object({ token: token(/^[A-Za-z0-9._-]{8,128}$/, "must be an application's token such as AKJ8sd…") }),
  },
  matrix: {
    settings: object({
      homeserver: httpUrl({ bare: true }),
      roomId: z
        .string({ error: requiredOr('must be a room id such as !abc123:example.org') })
        .trim()
        .max(255, 'must be at most 255 characters')
        .regex(/^![^:\s]+:[^\s]+$/, 'must be a room id such as !abc123:example.org (room settings, Advanced)'),
    }),
    secrets: object({ accessToken: token(/^[\x21-\x7e]{8,512}$/, 'must be printable ASCII without spaces', 512) }),
  },
};

/** Validates a channel's settings and secrets for its kind and fills in the defaults. */
export function validateChannelInput<K extends ChannelKind>(
  kind: K,
  settings: unknown,
  secrets: unknown,
): { settings: ChannelSettings[K]; secrets: ChannelSecrets[K] } {
  if (!ALL_CHANNEL_KINDS.includes(kind))
    throw new ValidationError(`must be one of ${ALL_CHANNEL_KINDS.join(', ')}`, 'kind');
  const schema = schemas[kind];
  const validSettings = parseInput(schema.settings, settings ?? {}, 'settings');
  const validSecrets = parseInput(schema.secrets, secrets ?? {}, 'secrets');
  if (kind === 'email') {
    const user = (validSettings as ChannelSettings['email']).user;
    const password = (validSecrets as ChannelSecrets['email']).password;
    if (user !== null && password === null)
      throw new ValidationError('is required when settings.user is set', 'secrets.password');
    if (user === null && password !== null)
      throw new ValidationError('needs settings.user to be set as well', 'secrets.password');
  }
  return { settings: validSettings, secrets: validSecrets };
}
