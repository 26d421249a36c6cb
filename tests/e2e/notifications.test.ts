// The Notifications page end to end: webhook channels created in the form (secret write-only, a test send
// answered), linked to a monitor on its form; the target breaks and the delivery log shows, live, one channel's
// delivery sent (and its loopback receiver got it) and the other's retrying then failed, until "Retry now" sends
// it. Read-only for a viewer; fits a phone screen.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActors, startAuthApp, type Actors } from '../auth/support.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createChannel, createMonitor } from '../helpers/factories.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/receivers.ts';
import { startHttpTarget, type HttpTarget } from '../helpers/targets.ts';
import { horizontalOverflow, launchBrowser, openPage, screenshot } from './browser.ts';
import { LIVE_TIMEOUT, loggedInContext, markDocument, stillSameDocument, waitForText } from './support.ts';

/** A channel's row on the Notifications page. */
const channelItem = (page: Page, name: string) => page.locator('.channel-item', { hasText: name });

async function createWebhookChannel(page: Page, name: string, url: string, secret?: string): Promise<void> {
  await page.getByRole('button', { name: 'New channel' }).click();
  const form = page.locator('form.channel-form');
  await form.getByLabel('Name').fill(name);
  expect(await form.getByLabel('Kind').inputValue()).toBe('WEBHOOK');
  await form.getByLabel('URL', { exact: true }).fill(url);
  if (secret) await form.getByLabel('Signing secret').fill(secret);
  await form.getByRole('button', { name: 'Create channel' }).click();
  await channelItem(page, name).waitFor({ timeout: LIVE_TIMEOUT });
  expect(await form.count()).toBe(0);
}

describe('notifications page', () => {
  let app: TestApp;
  let target: HttpTarget;
  let good: WebhookReceiver;
  let failing: WebhookReceiver;
  let browser: Browser;
  let monitorId: string;

  beforeAll(async () => {
    [app, target, good, failing, browser] = await Promise.all([
      startTestApp({
        NOTIFICATION_DELAI_GROUPAGE_MS: '0',
        // Retrying lasts 1.5 s then 3 s before the third attempt fails for good: long enough to be seen.
        NOTIFICATION_DELAI_RELANCE_MS: '1500',
        NOTIFICATION_TENTATIVES_MAX: '3',
        TIMEOUT_NOTIFICATION_SECONDES: '5',
      }),
      startHttpTarget(),
      startWebhookReceiver(),
      startWebhookReceiver({ status: 500 }),
      launchBrowser(),
    ]);
    monitorId = String(
      (await createMonitor(app.testDb.db, { name: 'Shop', target: `${target.url}/`, intervalSeconds: 1 })).id,
    );
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([target?.close(), good?.close(), failing?.close()]);
    await app?.close();
  });

  it('creates webhook channels, links them to a monitor, and shows deliveries sent, retrying, failed and retried', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${app.url}/`);
    await page.getByRole('link', { name: 'Notifications' }).click();
    await page.waitForURL(`${app.url}/notifications`);
    await waitForText(page.locator('.notifications-view [role="status"]').first(), /^No channels yet/);

    // Every kind has its form: switching kind swaps the fields (ntfy: server with its default, topic, token).
    await page.getByRole('button', { name: 'New channel' }).click();
    const form = page.locator('form.channel-form');
    await form.getByLabel('Kind').selectOption('NTFY');
    expect(await form.getByLabel('Server').inputValue()).toBe('https://ntfy.sh');
    await form.getByLabel('Topic').waitFor();
    await form.getByLabel('Access token').waitFor();
    // The server's refusal shows next to its field.
    await form.getByLabel('Name').fill('Phone');
    await form.getByLabel('Topic').fill('not a topic!');
    await form.getByRole('button', { name: 'Create channel' }).click();
    await waitForText(page.locator('[data-error-for="settings.topic"]'), /letters, digits/);
    await form.getByRole('button', { name: 'Cancel' }).click();

    await createWebhookChannel(page, 'Ops hook', `${good.url}/hook`, 's3cret-signing-key');
    await createWebhookChannel(page, 'Flaky hook', `${failing.url}/hook`);
    // The secret is never shown back: only whether it is set.
    expect(await page.content()).not.toContain('s3cret-signing-key');
    await channelItem(page, 'Ops hook').getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Signing secret (set)').waitFor();
    expect(await page.getByLabel('Signing secret (set)').inputValue()).toBe('');
    await page.locator('form.channel-form').getByRole('button', { name: 'Cancel' }).click();

    // A test send shows the receiver's answer, good or bad.
    await channelItem(page, 'Ops hook').getByRole('button', { name: 'Send a test' }).click();
    await waitForText(channelItem(page, 'Ops hook').locator('.test-result'), 'Test sent: the receiver accepted it.');
    expect(good.requests.at(-1)?.headers['x-vigie-event']).toBe('TEST');
    expect(good.requests.at(-1)?.headers['x-vigie-signature']).toMatch(/^sha256=/);
    await channelItem(page, 'Flaky hook').getByRole('button', { name: 'Send a test' }).click();
    await waitForText(channelItem(page, 'Flaky hook').locator('.test-result'), /^Test failed: .*500/);
    good.requests.length = 0;
    failing.requests.length = 0;

    // Link both to the monitor on its form, with reminders.
    await page.goto(`${app.url}/monitors/${monitorId}/edit`);
    // From here on, everything is live: no reload.
    await markDocument(page);
    await page.getByLabel('Ops hook (Webhook)').check();
    await page.getByLabel('Flaky hook (Webhook)').check();
    await page.getByLabel('Remind every (minutes)').fill('30');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(`${app.url}/monitors/${monitorId}`);
    const card = page.locator('.notifications-card');
    await waitForText(card.locator('.notified-channels'), 'Notifies: Ops hook (Webhook), Flaky hook (Webhook)');
    await waitForText(card.locator('p.muted').first(), /^Reminders every 30 min while down/);

    // Follow both logs live, then break the target.
    await page.getByRole('link', { name: 'Notifications' }).click();
    for (const name of ['Ops hook', 'Flaky hook']) {
      await channelItem(page, name).getByRole('button', { name: 'Deliveries' }).click();
      await waitForText(channelItem(page, name).locator('.delivery-log-box > p'), 'No deliveries yet.');
    }
    target.setStatus(500);

    const sent = channelItem(page, 'Ops hook').locator('.delivery[data-state="sent"]');
    await waitForText(sent.locator('.delivery-what'), 'Down · Shop');
    await expect.poll(() => good.requests.length).toBe(1);
    const body = JSON.parse(good.requests[0]!.body);
    expect(body).toMatchObject({ event: 'DOWN', monitor: { id: Number(monitorId), name: 'Shop' } });

    const flaky = channelItem(page, 'Flaky hook');
    await flaky.locator('.delivery[data-state="retrying"]').waitFor({ timeout: LIVE_TIMEOUT });
    await waitForText(flaky.locator('.delivery-error'), /^Last error: .*500/);
    await waitForText(flaky.locator('.delivery-details'), /^1 attempt · next try /);
    await flaky.locator('.delivery[data-state="failed"]').waitFor({ timeout: LIVE_TIMEOUT });
    await waitForText(flaky.locator('.delivery-details'), '3 attempts');
    expect(failing.requests).toHaveLength(3);
    await screenshot(page, 'notifications');

    // The receiver is fixed: "Retry now" sends it, and the log says so.
    failing.setStatus(200);
    await flaky.getByRole('button', { name: 'Retry now' }).click();
    await flaky.locator('.delivery[data-state="sent"]').waitFor({ timeout: LIVE_TIMEOUT });
    await waitForText(flaky.locator('.delivery-details'), /^4 attempts · sent /);
    expect(failing.requests).toHaveLength(4);
    expect(JSON.parse(failing.requests[3]!.body)).toMatchObject({ event: 'DOWN', monitor: { name: 'Shop' } });
    expect(await flaky.getByRole('button', { name: 'Retry now' }).count()).toBe(0);

    // The monitor's page lists the same deliveries.
    await page.getByRole('link', { name: 'Monitors' }).click();
    await page.locator(`tr[data-id="${monitorId}"] a`).first().click();
    await page.locator('.notifications-card .delivery[data-state="sent"]').nth(1).waitFor({ timeout: LIVE_TIMEOUT });
    expect(await stillSameDocument(page)).toBe(true);
    target.setStatus(200);

    // Disable one: the list says so.
    await page.getByRole('link', { name: 'Notifications' }).click();
    await channelItem(page, 'Flaky hook').getByRole('button', { name: 'Disable' }).click();
    await waitForText(channelItem(page, 'Flaky hook').locator('.channel-disabled'), 'Disabled');
    expect(errors).toEqual([]);
  });

  it('fits a phone screen', async () => {
    const { page } = await openPage(browser, { width: 375, height: 740 });
    await page.goto(`${app.url}/notifications`);
    await channelItem(page, 'Ops hook').getByRole('button', { name: 'Deliveries' }).click();
    await channelItem(page, 'Ops hook').locator('.delivery').first().waitFor();
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'notifications-mobile');
  });
});

describe('notifications page for a viewer', () => {
  let app: TestApp;
  let actors: Actors;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startAuthApp(), launchBrowser()]);
    actors = await createActors(app);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('lists channels and their deliveries without any control', async () => {
    await createChannel(app.testDb.db, {
      name: 'Team chat',
      kind: 'slack',
      secrets: { url: 'https://hooks.slack.com/services/T000/B000/secrettoken' },
      isDefault: true,
    });
    const context = await loggedInContext(browser, app, actors.viewer);
    const page = await context.newPage();
    await page.goto(`${app.url}/notifications`);
    const item = channelItem(page, 'Team chat');
    await waitForText(item.locator('.channel-kind'), 'Slack');
    await waitForText(item.locator('.channel-default'), 'Default');
    expect(await page.content()).not.toContain('secrettoken');
    await item.getByRole('button', { name: 'Deliveries' }).click();
    await waitForText(item.locator('.delivery-log-box > p'), 'No deliveries yet.');
    expect(await page.locator('form, .channel-actions button:not([data-action="deliveries"])').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'New channel' }).count()).toBe(0);
    await context.close();
  });
});
