// Matrix: the exact PUT a loopback homeserver gets (room and transaction id in the path), and the token kept safe.
import { describe, expect, it } from 'vitest';
import { DeliveryError, sendNotification, validateChannelInput } from '../../../server/alerts/channels/index.ts';
import type { ChannelConfig } from '../../../server/alerts/channels/index.ts';
import { type WebhookReceiver, webhookReceivers } from '../../helpers/receivers.ts';
import { errorTexts, notification } from './fixtures.ts';

const ACCESS_TOKEN = 'syt_dmlnaWU_MatrixAccessTokenSecret_0a1b2c';
const ROOM_ID = '!AbCdEfGh12345:matrix.example.org';

const receiver = webhookReceivers({ status: 200, body: '{"event_id":"$e1"}' });

function channel(target: WebhookReceiver): ChannelConfig {
  return {
    kind: 'matrix',
    ...validateChannelInput('matrix', { homeserver: target.url, roomId: ROOM_ID }, { accessToken: ACCESS_TOKEN }),
  } as ChannelConfig;
}

describe('Matrix channel', () => {
  it('PUTs an m.notice to the room, with the idempotency key as transaction id and user text escaped', async () => {
    const target = await receiver();
    const monitor = { id: 7, name: '@room <b>Shop</b>', target: 'https://shop.example.com/health' };
    await sendNotification(channel(target), notification({ monitor }), { timeoutMs: 2000 });

    expect(target.requests).toHaveLength(1);
    const request = target.requests[0]!;
    expect(request.method).toBe('PUT');
    expect(request.path).toBe(
      '/_matrix/client/v3/rooms/!AbCdEfGh12345%3Amatrix.example.org/send/m.room.message/alert-42-channel-3',
    );
    expect(request.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(request.headers['content-type']).toBe('application/json');
    const escaped = '@room &#60;b&#62;Shop&#60;/b&#62;';
    expect(JSON.parse(request.body)).toEqual({
      msgtype: 'm.notice',
      body: [
        `🔴 DOWN: ${monitor.name}`,
        '',
        `Monitor: ${monitor.name}`,
        'Target: https://shop.example.com/health',
        'Cause: HTTP 500',
        'Time: 2025-01-10T14:30:00Z',
        'Dashboard: http://vigie.example.com/monitors/7',
      ].join('\n'),
      format: 'org.matrix.custom.html',
      formatted_body: [
        `<b>🔴 DOWN: ${escaped}</b>`,
        `<b>Monitor:</b> ${escaped}`,
        '<b>Target:</b> https://shop.example.com/health',
        '<b>Cause:</b> HTTP 500',
        '<b>Time:</b> 2025-01-10T14:30:00Z',
        '<a href="http://vigie.example.com/monitors/7">Open in Vigie</a>',
      ].join('<br>'),
      'm.mentions': {},
    });
  });

  it('sends a retry with the same transaction id, so the homeserver shows it once', async () => {
    const target = await receiver({ status: 502 });
    const failed = await sendNotification(channel(target), notification(), { timeoutMs: 2000 }).catch((e) => e);
    expect(failed.retryable).toBe(true);
    target.setStatus(200);
    await sendNotification(channel(target), notification(), { timeoutMs: 2000 });
    expect(target.requests).toHaveLength(2);
    expect(target.requests[1]!.path).toBe(target.requests[0]!.path);
    expect(target.requests[1]!.body).toBe(target.requests[0]!.body);
  });

  it('keeps the access token out of errors; a 403 (not in the room) is final', async () => {
    const target = await receiver({
      status: 403,
      body: `{"errcode":"M_FORBIDDEN","error":"User not in room (token ${ACCESS_TOKEN})"}`,
    });
    const error = await sendNotification(channel(target), notification(), { timeoutMs: 2000 }).catch((e) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`Matrix homeserver ${target.url}/… answered HTTP 403`);
    expect(error.message).toContain('M_FORBIDDEN');
    expect(errorTexts(error)).not.toContain(ACCESS_TOKEN);
  });
});
