// The chat, push and incident channel kinds over REST and GraphQL: created with their secrets, shown without
// them (to the API, in test-send errors and in the logs), refused with the field named when input is wrong.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, errorOf, startGraphQLApp, type GraphQLTestApp } from '../helpers/graphql.ts';
import { capturingLogger } from '../helpers/logger.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/receivers.ts';
import { call } from './support.ts';

interface KindCase {
  type: string;
  /** The GraphQL enum value, when it is not the type in capitals. */
  graphql?: string;
  parametres: (receiverUrl: string) => Record<string, unknown>;
  secrets: (receiverUrl: string) => Record<string, unknown>;
  /** parametres as the API shows them. */
  shown: (receiverUrl: string) => Record<string, unknown>;
  /** Values that must never come back, nor be logged. */
  secretValues: string[];
  /** A wrong input and the field its 400 names. */
  bad: { parametres?: unknown; secrets?: unknown; field: string };
}

const TELEGRAM_TOKEN = '987654321:AAHtelegramSecretToken_abcdefghijk';

const KINDS: KindCase[] = [
  {
    type: 'telegram',
    parametres: (url) => ({ apiUrl: url, chatId: -1001234567890 }),
    secrets: () => ({ botToken: TELEGRAM_TOKEN }),
    shown: (url) => ({ apiUrl: url, chatId: '-1001234567890', hasBotToken: true }),
    secretValues: ['AAHtelegramSecretToken_abcdefghijk'],
    bad: { parametres: { chatId: 'not a chat' }, secrets: { botToken: TELEGRAM_TOKEN }, field: 'parametres.chatId' },
  },
  {
    type: 'teams',
    parametres: () => ({}),
    secrets: (url) => ({
      url: `${url}/workflows/0a1b2c3d4e5f6a7b/triggers/manual/paths/invoke?api-version=2016-06-01&sv=1.0&sig=TeamsSig0123456789abcdef`,
    }),
    shown: (url) => ({ url: `${url}/workflows/…` }),
    secretValues: ['TeamsSig0123456789abcdef', '0a1b2c3d4e5f6a7b'],
    bad: { secrets: { url: 'teams.example.com/hook' }, field: 'secrets.url' },
  },
  {
    type: 'mattermost',
    parametres: () => ({}),
    secrets: (url) => ({ url: `${url}/hooks/mattermostkey0123456789ab` }),
    shown: (url) => ({ url: `${url}/hooks/…` }),
    secretValues: ['mattermostkey0123456789ab'],
    bad: { secrets: {}, field: 'secrets.url' },
  },
  {
    type: 'googlechat',
    graphql: 'GOOGLE_CHAT',
    parametres: () => ({}),
    secrets: (url) => ({
      url: `${url}/v1/spaces/AAAAspace42/messages?key=chatkey0123456789&token=chattoken0123456789`,
    }),
    shown: (url) => ({ url: `${url}/…` }),
    secretValues: ['chatkey0123456789', 'chattoken0123456789', 'AAAAspace42'],
    bad: { secrets: { url: 'https://chat.example.com/#x', extra: 1 }, field: 'secrets' },
  },
  {
    type: 'pagerduty',
    parametres: (url) => ({ apiUrl: url }),
    secrets: () => ({ routingKey: 'pdroutingkey0123456789abcdefABCD' }),
    shown: (url) => ({ apiUrl: url, hasRoutingKey: true }),
    secretValues: ['pdroutingkey0123456789abcdefABCD'],
    bad: { parametres: { apiUrl: 'events.pagerduty.com' }, secrets: {}, field: 'parametres.apiUrl' },
  },
  {
    type: 'opsgenie',
    parametres: (url) => ({ apiUrl: url }),
    secrets: () => ({ apiKey: '0d6c5c1e-opsgenie-key-4f7a9b2e' }),
    shown: (url) => ({ apiUrl: url, hasApiKey: true }),
    secretValues: ['0d6c5c1e-opsgenie-key-4f7a9b2e'],
    bad: { secrets: { apiKey: 'short' }, field: 'secrets.apiKey' },
  },
  {
    type: 'pushover',
    parametres: (url) => ({ apiUrl: url, priority: 2 }),
    secrets: () => ({ appToken: 'apptokenPushover0123456789abcd', userKey: 'userkeyPushover0123456789abcde' }),
    shown: (url) => ({ apiUrl: url, priority: 2, hasAppToken: true, hasUserKey: true }),
    secretValues: ['apptokenPushover0123456789abcd', 'userkeyPushover0123456789abcde'],
    bad: { parametres: { priority: 3 }, secrets: {}, field: 'parametres.priority' },
  },
  {
    type: 'gotify',
    parametres: (url) => ({ server: url, priority: 9 }),
    secrets: () => ({ token: 'AgotifyAppToken42' }),
    shown: (url) => ({ server: url, priority: 9, hasToken: true }),
    secretValues: ['AgotifyAppToken42'],
    bad: { parametres: { priority: 5 }, secrets: { token: 'AgotifyAppToken42' }, field: 'parametres.server' },
  },
  {
    type: 'matrix',
    parametres: (url) => ({ homeserver: url, roomId: '!room42:example.org' }),
    secrets: () => ({ accessToken: 'syt_matrixAccessToken_secret42' }),
    shown: (url) => ({ homeserver: url, roomId: '!room42:example.org', hasAccessToken: true }),
    secretValues: ['syt_matrixAccessToken_secret42'],
    bad: {
      parametres: { homeserver: 'https://m.example.org', roomId: '#ops:example.org' },
      secrets: {},
      field: 'parametres.roomId',
    },
  },
];

let app: GraphQLTestApp;
let receiver: WebhookReceiver;
let logLines: string[];

beforeAll(async () => {
  const captured = capturingLogger();
  logLines = captured.lines;
  [app, receiver] = await Promise.all([startGraphQLApp({ logger: captured.logger }), startWebhookReceiver()]);
  await app.scheduler.stop();
});

afterAll(async () => {
  await Promise.all([app?.close(), receiver?.close()]);
});

describe.each(KINDS)('channel kind $type', (kind) => {
  it('is created over REST with its secrets stored, and shown without them', async () => {
    const created = await call(app, 'POST', '/api/canaux', {
      nom: `${kind.type} channel`,
      type: kind.type,
      parametres: kind.parametres(receiver.url),
      secrets: kind.secrets(receiver.url),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.canal.type).toBe(kind.type);
    expect(created.body.canal.parametres).toEqual(kind.shown(receiver.url));
    const id = created.body.canal.id as number;

    const listed = await call(app, 'GET', '/api/canaux');
    const shown = await call(app, 'GET', `/api/canaux/${id}`);
    const graphql = await app.gql('{ channels { id kind settings } }');
    for (const text of [JSON.stringify(created.body), JSON.stringify(listed.body), JSON.stringify(shown.body)]) {
      for (const secret of kind.secretValues) expect(text).not.toContain(secret);
    }
    const viaGraphql = dataOf(graphql).channels.find((channel: { id: string }) => channel.id === String(id));
    expect(viaGraphql.kind).toBe(kind.graphql ?? kind.type.toUpperCase());
    expect(viaGraphql.settings).toEqual(kind.shown(receiver.url));

    const { rows } = await app.testDb.db.query<{ secrets: Record<string, unknown> }>(
      'SELECT secrets FROM monitoring.canaux WHERE id = $1',
      [id],
    );
    expect(rows[0]!.secrets).toEqual(kind.secrets(receiver.url));

    // An edit that sends the shown settings back keeps the secrets, which cannot be.
    const settingNames = Object.keys(kind.parametres(receiver.url));
    const parametres = Object.fromEntries(
      Object.entries(shown.body.canal.parametres).filter(([name]) => settingNames.includes(name)),
    );
    const renamed = await call(app, 'PATCH', `/api/canaux/${id}`, { nom: 'renamed', parametres });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    const after = await app.testDb.db.query<{ secrets: Record<string, unknown> }>(
      'SELECT secrets FROM monitoring.canaux WHERE id = $1',
      [id],
    );
    expect(after.rows[0]!.secrets).toEqual(kind.secrets(receiver.url));
  });

  it('keeps its secrets out of a failed test send and out of the logs, even when the receiver quotes them', async () => {
    const created = await call(app, 'POST', '/api/canaux', {
      nom: `${kind.type} test`,
      type: kind.type,
      parametres: kind.parametres(receiver.url),
      secrets: kind.secrets(receiver.url),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const echo = await startWebhookReceiver({ status: 401, body: `refused: ${kind.secretValues.join(' ')}` });
    try {
      const pointed = await call(app, 'PATCH', `/api/canaux/${created.body.canal.id}`, {
        parametres: kind.parametres(echo.url),
        secrets: kind.secrets(echo.url),
      });
      expect(pointed.status, JSON.stringify(pointed.body)).toBe(200);
      const test = await call(app, 'POST', `/api/canaux/${created.body.canal.id}/test`);
      expect(test.status).toBe(200);
      expect(test.body.envoye).toBe(false);
      expect(test.body.erreur).toContain('HTTP 401');
      expect(echo.requests).toHaveLength(1);
      const texts = `${JSON.stringify(test.body)}\n${logLines.join('\n')}`;
      for (const secret of kind.secretValues) expect(texts).not.toContain(secret);
    } finally {
      await echo.close();
    }
  });

  it('is refused with the field named, and nothing stored', async () => {
    const before = await app.testDb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM monitoring.canaux');
    const refused = await call(app, 'POST', '/api/canaux', {
      nom: 'bad',
      type: kind.type,
      parametres: kind.bad.parametres,
      secrets: kind.bad.secrets,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.erreur).toMatch(new RegExp(`^${kind.bad.field.replace(/\./g, '\\.')}: `));
    for (const secret of kind.secretValues) expect(refused.body.erreur).not.toContain(secret);
    const missing = await call(app, 'POST', '/api/canaux', {
      nom: 'bad',
      type: kind.type,
      parametres: kind.parametres(receiver.url),
    });
    expect(missing.status).toBe(400);
    expect(missing.body.erreur).toMatch(/^secrets\.\w+: is required/);
    const gql = await app.gql('mutation ($input: ChannelInput!) { createChannel(input: $input) { id } }', {
      input: {
        name: 'bad',
        kind: kind.graphql ?? kind.type.toUpperCase(),
        settings: kind.bad.parametres,
        secrets: kind.bad.secrets,
      },
    });
    expect(errorOf(gql, 'BAD_USER_INPUT').message).toContain(kind.bad.field.replace(/^parametres/, 'settings'));
    const after = await app.testDb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM monitoring.canaux');
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });
});
