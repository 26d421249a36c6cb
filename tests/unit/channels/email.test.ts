// Email delivery to a real SMTP server on loopback: envelope, subject, both bodies, AUTH, STARTTLS, failure classes.
import net from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError, sendNotification } from '../../../server/alerts/channels/index.ts';
import type { ChannelConfig, ChannelSettings } from '../../../server/alerts/channels/index.ts';
import { parseMail, startSmtpServer } from '../../helpers/receivers.ts';
import type { SmtpReceiver, SmtpReceiverOptions } from '../../helpers/receivers.ts';
import { closedPort } from '../../helpers/targets.ts';
import { errorTexts, notification } from './fixtures.ts';

const PASSWORD = 'smtp-Pa55word-9d2f';
const closers: Array<() => Promise<void>> = [];

async function smtp(options: SmtpReceiverOptions = {}): Promise<SmtpReceiver> {
  const server = await startSmtpServer(options);
  closers.push(server.close);
  return server;
}

function email(
  port: number,
  settings: Partial<ChannelSettings['email']> = {},
  password: string | null = null,
): ChannelConfig {
  return {
    kind: 'email',
    settings: {
      host: '127.0.0.1',
      port,
      security: 'none',
      user: null,
      from: 'vigie@example.com',
      to: ['ops@example.com', 'oncall@example.org'],
      ignoreTlsErrors: false,
      ...settings,
    },
    secrets: { password },
  };
}

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('email channel', () => {
  it('delivers to every recipient with the title as subject, a literal text part and an escaped HTML part', async () => {
    const server = await smtp();
    const name = '<script>alert(1)</script> {{constructor}} ${process.env.HOME}';
    await sendNotification(
      email(server.port),
      notification({ monitor: { id: 7, name, target: 'https://shop.example.com' } }),
      { timeoutMs: 5000 },
    );

    expect(server.messages).toHaveLength(1);
    const [message] = server.messages;
    expect(message!.from).toBe('vigie@example.com');
    expect(message!.to).toEqual(['ops@example.com', 'oncall@example.org']);
    const mail = parseMail(message!.raw);
    expect(mail.subject).toBe(`🔴 DOWN: ${name}`);
    expect(mail.headers['x-vigie-idempotency-key']).toBe('alert-42-channel-3');
    expect(mail.headers['message-id']).toBe('<alert-42-channel-3@example.com>');
    expect(mail.text).toContain(`Monitor: ${name}`);
    expect(mail.text).toContain('Cause: HTTP 500');
    expect(mail.text).toContain('Time: 2025-01-10T14:30:00Z');
    expect(mail.text).toContain('Dashboard: http://vigie.example.com/monitors/7');
    expect(mail.html).toContain('&#60;script&#62;alert(1)&#60;/script&#62; {{constructor}} ${process.env.HOME}');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('<a href="http://vigie.example.com/monitors/7">');
  });

  it('logs in with the user and password', async () => {
    const server = await smtp({ auth: { user: 'vigie', password: PASSWORD } });
    await sendNotification(email(server.port, { user: 'vigie' }, PASSWORD), notification(), { timeoutMs: 5000 });
    expect(server.messages).toHaveLength(1);
  });

  it('reports a refused login as final, without the password', async () => {
    const server = await smtp({ auth: { user: 'vigie', password: PASSWORD } });
    const wrong = `${PASSWORD}-wrong`;
    const error = await failure(
      sendNotification(email(server.port, { user: 'vigie' }, wrong), notification(), { timeoutMs: 5000 }),
    );
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/authentication failed.*535/);
    expect(errorTexts(error)).not.toContain(wrong);
    expect(errorTexts(error)).not.toContain(Buffer.from(wrong).toString('base64'));
    expect(server.messages).toHaveLength(0);
  });

  it('upgrades with STARTTLS to a self-signed server when told to ignore TLS errors', async () => {
    const server = await smtp({ security: 'starttls', auth: { user: 'vigie', password: PASSWORD } });
    const channel = email(server.port, { security: 'starttls', ignoreTlsErrors: true, user: 'vigie' }, PASSWORD);
    await sendNotification(channel, notification(), { timeoutMs: 5000 });
    expect(server.messages).toHaveLength(1);
  });

  it('refuses a self-signed certificate otherwise, as a final error', async () => {
    const server = await smtp({ security: 'starttls' });
    const error = await failure(
      sendNotification(email(server.port, { security: 'starttls' }), notification(), { timeoutMs: 5000 }),
    );
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('certificate');
    expect(server.messages).toHaveLength(0);
  });

  it('speaks TLS from the first byte in tls mode', async () => {
    const server = await smtp({ security: 'tls' });
    await sendNotification(email(server.port, { security: 'tls', ignoreTlsErrors: true }), notification(), {
      timeoutMs: 5000,
    });
    expect(server.messages).toHaveLength(1);
  });

  it('reports TLS spoken to a plain-text port as final', async () => {
    const server = await smtp({ security: 'none' });
    const error = await failure(
      sendNotification(email(server.port, { security: 'tls' }), notification(), { timeoutMs: 5000 }),
    );
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('does not speak TLS');
  });

  it('fails when starttls is required and the server does not offer it', async () => {
    const server = await smtp({ security: 'none' });
    const error = await failure(
      sendNotification(email(server.port, { security: 'starttls' }), notification(), { timeoutMs: 5000 }),
    );
    expect(error.retryable).toBe(false);
    expect(server.messages).toHaveLength(0);
  });

  it('treats a 5xx recipient refusal as final and a 4xx one as temporary', async () => {
    const refusing = await smtp({ rejectRecipients: 550 });
    const final = await failure(sendNotification(email(refusing.port), notification(), { timeoutMs: 5000 }));
    expect(final.retryable).toBe(false);
    expect(final.message).toContain('550');
    const deferring = await smtp({ rejectRecipients: 451 });
    const temporary = await failure(sendNotification(email(deferring.port), notification(), { timeoutMs: 5000 }));
    expect(temporary.retryable).toBe(true);
    expect(temporary.message).toContain('451');
  });

  it('reports a refused connection as retryable', async () => {
    const error = await failure(sendNotification(email(await closedPort()), notification(), { timeoutMs: 5000 }));
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('connection refused');
  });

  it('gives up on a server that never greets within the deadline', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    closers.push(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });
    const started = Date.now();
    const error = await failure(
      sendNotification(email((silent.address() as net.AddressInfo).port), notification(), { timeoutMs: 400 }),
    );
    expect(error.retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
