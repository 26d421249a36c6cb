// Google Chat: the exact webhook request a loopback receiver gets (a card, a fallback, the incident's thread).
import { describe, expect, it } from 'vitest';
import { DeliveryError, sendNotification } from '../../../server/alerts/channels/index.ts';
import type { ChannelConfig } from '../../../server/alerts/channels/index.ts';
import { type WebhookReceiver, webhookReceivers } from '../../helpers/receivers.ts';
import { errorTexts, notification } from './fixtures.ts';

const SPACE_PATH = '/v1/spaces/AAAAbCdEfGh/messages?key=AIzaSyGoogleChatKey0123456789&token=GoogleChatToken0123456789';

const receiver = webhookReceivers({ status: 200 });

const channel = (target: WebhookReceiver): ChannelConfig => ({
  kind: 'googlechat',
  settings: {},
  secrets: { url: `${target.url}${SPACE_PATH}` },
});

describe('Google Chat channel', () => {
  it('posts a card with escaped user text, in the thread of the incident', async () => {
    const target = await receiver();
    const monitor = { id: 7, name: '<b>Shop</b> <https://evil.example|x> *api*', target: 'tcp://db:5432' };
    await sendNotification(channel(target), notification({ monitor }), { timeoutMs: 2000 });

    expect(target.requests).toHaveLength(1);
    const request = target.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`${SPACE_PATH}&messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD`);
    expect(request.headers['content-type']).toBe('application/json');
    const escaped = '&#60;b&#62;Shop&#60;/b&#62; &#60;https://evil.example|x&#62; *api*';
    expect(JSON.parse(request.body)).toEqual({
      fallbackText: [
        `🔴 DOWN: ${monitor.name}`,
        '',
        `Monitor: ${monitor.name}`,
        'Target: tcp://db:5432',
        'Cause: HTTP 500',
        'Time: 2025-01-10T14:30:00Z',
        'Dashboard: http://vigie.example.com/monitors/7',
      ].join('\n'),
      cardsV2: [
        {
          cardId: 'vigie',
          card: {
            header: { title: `🔴 DOWN: ${monitor.name}` },
            sections: [
              {
                widgets: [
                  {
                    textParagraph: {
                      text: [
                        `<b>Monitor:</b> ${escaped}`,
                        '<b>Target:</b> tcp://db:5432',
                        '<b>Cause:</b> HTTP 500',
                        '<b>Time:</b> 2025-01-10T14:30:00Z',
                      ].join('<br>'),
                    },
                  },
                  {
                    buttonList: {
                      buttons: [
                        {
                          text: 'Open in Vigie',
                          onClick: { openLink: { url: 'http://vigie.example.com/monitors/7' } },
                        },
                      ],
                    },
                  },
                ],
              },
            ],
          },
        },
      ],
      thread: { threadKey: 'vigie-monitor-7-down-42' },
    });
  });

  it('answers the DOWN in its thread with the UP, and sends a test outside any thread', async () => {
    const target = await receiver();
    await sendNotification(channel(target), notification({ kind: 'UP', alertId: 43, outageSeconds: 5 }), {
      timeoutMs: 2000,
    });
    await sendNotification(channel(target), notification({ kind: 'TEST', incidentKey: null, monitor: null }), {
      timeoutMs: 2000,
    });
    const up = JSON.parse(target.requests[0]!.body);
    expect(up.thread).toEqual({ threadKey: 'vigie-monitor-7-down-42' });
    expect(up.cardsV2[0].card.header.title).toBe('🟢 UP: Shop API (down for 5 s)');
    expect(target.requests[1]!.path).toBe(SPACE_PATH);
    expect(JSON.parse(target.requests[1]!.body).thread).toBeUndefined();
  });

  it('keeps the key and token out of errors', async () => {
    const target = await receiver({ status: 400 });
    const error = await sendNotification(channel(target), notification(), { timeoutMs: 2000 }).catch((e) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`Google Chat webhook ${target.url}/…`);
    for (const part of ['AIzaSyGoogleChatKey0123456789', 'GoogleChatToken0123456789', 'AAAAbCdEfGh']) {
      expect(errorTexts(error)).not.toContain(part);
    }
  });
});
