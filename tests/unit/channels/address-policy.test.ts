// Notification sends never reach link-local or cloud metadata addresses (after DNS too), and follow the
// operator's deny and allow lists: such a send fails for good, with a message saying why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAddressPolicies, createAddressPolicy } from '../../../server/checks/index.ts';
import { DeliveryError, sendNotification } from '../../../server/alerts/channels/index.ts';
import type { ChannelConfig } from '../../../server/alerts/channels/index.ts';
import { startDnsServer, type DnsServer } from '../../helpers/dns.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/receivers.ts';
import { notification } from './fixtures.ts';

const METADATA_REFUSAL = '169.254.169.254 is a link-local/cloud metadata address; Vigie does not send requests there';

let dns: DnsServer;
let target: WebhookReceiver;

beforeAll(async () => {
  [dns, target] = await Promise.all([
    startDnsServer({ 'hooks.vigie.test': ['169.254.169.254'], 'receiver.vigie.test': ['127.0.0.1'] }),
    startWebhookReceiver(),
  ]);
});

afterAll(async () => {
  await Promise.all([dns.close(), target.close()]);
});

function webhook(url: string): ChannelConfig {
  return { kind: 'webhook', settings: { url }, secrets: { secret: null } };
}

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('address policy of notification sends', () => {
  it('refuses a webhook to the metadata address, for good and at once', async () => {
    const started = performance.now();
    const error = await failure(
      sendNotification(webhook('http://169.254.169.254/latest/meta-data/'), notification(), { timeoutMs: 5000 }),
    );
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(`webhook http://169.254.169.254/…: ${METADATA_REFUSAL}`);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('refuses the IPv4-mapped IPv6 form, for Slack, Discord and ntfy too', async () => {
    const channels: ChannelConfig[] = [
      { kind: 'slack', settings: {}, secrets: { url: 'http://[::ffff:169.254.169.254]/services/T0/B0/token123456' } },
      { kind: 'discord', settings: {}, secrets: { url: 'http://169.254.169.254/api/webhooks/1/token123456' } },
      {
        kind: 'ntfy',
        settings: { server: 'http://[::ffff:a9fe:a9fe]', topic: 'alerts', priority: null },
        secrets: { token: null },
      },
    ];
    for (const channel of channels) {
      const error = await failure(sendNotification(channel, notification(), { timeoutMs: 2000 }));
      expect(error.retryable).toBe(false);
      expect(error.message).toContain(METADATA_REFUSAL);
      expect(error.message).not.toContain('token123456');
    }
  });

  it('refuses the metadata address for every other kind, keeping their secrets out of the message', async () => {
    const base = 'http://169.254.169.254';
    const channels: ChannelConfig[] = [
      { kind: 'telegram', settings: { apiUrl: base, chatId: '1' }, secrets: { botToken: '1:token123456' } },
      { kind: 'teams', settings: {}, secrets: { url: `${base}/workflows/x/invoke?sig=token123456` } },
      { kind: 'mattermost', settings: {}, secrets: { url: `${base}/hooks/token123456` } },
      { kind: 'googlechat', settings: {}, secrets: { url: `${base}/v1/spaces/A/messages?token=token123456` } },
      { kind: 'pagerduty', settings: { apiUrl: base }, secrets: { routingKey: 'token123456' } },
      { kind: 'opsgenie', settings: { apiUrl: base }, secrets: { apiKey: 'token123456' } },
      {
        kind: 'pushover',
        settings: { apiUrl: base, priority: null },
        secrets: { appToken: 'token123456', userKey: 'token123456' },
      },
      { kind: 'gotify', settings: { server: base, priority: null }, secrets: { token: 'token123456' } },
      { kind: 'matrix', settings: { homeserver: base, roomId: '!r:x' }, secrets: { accessToken: 'token123456' } },
    ];
    for (const channel of channels) {
      const error = await failure(sendNotification(channel, notification(), { timeoutMs: 2000 }));
      expect(error.retryable, channel.kind).toBe(false);
      expect(error.message, channel.kind).toContain(METADATA_REFUSAL);
      expect(error.message, channel.kind).not.toContain('token123456');
    }
  });

  it('refuses a host name that resolves to the metadata address', async () => {
    const addressPolicy = createAddressPolicy({ blockLinkLocal: true, resolve: dns.resolve });
    const error = await failure(
      sendNotification(webhook('http://hooks.vigie.test/hook'), notification(), { timeoutMs: 2000, addressPolicy }),
    );
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      'webhook http://hooks.vigie.test/…: hooks.vigie.test resolves to 169.254.169.254, which is a link-local/cloud metadata address; Vigie does not send requests there',
    );
  });

  it('sends through the same resolver to a permitted address', async () => {
    const addressPolicy = createAddressPolicy({ blockLinkLocal: true, resolve: dns.resolve });
    const before = target.requests.length;
    await sendNotification(webhook(`http://receiver.vigie.test:${new URL(target.url).port}/hook`), notification(), {
      timeoutMs: 2000,
      addressPolicy,
    });
    expect(target.requests.length - before).toBe(1);
  });

  it('follows the deny list: a denied receiver gets nothing', async () => {
    const { strict } = createAddressPolicies({ deniedNetworks: ['127.0.0.0/8'], allowedNetworks: [] });
    const before = target.requests.length;
    const error = await failure(
      sendNotification(webhook(`${target.url}/hook`), notification(), { timeoutMs: 2000, addressPolicy: strict }),
    );
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('127.0.0.1 is in a denied network (RESEAUX_INTERDITS)');
    expect(target.requests.length).toBe(before);
  });

  it('refuses an SMTP server at the metadata address, or outside the allowed networks', async () => {
    const email = (host: string): ChannelConfig => ({
      kind: 'email',
      settings: {
        host,
        port: 25,
        security: 'none',
        user: null,
        from: 'vigie@example.com',
        to: ['ops@example.com'],
        ignoreTlsErrors: false,
      },
      secrets: { password: null },
    });
    const metadata = await failure(sendNotification(email('169.254.169.254'), notification(), { timeoutMs: 2000 }));
    expect(metadata.retryable).toBe(false);
    expect(metadata.message).toBe(`SMTP server 169.254.169.254:25: ${METADATA_REFUSAL}`);
    const { strict } = createAddressPolicies({ deniedNetworks: [], allowedNetworks: ['10.0.0.0/8'] }, dns.resolve);
    const outside = await failure(
      sendNotification(email('receiver.vigie.test'), notification(), { timeoutMs: 2000, addressPolicy: strict }),
    );
    expect(outside.retryable).toBe(false);
    expect(outside.message).toMatch(
      /^SMTP server receiver\.vigie\.test:25: receiver\.vigie\.test resolves to 127\.0\.0\.1, which is outside the allowed networks/,
    );
  });
});
