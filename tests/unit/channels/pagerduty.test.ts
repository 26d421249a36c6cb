// PagerDuty Events API v2: the exact events a loopback receiver gets; the UP resolves what the DOWN triggered.
import { describe, expect, it } from 'vitest';
import { DeliveryError, sendNotification, validateChannelInput } from '../../../server/alerts/channels/index.ts';
import type { ChannelConfig } from '../../../server/alerts/channels/index.ts';
import { type WebhookReceiver, webhookReceivers } from '../../helpers/receivers.ts';
import { errorTexts, notification } from './fixtures.ts';

const ROUTING_KEY = 'R0ut1ngKeyPagerDuty0123456789abc';

const receiver = webhookReceivers({
  status: 202,
  body: `{"status":"success","message":"Event processed","routing_key":"${ROUTING_KEY}"}`,
});

function channel(target: WebhookReceiver): ChannelConfig {
  return {
    kind: 'pagerduty',
    ...validateChannelInput('pagerduty', { apiUrl: target.url }, { routingKey: ROUTING_KEY }),
  } as ChannelConfig;
}

describe('PagerDuty channel', () => {
  it('triggers on DOWN with the incident as dedup_key, and the UP resolves that same key', async () => {
    const target = await receiver();
    await sendNotification(channel(target), notification(), { timeoutMs: 2000 });
    await sendNotification(
      channel(target),
      notification({ kind: 'UP', alertId: 57, idempotencyKey: 'alert-57-channel-3', outageSeconds: 600, cause: null }),
      { timeoutMs: 2000 },
    );

    expect(target.requests).toHaveLength(2);
    const [trigger, resolve] = target.requests;
    for (const request of [trigger!, resolve!]) {
      expect(request.method).toBe('POST');
      expect(request.path).toBe('/v2/enqueue');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['user-agent']).toBe('Vigie');
    }
    expect(JSON.parse(trigger!.body)).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: 'vigie-monitor-7-down-42',
      payload: {
        summary: '🔴 DOWN: Shop API',
        source: 'https://shop.example.com/health',
        severity: 'critical',
        timestamp: '2025-01-10T14:30:00.000Z',
        component: 'Shop API',
        class: 'DOWN',
        custom_details: {
          Monitor: 'Shop API',
          Target: 'https://shop.example.com/health',
          Cause: 'HTTP 500',
          Time: '2025-01-10T14:30:00Z',
          Dashboard: 'http://vigie.example.com/monitors/7',
        },
      },
      client: 'Vigie',
      client_url: 'http://vigie.example.com/monitors/7',
      links: [{ href: 'http://vigie.example.com/monitors/7', text: 'Open in Vigie' }],
    });
    expect(JSON.parse(resolve!.body)).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'resolve',
      dedup_key: 'vigie-monitor-7-down-42',
    });
  });

  it('sends nothing for an UP whose DOWN is unknown; keys other notices by their delivery', async () => {
    const target = await receiver();
    await sendNotification(channel(target), notification({ kind: 'UP', incidentKey: null }), { timeoutMs: 2000 });
    expect(target.requests).toHaveLength(0);

    await sendNotification(
      channel(target),
      notification({ kind: 'CERTIFICATE', incidentKey: null, cause: 'certificate expires in 5 days' }),
      { timeoutMs: 2000 },
    );
    await sendNotification(channel(target), notification({ kind: 'REMINDER', outageSeconds: 3600 }), {
      timeoutMs: 2000,
    });
    const certificate = JSON.parse(target.requests[0]!.body);
    expect(certificate).toMatchObject({
      event_action: 'trigger',
      dedup_key: 'alert-42-channel-3',
      payload: { severity: 'warning', class: 'CERTIFICATE', summary: '🔒 CERTIFICATE: Shop API' },
    });
    const reminder = JSON.parse(target.requests[1]!.body);
    expect(reminder).toMatchObject({ event_action: 'trigger', dedup_key: 'vigie-monitor-7-down-42' });
  });

  it('keeps the routing key out of errors; a 400 is final, a 429 retried', async () => {
    const target = await receiver({ status: 400 });
    target.setStatus(400);
    const error = await sendNotification(channel(target), notification(), { timeoutMs: 2000 }).catch((e) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`PagerDuty Events API ${target.url}/… answered HTTP 400`);
    target.setStatus(429);
    const limited = await sendNotification(channel(target), notification(), { timeoutMs: 2000 }).catch((e) => e);
    expect(limited.retryable).toBe(true);
    for (const failure of [error, limited]) expect(errorTexts(failure)).not.toContain(ROUTING_KEY);
  });
});
