// Slack, Discord and ntfy payloads as a loopback receiver sees them, and secrets kept out of their errors.
import { describe, expect, it } from 'vitest';
import { DeliveryError, sendNotification } from '../../../server/alerts/channels/index.ts';
import type { ChannelConfig } from '../../../server/alerts/channels/index.ts';
import { closedPort } from '../../helpers/targets.ts';
import { type WebhookReceiver, webhookReceivers } from '../../helpers/receivers.ts';
import { errorTexts, notification } from './fixtures.ts';

const SLACK_PATH = '/services/T0ABCDEF1/B0ABCDEF2/xoxSlackToken1234567890';
const DISCORD_PATH = '/api/webhooks/112233445566778899/DiscordTokenAbcdefghijklmnopqrstuvwxyz0123456789';
const NTFY_TOKEN = 'tk_ntfysecrettoken0123456789';

const receiver = webhookReceivers({ status: 200 });

function body(target: WebhookReceiver, index = 0): any {
  return JSON.parse(target.requests[index]!.body);
}

describe('Slack channel', () => {
  it('posts text and a mrkdwn section, escaping &, < and > of user text', async () => {
    const target = await receiver();
    const channel: ChannelConfig = { kind: 'slack', settings: {}, secrets: { url: `${target.url}${SLACK_PATH}` } };
    const monitor = {
      id: 1,
      name: '<script>alert(1)</script> & {{constructor}}',
      target: 'https://a.example/?x=1&y=<2>',
    };
    await sendNotification(channel, notification({ monitor }), { timeoutMs: 2000 });

    expect(target.requests[0]!.path).toBe(SLACK_PATH);
    const payload = body(target);
    const escapedName = '&lt;script&gt;alert(1)&lt;/script&gt; &amp; {{constructor}}';
    expect(payload.text).toContain(`🔴 DOWN: ${escapedName}`);
    expect(payload.text).toContain('Target: https://a.example/?x=1&amp;y=&lt;2&gt;');
    expect(payload.text).not.toContain('<script>');
    expect(payload.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: expect.stringContaining(`*🔴 DOWN: ${escapedName}*`) } },
    ]);
    expect(payload.blocks[0].text.text).toContain('<http://vigie.example.com/monitors/7|Open in Vigie>');
  });

  it('keeps the webhook path out of errors, and says "recovered" with the outage length', async () => {
    const target = await receiver({ status: 404 });
    const channel: ChannelConfig = { kind: 'slack', settings: {}, secrets: { url: `${target.url}${SLACK_PATH}` } };
    const error = await sendNotification(channel, notification({ kind: 'UP', outageSeconds: 192 }), {
      timeoutMs: 2000,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error.retryable).toBe(false);
    expect(body(target).text).toContain('🟢 UP: Shop API (down for 3 min 12 s)');
    const texts = errorTexts(error);
    expect(texts).toContain(`${target.url}/…`);
    for (const part of ['T0ABCDEF1', 'B0ABCDEF2', 'xoxSlackToken1234567890']) expect(texts).not.toContain(part);
  });
});

describe('Discord channel', () => {
  it('posts content and one embed, with mentions disabled and markdown of user text escaped', async () => {
    const target = await receiver();
    const channel: ChannelConfig = { kind: 'discord', settings: {}, secrets: { url: `${target.url}${DISCORD_PATH}` } };
    const monitor = { id: 1, name: '@everyone <script>**x**</script>', target: 'tcp://db:5432' };
    await sendNotification(channel, notification({ monitor }), { timeoutMs: 2000 });

    const payload = body(target);
    const escapedName = '@everyone \\<script\\>\\*\\*x\\*\\*\\</script\\>';
    expect(payload.content).toBe(`🔴 DOWN: ${escapedName}`);
    expect(payload.allowed_mentions).toEqual({ parse: [] });
    expect(payload.embeds).toEqual([
      {
        title: `🔴 DOWN: ${escapedName}`,
        description: expect.stringContaining('Cause: HTTP 500'),
        color: expect.any(Number),
        url: 'http://vigie.example.com/monitors/7',
        timestamp: '2025-01-10T14:30:00.000Z',
      },
    ]);
  });

  it('keeps content within 2000 and the description within 4096 characters', async () => {
    const target = await receiver();
    const channel: ChannelConfig = { kind: 'discord', settings: {}, secrets: { url: `${target.url}${DISCORD_PATH}` } };
    await sendNotification(
      channel,
      notification({ monitor: { id: 1, name: '🔥'.repeat(3000), target: 'x' }, cause: 'y'.repeat(9000) }),
      { timeoutMs: 2000 },
    );
    const payload = body(target);
    expect(payload.content.length).toBeLessThanOrEqual(2000);
    expect(payload.embeds[0].title.length).toBeLessThanOrEqual(256);
    expect(payload.embeds[0].description.length).toBeLessThanOrEqual(4096);
    expect(payload.content).not.toMatch(/[\ud800-\udbff]…$/);
  });

  it('keeps the webhook id and token out of errors', async () => {
    const port = await closedPort();
    const channel: ChannelConfig = {
      kind: 'discord',
      settings: {},
      secrets: { url: `http://127.0.0.1:${port}${DISCORD_PATH}` },
    };
    const error = await sendNotification(channel, notification(), { timeoutMs: 2000 }).catch((e) => e);
    expect(error.retryable).toBe(true);
    expect(errorTexts(error)).not.toMatch(/112233445566778899|DiscordToken/);
  });
});

describe('ntfy channel', () => {
  it('publishes JSON to the server root with title, priority, tags, click and the bearer token', async () => {
    const target = await receiver();
    const channel: ChannelConfig = {
      kind: 'ntfy',
      settings: { server: `${target.url}/ntfy`, topic: 'vigie-alerts', priority: null },
      secrets: { token: NTFY_TOKEN },
    };
    await sendNotification(channel, notification({ monitor: { id: 1, name: 'Café {{constructor}}', target: 'x' } }), {
      timeoutMs: 2000,
    });
    await sendNotification(channel, notification({ kind: 'UP', outageSeconds: 3700 }), { timeoutMs: 2000 });

    const [down, up] = target.requests;
    expect(down!.path).toBe('/ntfy/');
    expect(down!.headers.authorization).toBe(`Bearer ${NTFY_TOKEN}`);
    expect(body(target, 0)).toEqual({
      topic: 'vigie-alerts',
      title: '🔴 DOWN: Café {{constructor}}',
      message: expect.stringContaining('Monitor: Café {{constructor}}'),
      priority: 5,
      tags: ['vigie', 'down'],
      click: 'http://vigie.example.com/monitors/7',
    });
    expect(up!.headers.authorization).toBe(`Bearer ${NTFY_TOKEN}`);
    expect(body(target, 1)).toMatchObject({
      title: '🟢 UP: Shop API (down for 1 h 1 min)',
      priority: 3,
      tags: ['vigie', 'up'],
    });
  });

  it('uses the channel priority for outages only, and sends no Authorization without a token', async () => {
    const target = await receiver();
    const channel: ChannelConfig = {
      kind: 'ntfy',
      settings: { server: target.url, topic: 't1', priority: 2 },
      secrets: { token: null },
    };
    await sendNotification(channel, notification(), { timeoutMs: 2000 });
    await sendNotification(channel, notification({ kind: 'TEST', monitor: null, cause: null, alertId: null }), {
      timeoutMs: 2000,
    });
    expect(target.requests.map((request) => request.headers.authorization)).toEqual([undefined, undefined]);
    expect([body(target, 0).priority, body(target, 1).priority]).toEqual([2, 3]);
    expect(body(target, 1).title).toContain('Test notification from Vigie');
  });

  it('keeps the token out of errors, even when the server echoes it', async () => {
    const target = await receiver({ status: 401, body: `bad token ${NTFY_TOKEN}` });
    const channel: ChannelConfig = {
      kind: 'ntfy',
      settings: { server: target.url, topic: 't1', priority: null },
      secrets: { token: NTFY_TOKEN },
    };
    const error = await sendNotification(channel, notification(), { timeoutMs: 2000 }).catch((e) => e);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('HTTP 401');
    expect(errorTexts(error)).not.toContain(NTFY_TOKEN);
  });
});
