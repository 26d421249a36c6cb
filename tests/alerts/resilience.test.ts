// Alerts reach people through real parts: an email through a real SMTP server; a hanging receiver does not
// slow the check loop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertResults } from '../../server/db/index.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createChannel, createMonitor, result } from '../helpers/factories.ts';
import {
  parseMail,
  startSmtpServer,
  startWebhookReceiver,
  type SmtpReceiver,
  type WebhookReceiver,
} from '../helpers/receivers.ts';
import { startHttpTarget, type HttpTarget } from '../helpers/targets.ts';

let app: TestApp;
let smtp: SmtpReceiver;
let hook: WebhookReceiver;
let target: HttpTarget;

beforeAll(async () => {
  [smtp, hook, target] = await Promise.all([
    startSmtpServer({ auth: { user: 'vigie', password: 'mail-pass-123' } }),
    startWebhookReceiver(),
    startHttpTarget(),
  ]);
  app = await startTestApp({
    NOTIFICATION_DELAI_GROUPAGE_MS: '0',
    TIMEOUT_NOTIFICATION_SECONDES: '1',
    NOTIFICATIONS_PARALLELES: '2',
  });
});
afterAll(async () => {
  await app.close();
  await Promise.all([smtp.close(), hook.close(), target.close()]);
});

describe('delivery through real parts', () => {
  it('emails a DOWN alert through a real SMTP server, password never shown', async () => {
    const channel = await createChannel(app.testDb.db, {
      name: 'ops mail',
      kind: 'email',
      settings: {
        host: '127.0.0.1',
        port: smtp.port,
        security: 'none',
        user: 'vigie',
        from: 'vigie@example.test',
        to: ['ops@example.test', 'oncall@example.test'],
      },
      secrets: { password: 'mail-pass-123' },
    });
    const listed = await (await app.request('/api/canaux')).text();
    expect(listed).not.toContain('mail-pass-123');
    const monitor = await createMonitor(app.testDb.db, {
      name: 'Checkout {{constructor}}',
      paused: true,
      target: 'https://shop.example.test/',
    });
    await app.request(`/api/moniteurs/${monitor.id}/canaux`, {
      method: 'PUT',
      body: JSON.stringify({ canaux: [channel.id] }),
    });
    await insertResults(app.testDb.db, [
      result(monitor.id, true),
      result(monitor.id, false, { error: 'timeout after 10 s', cause: 'timeout' }),
    ]);

    await expect.poll(() => smtp.messages.length, { timeout: 8000 }).toBe(1);
    const message = smtp.messages[0]!;
    expect(message.to.sort()).toEqual(['oncall@example.test', 'ops@example.test']);
    const mail = parseMail(message.raw);
    expect(mail.subject).toContain('DOWN');
    expect(mail.subject).toContain('Checkout {{constructor}}');
    expect(mail.text).toContain('timeout after 10 s');
    expect(mail.text).toContain('https://shop.example.test/');
    expect(mail.text).toContain(`/#/monitors/${monitor.id}`);
  });

  it('keeps checking at its pace while every delivery hangs on a receiver that never answers', async () => {
    hook.setDelay(Infinity);
    await createChannel(app.testDb.db, {
      name: 'stuck',
      kind: 'webhook',
      settings: { url: `${hook.url}/slow` },
      isDefault: true,
    });
    const noisy = await Promise.all(
      Array.from({ length: 6 }, (_, i) => createMonitor(app.testDb.db, { name: `noisy ${i}`, paused: true })),
    );
    await insertResults(
      app.testDb.db,
      noisy.flatMap((monitor) => [result(monitor.id, true), result(monitor.id, false)]),
    );
    await expect.poll(() => hook.requests.length, { timeout: 5000 }).toBeGreaterThan(0);

    const checked = await createMonitor(app.testDb.db, {
      name: 'steady',
      target: `${target.url}/`,
      intervalSeconds: 1,
      timeoutSeconds: 0.5,
    });
    const before = target.requests;
    await new Promise((resolve) => setTimeout(resolve, 4200));
    expect(target.requests - before).toBeGreaterThanOrEqual(4);
    const { rows } = await app.testDb.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM monitoring.statuts WHERE moniteur_id = $1',
      [checked.id],
    );
    expect(rows[0]!.n).toBeGreaterThanOrEqual(4);
    hook.setDelay(0);
  });
});
