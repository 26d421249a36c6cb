// Pushover: the exact Messages API request a loopback receiver gets, priorities, and keys kept out of errors.
import { describe, expect, it } from 'vitest';
import { DeliveryError, sendNotification, validateChannelInput } from '../../../server/alerts/channels/index.ts';
import type { ChannelConfig } from '../../../server/alerts/channels/index.ts';
import { type WebhookReceiver, webhookReceivers } from '../../helpers/receivers.ts';
import { errorTexts, notification } from './fixtures.ts';

const APP_TOKEN = 'azGDORePK8gMaC0QOYAMyEEuzJnyUi';
const USER_KEY = 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG';

const receiver = webhookReceivers({ status: 200, body: '{"status":1,"request":"647d2300"}' });

function channel(target: WebhookReceiver, priority: number | null = null): ChannelConfig {
  return {
    kind: 'pushover',
    ...validateChannelInput('pushover', { apiUrl: target.url, priority }, { appToken: APP_TOKEN, userKey: USER_KEY }),
  } as ChannelConfig;
}

describe('Pushover channel', () => {
  it('posts the message with both keys, a high priority for DOWN, and a link', async () => {
    const target = await receiver();
    await sendNotification(channel(target), notification(), { timeoutMs: 2000 });

    expect(target.requests).toHaveLength(1);
    const request = target.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/1/messages.json');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['user-agent']).toBe('Vigie');
    expect(JSON.parse(request.body)).toEqual({
      token: APP_TOKEN,
      user: USER_KEY,
      title: '🔴 DOWN: Shop API',
      message: [
        'Monitor: Shop API',
        'Target: https://shop.example.com/health',
        'Cause: HTTP 500',
        'Time: 2025-01-10T14:30:00Z',
        'Dashboard: http://vigie.example.com/monitors/7',
      ].join('\n'),
      priority: 1,
      timestamp: 1736519400,
      url: 'http://vigie.example.com/monitors/7',
      url_title: 'Open in Vigie',
    });
  });

  it('uses the configured priority for DOWN only, with retry and expire for an emergency', async () => {
    const target = await receiver();
    await sendNotification(channel(target, 2), notification(), { timeoutMs: 2000 });
    await sendNotification(channel(target, 2), notification({ kind: 'UP', outageSeconds: 30 }), { timeoutMs: 2000 });
    expect(JSON.parse(target.requests[0]!.body)).toMatchObject({ priority: 2, retry: 60, expire: 3600 });
    const up = JSON.parse(target.requests[1]!.body);
    expect(up).toMatchObject({ priority: 0, title: '🟢 UP: Shop API (down for 30 s)' });
    expect(up.retry).toBeUndefined();
  });

  it('keeps the token and the user key out of errors, even when the answer quotes them', async () => {
    const target = await receiver({
      status: 400,
      body: `{"user":"invalid","errors":["user key ${USER_KEY} is invalid for ${APP_TOKEN}"],"status":0}`,
    });
    const error = await sendNotification(channel(target), notification(), { timeoutMs: 2000 }).catch((e) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`Pushover API ${target.url}/… answered HTTP 400`);
    expect(error.message).toContain('is invalid');
    for (const secret of [APP_TOKEN, USER_KEY]) expect(errorTexts(error)).not.toContain(secret);
  });
});
