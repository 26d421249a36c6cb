// Mattermost: the exact incoming-webhook request a loopback receiver gets; no markup or mention from user text.
import { describe, expect, it } from 'vitest';
import { DeliveryError, sendNotification } from '../../../server/alerts/channels/index.ts';
import type { ChannelConfig } from '../../../server/alerts/channels/index.ts';
import { type WebhookReceiver, webhookReceivers } from '../../helpers/receivers.ts';
import { errorTexts, notification } from './fixtures.ts';

const HOOK_PATH = '/hooks/xq7b3n9kd3fgtmzqp1cy8wrz5a';

const receiver = webhookReceivers({ status: 200 });

const channel = (target: WebhookReceiver): ChannelConfig => ({
  kind: 'mattermost',
  settings: {},
  secrets: { url: `${target.url}${HOOK_PATH}` },
});

describe('Mattermost channel', () => {
  it('posts markdown text as Vigie, escaping markup and breaking mentions in user text', async () => {
    const target = await receiver();
    const monitor = { id: 7, name: '@channel [x](https://evil.example) *api*', target: 'https://shop.example.com/a_b' };
    await sendNotification(channel(target), notification({ monitor }), { timeoutMs: 2000 });

    expect(target.requests).toHaveLength(1);
    const request = target.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe(HOOK_PATH);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['user-agent']).toBe('Vigie');
    const name = '@\u2060channel \\[x\\](https://evil.example) \\*api\\*';
    expect(JSON.parse(request.body)).toEqual({
      username: 'Vigie',
      text: [
        `#### 🔴 DOWN: ${name}`,
        `**Monitor:** ${name}`,
        '**Target:** https://shop.example.com/a\\_b',
        '**Cause:** HTTP 500',
        '**Time:** 2025-01-10T14:30:00Z',
        '[Open in Vigie](<http://vigie.example.com/monitors/7>)',
      ].join('\n'),
    });
    expect(JSON.parse(request.body).text).not.toMatch(/@channel/);
  });

  it('says UP with the outage length; keeps the hook key out of errors, and retries a 503', async () => {
    const target = await receiver({ status: 503 });
    const error = await sendNotification(channel(target), notification({ kind: 'UP', outageSeconds: 3700 }), {
      timeoutMs: 2000,
    }).catch((e) => e);
    expect(JSON.parse(target.requests[0]!.body).text).toMatch(/^#### 🟢 UP: Shop API \(down for 1 h 1 min\)\n/);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain(`Mattermost webhook ${target.url}/…`);
    expect(errorTexts(error)).not.toContain('xq7b3n9kd3fgtmzqp1cy8wrz5a');
  });
});
