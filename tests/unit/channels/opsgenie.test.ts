// Opsgenie: the exact Alert API requests a loopback receiver gets; the UP closes, by alias, what the DOWN created.
import { describe, expect, it } from 'vitest';
import { DeliveryError, sendNotification, validateChannelInput } from '../../../server/alerts/channels/index.ts';
import type { ChannelConfig } from '../../../server/alerts/channels/index.ts';
import { type WebhookReceiver, webhookReceivers } from '../../helpers/receivers.ts';
import { errorTexts, notification } from './fixtures.ts';

const API_KEY = 'eb243592-faa2-4ba2-a551-1afdf565c889';

const receiver = webhookReceivers({ status: 202, body: '{"result":"Request will be processed","took":0.2}' });

function channel(target: WebhookReceiver): ChannelConfig {
  return {
    kind: 'opsgenie',
    ...validateChannelInput('opsgenie', { apiUrl: target.url }, { apiKey: API_KEY }),
  } as ChannelConfig;
}

describe('Opsgenie channel', () => {
  it('creates an alert aliased by the incident on DOWN, and closes that alias on UP', async () => {
    const target = await receiver();
    await sendNotification(channel(target), notification(), { timeoutMs: 2000 });
    await sendNotification(
      channel(target),
      notification({ kind: 'UP', alertId: 57, outageSeconds: 125, cause: null }),
      {
        timeoutMs: 2000,
      },
    );

    expect(target.requests).toHaveLength(2);
    const [create, close] = target.requests;
    for (const request of [create!, close!]) {
      expect(request.method).toBe('POST');
      expect(request.headers.authorization).toBe(`GenieKey ${API_KEY}`);
      expect(request.headers['content-type']).toBe('application/json');
    }
    expect(create!.path).toBe('/v2/alerts');
    expect(JSON.parse(create!.body)).toEqual({
      message: '🔴 DOWN: Shop API',
      alias: 'vigie-monitor-7-down-42',
      description: [
        '🔴 DOWN: Shop API',
        '',
        'Monitor: Shop API',
        'Target: https://shop.example.com/health',
        'Cause: HTTP 500',
        'Time: 2025-01-10T14:30:00Z',
        'Dashboard: http://vigie.example.com/monitors/7',
      ].join('\n'),
      source: 'Vigie',
      entity: 'Shop API',
      tags: ['vigie', 'down'],
      details: {
        Monitor: 'Shop API',
        Target: 'https://shop.example.com/health',
        Cause: 'HTTP 500',
        Time: '2025-01-10T14:30:00Z',
        Dashboard: 'http://vigie.example.com/monitors/7',
      },
      priority: 'P1',
    });
    expect(close!.path).toBe('/v2/alerts/vigie-monitor-7-down-42/close?identifierType=alias');
    expect(JSON.parse(close!.body)).toEqual({ source: 'Vigie', note: '🟢 UP: Shop API (down for 2 min 5 s)' });
  });

  it('sends nothing for an UP whose DOWN is unknown; a test is a P5 alert aliased by its delivery', async () => {
    const target = await receiver();
    await sendNotification(channel(target), notification({ kind: 'UP', incidentKey: null }), { timeoutMs: 2000 });
    expect(target.requests).toHaveLength(0);
    await sendNotification(
      channel(target),
      notification({ kind: 'TEST', incidentKey: null, monitor: null, cause: null, idempotencyKey: 'test-3-1' }),
      { timeoutMs: 2000 },
    );
    const test = JSON.parse(target.requests[0]!.body);
    expect(test).toMatchObject({ alias: 'test-3-1', priority: 'P5', tags: ['vigie', 'test'] });
    expect(test.entity).toBeUndefined();
  });

  it('keeps the API key out of errors; a 422 is final, a 429 retried', async () => {
    const target = await receiver({ status: 422, body: `{"message":"bad key ${API_KEY}"}` });
    const error = await sendNotification(channel(target), notification(), { timeoutMs: 2000 }).catch((e) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`Opsgenie API ${target.url}/… answered HTTP 422`);
    target.setStatus(429);
    const limited = await sendNotification(channel(target), notification(), { timeoutMs: 2000 }).catch((e) => e);
    expect(limited.retryable).toBe(true);
    for (const failure of [error, limited]) expect(errorTexts(failure)).not.toContain(API_KEY);
  });
});
