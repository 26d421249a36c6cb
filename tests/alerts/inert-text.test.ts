// End to end: a monitor with a hostile name checks a target whose redirect puts markup into the check's error;
// the DOWN email's HTML part shows all of it as text, and its text part as written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMonitor, insertResults } from '../../server/db/index.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createChannel, monitorSettings, result } from '../helpers/factories.ts';
import { parseMail, startSmtpServer, type SmtpReceiver } from '../helpers/receivers.ts';
import { startHttpTarget, type HttpTarget } from '../helpers/targets.ts';

const NAME = '<img src=x onerror=alert(1)>';
// An invalid URL: the check fails with "redirect to an invalid URL: <location>", text the target chose.
const LOCATION = 'http://[</td><script>alert(1)</script>';

let app: TestApp;
let smtp: SmtpReceiver;
let target: HttpTarget;

beforeAll(async () => {
  [smtp, target] = await Promise.all([startSmtpServer(), startHttpTarget()]);
  app = await startTestApp({ NOTIFICATION_DELAI_GROUPAGE_MS: '0', TIMEOUT_NOTIFICATION_SECONDES: '2' });
});
afterAll(async () => {
  await app?.close();
  await Promise.all([smtp?.close(), target?.close()]);
});

describe('an email about a hostile monitor and target', () => {
  it('keeps names, targets and check errors inert in the HTML part', async () => {
    await createChannel(app.testDb.db, {
      name: 'ops mail',
      kind: 'email',
      settings: {
        host: '127.0.0.1',
        port: smtp.port,
        security: 'none',
        from: 'vigie@example.test',
        to: ['ops@example.test'],
      },
      isDefault: true,
    });
    const url = `${target.url}/redirect?to=${encodeURIComponent(LOCATION)}&x=<b>`;
    // Up once (an alert needs a transition), then checked for real.
    // Stored through the repository: the monitor service would percent-encode the raw "<b>" of the target.
    const monitor = await insertMonitor(app.testDb.db, {
      ...monitorSettings({ name: NAME, intervalSeconds: 60, timeoutSeconds: 2, paused: true }),
      target: url,
    });
    await insertResults(app.testDb.db, [result(monitor.id, true)]);
    expect((await app.request(`/api/moniteurs/${monitor.id}/reprise`, { method: 'POST' })).status).toBe(200);

    await expect.poll(() => smtp.messages.length, { timeout: 10_000 }).toBe(1);
    const mail = parseMail(smtp.messages[0]!.raw);
    const error = `redirect to an invalid URL: ${LOCATION}`;
    expect(mail.subject).toBe(`🔴 DOWN: ${NAME}`);
    expect(mail.text!.replace(/\r\n/g, '\n')).toContain(`Monitor: ${NAME}\nTarget: ${url}\nCause: ${error}`);

    const html = mail.html!;
    expect(html).not.toMatch(/<(img|script|b)\b/i);
    expect(html).not.toContain('</td><script>');
    expect(html).toContain('<td>&#60;img src=x onerror=alert(1)&#62;</td>');
    expect(html).toContain(
      `<td>redirect to an invalid URL: http://[&#60;/td&#62;&#60;script&#62;alert(1)&#60;/script&#62;</td>`,
    );
    expect(html).toContain('&#38;x=&#60;b&#62;');
  });
});
