// Gotify: the exact message request a loopback server gets, priorities, and the token kept out of errors.
import { describe, expect, it } from 'vitest';
import { DeliveryError, sendNotification, validateChannelInput } from '../../../server/alerts/channels/index.ts';
import type { ChannelConfig } from '../../../server/alerts/channels/index.ts';
import { type WebhookReceiver, webhookReceivers } from '../../helpers/receivers.ts';
import { errorTexts, notification } from './fixtures.ts';

const TOKEN = 'AKJ8sdGotifyApp.Token_1';

const receiver = webhookReceivers({ status: 200, body: '{"id":1}' });

function channel(target: WebhookReceiver, priority: number | null = null, path = ''): ChannelConfig {
  return {
    kind: 'gotify',
    ...validateChannelInput('gotify', { server: `${target.url}${path}`, priority }, { token: TOKEN }),
  } as ChannelConfig;
}

describe('Gotify channel', () => {
  it('posts the message to /message with the token in X-Gotify-Key, as plain text with a click link', async () => {
    const target = await receiver();
    await sendNotification(channel(target), notification(), { timeoutMs: 2000 });

    expect(target.requests).toHaveLength(1);
    const request = target.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/message');
    expect(request.headers['x-gotify-key']).toBe(TOKEN);
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({
      title: '🔴 DOWN: Shop API',
      message: [
        'Monitor: Shop API',
        'Target: https://shop.example.com/health',
        'Cause: HTTP 500',
        'Time: 2025-01-10T14:30:00Z',
        'Dashboard: http://vigie.example.com/monitors/7',
      ].join('\n'),
      priority: 8,
      extras: {
        'client::display': { contentType: 'text/plain' },
        'client::notification': { click: { url: 'http://vigie.example.com/monitors/7' } },
      },
    });
  });

  it('uses the configured priority for DOWN only, and a server under a path', async () => {
    const target = await receiver();
    await sendNotification(channel(target, 10, '/gotify/'), notification(), { timeoutMs: 2000 });
    await sendNotification(channel(target, 10, '/gotify'), notification({ kind: 'UP', outageSeconds: 9 }), {
      timeoutMs: 2000,
    });
    expect(target.requests.map((request) => request.path)).toEqual(['/gotify/message', '/gotify/message']);
    expect(JSON.parse(target.requests[0]!.body).priority).toBe(10);
    expect(JSON.parse(target.requests[1]!.body)).toMatchObject({
      priority: 5,
      title: '🟢 UP: Shop API (down for 9 s)',
    });
  });

  it('keeps the token out of errors; a 401 is final, a 502 retried', async () => {
    const target = await receiver({
      status: 401,
      body: `{"error":"Unauthorized","errorDescription":"you need to provide a valid access token or user credentials to access this api ${TOKEN}"}`,
    });
    const error = await sendNotification(channel(target), notification(), { timeoutMs: 2000 }).catch((e) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`Gotify server ${target.url}/… answered HTTP 401`);
    target.setStatus(502);
    const failing = await sendNotification(channel(target), notification(), { timeoutMs: 2000 }).catch((e) => e);
    expect(failing.retryable).toBe(true);
    for (const failure of [error, failing]) expect(errorTexts(failure)).not.toContain(TOKEN);
  });
});
