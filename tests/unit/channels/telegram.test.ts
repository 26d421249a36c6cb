// Telegram: the exact Bot API request a loopback receiver gets, and the bot token kept out of errors.
import { describe, expect, it } from 'vitest';
import { DeliveryError, sendNotification, validateChannelInput } from '../../../server/alerts/channels/index.ts';
import type { ChannelConfig } from '../../../server/alerts/channels/index.ts';
import { type WebhookReceiver, webhookReceivers } from '../../helpers/receivers.ts';
import { errorTexts, notification } from './fixtures.ts';

const BOT_TOKEN = '123456789:AAEsecretBotTokenAbcdefghijklmnop_-xyz';

const receiver = webhookReceivers({ status: 200 });

function channel(target: WebhookReceiver, chatId = '-1001234567890'): ChannelConfig {
  return {
    kind: 'telegram',
    ...validateChannelInput('telegram', { apiUrl: target.url, chatId }, { botToken: BOT_TOKEN }),
  } as ChannelConfig;
}

describe('Telegram channel', () => {
  it('posts sendMessage to /bot<token>/ with the chat id and an HTML text escaping user strings', async () => {
    const target = await receiver({ status: 200, body: '{"ok":true,"result":{}}' });
    const monitor = { id: 7, name: '<b>Shop</b> & {{constructor}}', target: 'https://shop.example.com/health' };
    await sendNotification(channel(target), notification({ monitor }), { timeoutMs: 2000 });

    expect(target.requests).toHaveLength(1);
    const request = target.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`/bot${BOT_TOKEN}/sendMessage`);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['user-agent']).toBe('Vigie');
    expect(JSON.parse(request.body)).toEqual({
      chat_id: '-1001234567890',
      text: [
        '<b>🔴 DOWN: &#60;b&#62;Shop&#60;/b&#62; &#38; {{constructor}}</b>',
        '',
        '<b>Monitor:</b> &#60;b&#62;Shop&#60;/b&#62; &#38; {{constructor}}',
        '<b>Target:</b> https://shop.example.com/health',
        '<b>Cause:</b> HTTP 500',
        '<b>Time:</b> 2025-01-10T14:30:00Z',
        '<a href="http://vigie.example.com/monitors/7">Open in Vigie</a>',
      ].join('\n'),
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    });
  });

  it('says UP with the outage length, and sends to a channel name', async () => {
    const target = await receiver();
    await sendNotification(channel(target, '@vigie_alerts'), notification({ kind: 'UP', outageSeconds: 192 }), {
      timeoutMs: 2000,
    });
    const payload = JSON.parse(target.requests[0]!.body);
    expect(payload.chat_id).toBe('@vigie_alerts');
    expect(payload.text.split('\n')[0]).toBe('<b>🟢 UP: Shop API (down for 3 min 12 s)</b>');
    expect(payload.text).toContain('<b>Down for:</b> 3 min 12 s');
  });

  it('keeps the bot token out of errors, even when the answer quotes it; 400 is final, 429 is retried', async () => {
    const target = await receiver({
      status: 400,
      body: `{"ok":false,"description":"Bad Request: chat not found for bot${BOT_TOKEN}"}`,
    });
    const error = await sendNotification(channel(target), notification(), { timeoutMs: 2000 }).catch((e) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('chat not found');
    expect(error.message).toContain(`Telegram Bot API ${target.url}/…`);
    const secretPart = BOT_TOKEN.split(':')[1]!;
    expect(errorTexts(error)).not.toContain(secretPart);

    target.setStatus(429, { 'Retry-After': '7' });
    const limited = await sendNotification(channel(target), notification(), { timeoutMs: 2000 }).catch((e) => e);
    expect(limited.retryable).toBe(true);
    expect(limited.retryAfterMs).toBe(7000);
    expect(errorTexts(limited)).not.toContain(secretPart);
  });

  it('cuts a long text under 4096 characters without breaking an entity, keeping the link', async () => {
    const target = await receiver();
    const cause = '<'.repeat(3000);
    await sendNotification(channel(target), notification({ cause }), { timeoutMs: 2000 });
    const text: string = JSON.parse(target.requests[0]!.body).text;
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text).toMatch(/(&#60;)+…\n<a href="http:\/\/vigie\.example\.com\/monitors\/7">Open in Vigie<\/a>$/);
  });
});
