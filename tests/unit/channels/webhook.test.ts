// Generic webhook delivery to a real loopback receiver: payload, signature, idempotency key, failure classes.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DeliveryError, notificationIdempotencyKey, sendNotification } from '../../../server/alerts/channels/index.ts';
import type { ChannelConfig } from '../../../server/alerts/channels/index.ts';
import { closedPort, startHttpsTarget, startHttpTarget } from '../../helpers/targets.ts';
import { webhookReceivers } from '../../helpers/receivers.ts';
import { errorTexts, HOSTILE_NAMES, notification } from './fixtures.ts';

const SECRET = 'whsec-3f9a1c7e5b2d4680';

const receiver = webhookReceivers();

function webhook(url: string, secret: string | null = SECRET): ChannelConfig {
  return { kind: 'webhook', settings: { url }, secrets: { secret } };
}

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('webhook channel', () => {
  it('POSTs the alert as JSON with a signature a receiver can verify over the raw body', async () => {
    const target = await receiver();
    await sendNotification(webhook(`${target.url}/hooks/vigie`), notification(), { timeoutMs: 2000 });

    expect(target.requests).toHaveLength(1);
    const [request] = target.requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe('/hooks/vigie');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['user-agent']).toBe('Vigie');
    expect(request!.headers['x-vigie-event']).toBe('DOWN');

    const timestamp = request!.headers['x-vigie-timestamp'] as string;
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    const expected = `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${request!.body}`).digest('hex')}`;
    const signature = request!.headers['x-vigie-signature'] as string;
    expect(timingSafeEqual(Buffer.from(signature), Buffer.from(expected))).toBe(true);

    expect(JSON.parse(request!.body)).toEqual({
      idempotencyKey: 'alert-42-channel-3',
      event: 'DOWN',
      title: '🔴 DOWN: Shop API',
      alert: {
        id: 42,
        kind: 'DOWN',
        cause: 'HTTP 500',
        occurredAt: '2025-01-10T14:30:00.000Z',
        outageSeconds: null,
        raisedLateSeconds: null,
      },
      monitor: { id: 7, name: 'Shop API', target: 'https://shop.example.com/health' },
      affectedMonitors: [],
      dashboardUrl: 'http://vigie.example.com/monitors/7',
      text: expect.stringContaining('Cause: HTTP 500'),
    });
  });

  it('sends no signature headers when the channel has no secret', async () => {
    const target = await receiver();
    await sendNotification(webhook(target.url, null), notification(), { timeoutMs: 2000 });
    expect(target.requests[0]!.headers['x-vigie-signature']).toBeUndefined();
    expect(target.requests[0]!.headers['x-vigie-timestamp']).toBeUndefined();
  });

  it('carries the same idempotency key in the header and the body, on every retry of the same delivery', async () => {
    const target = await receiver();
    const key = notificationIdempotencyKey(42, 3);
    expect(key).toBe(notificationIdempotencyKey(42, 3));
    expect(key).not.toBe(notificationIdempotencyKey(42, 4));
    for (let attempt = 0; attempt < 2; attempt++) {
      await sendNotification(webhook(target.url), notification({ idempotencyKey: key }), { timeoutMs: 2000 });
    }
    const keys = target.requests.flatMap((request) => [
      request.headers['idempotency-key'],
      JSON.parse(request.body).idempotencyKey,
    ]);
    expect(keys).toEqual([key, key, key, key]);
  });

  it('keeps hostile monitor names literal in the JSON', async () => {
    const target = await receiver();
    for (const name of HOSTILE_NAMES) {
      await sendNotification(webhook(target.url), notification({ monitor: { id: 1, name, target: 'tcp://db:5432' } }), {
        timeoutMs: 2000,
      });
    }
    const bodies = target.requests.map((request) => JSON.parse(request.body));
    expect(bodies.map((body) => body.monitor.name)).toEqual([...HOSTILE_NAMES]);
    expect(bodies.map((body) => body.title)).toEqual(HOSTILE_NAMES.map((name) => `🔴 DOWN: ${name}`));
    expect(bodies.every((body, index) => body.text.includes(`Monitor: ${HOSTILE_NAMES[index]}`))).toBe(true);
  });

  it('treats 500, 503, 408 and 429 as retryable, and reads Retry-After', async () => {
    const target = await receiver({ status: 500 });
    for (const [status, headers] of [
      [500, {}],
      [503, {}],
      [408, {}],
      [429, { 'Retry-After': '30' }],
    ] as const) {
      target.setStatus(status, headers);
      const error = await failure(sendNotification(webhook(target.url), notification(), { timeoutMs: 2000 }));
      expect(error.retryable).toBe(true);
      expect(error.message).toContain(`HTTP ${status}`);
      if (status === 429) expect(error.retryAfterMs).toBe(30_000);
    }
  });

  it('treats other 4xx answers as final', async () => {
    const target = await receiver({ status: 400 });
    for (const status of [400, 401, 404, 410]) {
      target.setStatus(status);
      const error = await failure(sendNotification(webhook(target.url), notification(), { timeoutMs: 2000 }));
      expect(error.retryable).toBe(false);
      expect(error.message).toContain(`HTTP ${status}`);
    }
  });

  it('does not follow a redirect, and says so', async () => {
    const elsewhere = await receiver();
    const target = await receiver({ status: 302, headers: { Location: `${elsewhere.url}/stolen` } });
    const error = await failure(sendNotification(webhook(target.url), notification(), { timeoutMs: 2000 }));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/HTTP 302.*redirect/);
    expect(target.requests).toHaveLength(1);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('reports a refused connection as retryable', async () => {
    const port = await closedPort();
    const error = await failure(
      sendNotification(webhook(`http://127.0.0.1:${port}/hook`), notification(), { timeoutMs: 2000 }),
    );
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('connection refused');
  });

  it('reports TLS problems as final: a self-signed certificate, or https spoken to a plain port', async () => {
    const selfSigned = await startHttpsTarget();
    try {
      const error = await failure(
        sendNotification(webhook(`${selfSigned.url}/hook`), notification(), { timeoutMs: 2000 }),
      );
      expect(error.retryable).toBe(false);
      expect(error.message).toContain('certificate');
    } finally {
      await selfSigned.close();
    }
    const plain = await receiver();
    const error = await failure(
      sendNotification(webhook(plain.url.replace('http:', 'https:')), notification(), { timeoutMs: 2000 }),
    );
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('does not speak TLS');
  });

  it('reads at most 64 KiB of an answer, so an endless one neither stalls nor fills memory', async () => {
    const endless = await startHttpTarget();
    try {
      const started = Date.now();
      await sendNotification(webhook(`${endless.url}/endless`), notification(), { timeoutMs: 5000 });
      expect(Date.now() - started).toBeLessThan(2000);
      await expect.poll(() => endless.openSockets).toBe(0);
    } finally {
      await endless.close();
    }
    const huge = await receiver({ status: 500, body: 'e'.repeat(4 * 1024 * 1024) });
    const error = await failure(sendNotification(webhook(huge.url), notification(), { timeoutMs: 5000 }));
    expect(error.retryable).toBe(true);
    expect(error.message.length).toBeLessThan(400);
  });

  it('gives up on a receiver that never answers within the deadline', async () => {
    const target = await receiver({ delayMs: Infinity });
    const started = Date.now();
    const error = await failure(sendNotification(webhook(target.url), notification(), { timeoutMs: 300 }));
    const elapsed = Date.now() - started;
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('300 ms');
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1000);
    expect(target.requests).toHaveLength(1);
  });

  it('never puts the secret or the URL path and query in an error', async () => {
    const path = '/hooks/T0KEN-in-path-8c1d2e?token=q-secret-77a1';
    const target = await receiver({ status: 500, body: `echo ${path} ${SECRET}` });
    const error = await failure(sendNotification(webhook(`${target.url}${path}`), notification(), { timeoutMs: 2000 }));
    const texts = errorTexts(error);
    expect(texts).toContain(`${target.url}/…`);
    for (const secret of [SECRET, 'T0KEN-in-path-8c1d2e', 'q-secret-77a1']) expect(texts).not.toContain(secret);
  });
});
