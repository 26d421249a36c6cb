// The Alerts page's per-alert delivery log end to end: an alert goes to a working webhook and to one answering
// 500; the alert's "Deliveries" section lists both by channel name, the failing one live through retrying to
// failed with its last error, and "Retry now" (an editor's) sends it again to the loopback receiver, now
// answering, the log turning to Sent without a reload. A viewer sees the same log, live, without the button.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_ON, createActors, type Actors } from '../auth/support.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createChannel, createMonitor, raiseDownAlert } from '../helpers/factories.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/receivers.ts';
import { horizontalOverflow, launchBrowser, screenshot } from './browser.ts';
import { LIVE_TIMEOUT, loggedInContext, markDocument, stillSameDocument, waitForText } from './support.ts';

/** One delivery of an alert's log, by its channel's name. */
const delivery = (alert: Locator, channel: string) => alert.locator('.delivery', { hasText: channel });

describe('alerts page: deliveries of each alert', () => {
  let app: TestApp;
  let actors: Actors;
  let good: WebhookReceiver;
  let failing: WebhookReceiver;
  let browser: Browser;

  beforeAll(async () => {
    [app, good, failing, browser] = await Promise.all([
      startTestApp({
        ...AUTH_ON,
        NOTIFICATION_DELAI_GROUPAGE_MS: '0',
        NOTIFICATION_DELAI_RELANCE_MS: '1000',
        NOTIFICATION_TENTATIVES_MAX: '2',
        TIMEOUT_NOTIFICATION_SECONDES: '5',
      }),
      startWebhookReceiver(),
      startWebhookReceiver({ status: 500 }),
      launchBrowser(),
    ]);
    actors = await createActors(app);
    await createChannel(app.testDb.db, { name: 'Team hook', settings: { url: `${good.url}/team` }, isDefault: true });
    await createChannel(app.testDb.db, {
      name: 'Broken hook',
      settings: { url: `${failing.url}/broken` },
      isDefault: true,
    });
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([good?.close(), failing?.close()]);
    await app?.close();
  });

  async function alertsPage(role: 'editor' | 'viewer'): Promise<{ page: Page; errors: string[] }> {
    const context = await loggedInContext(browser, app, actors[role]);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${app.url}/alerts`);
    await page.locator('.alerts-view h1').waitFor();
    await markDocument(page);
    return { page, errors };
  }

  it('shows a failed delivery of an alert, and "Retry now" delivers it to the receiver', async () => {
    const monitor = await createMonitor(app.testDb.db, { name: 'Shop', paused: true });
    const editor = await alertsPage('editor');
    const viewer = await alertsPage('viewer');

    // The alert comes in live; its deliveries are opened while they are still being tried.
    const alertId = String(await raiseDownAlert(app.testDb.db, monitor.id));
    const alertOf = (page: Page) => page.locator(`li.alert[data-id="${alertId}"]`);
    for (const { page } of [editor, viewer]) {
      const alert = alertOf(page);
      await alert.waitFor({ timeout: LIVE_TIMEOUT });
      const toggle = alert.getByRole('button', { name: 'Deliveries' });
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      await toggle.click();
      expect(await alert.getByRole('button', { name: 'Hide deliveries' }).getAttribute('aria-expanded')).toBe('true');
    }

    for (const { page } of [editor, viewer]) {
      const alert = alertOf(page);
      await waitForText(delivery(alert, 'Team hook').locator('.delivery-state'), 'Sent');
      const broken = delivery(alert, 'Broken hook');
      await waitForText(broken.locator('.delivery-state'), 'Failed');
      await waitForText(broken.locator('.delivery-details'), /^2 attempts$/);
      await waitForText(broken.locator('.delivery-error'), /^Last error: .*500/);
      // One row per channel, named by the channel, not by the alert (the alert is the row above).
      expect(await alert.locator('.delivery').count()).toBe(2);
      expect(await broken.locator('.delivery-what').textContent()).toBe('Broken hook');
    }
    expect(failing.requests).toHaveLength(2);
    expect(good.requests).toHaveLength(1);
    // A viewer reads the log only.
    expect(await alertOf(viewer.page).getByRole('button', { name: 'Retry now' }).count()).toBe(0);
    expect(await alertOf(viewer.page).getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    // The sent one has nothing to retry.
    expect(await delivery(alertOf(editor.page), 'Team hook').getByRole('button').count()).toBe(0);
    await screenshot(editor.page, 'alert-deliveries-failed');

    // The receiver answers again: "Retry now" sends it, and both pages see it sent, live.
    failing.setStatus(200);
    await delivery(alertOf(editor.page), 'Broken hook').getByRole('button', { name: 'Retry now' }).click();
    for (const { page } of [editor, viewer]) {
      await waitForText(delivery(alertOf(page), 'Broken hook').locator('.delivery-state'), 'Sent');
    }
    expect(failing.requests).toHaveLength(3);
    const sent = failing.requests[2]!;
    expect(sent.path).toBe('/broken');
    expect(JSON.parse(sent.body).alert).toMatchObject({ id: Number(alertId), kind: 'DOWN' });
    expect(await delivery(alertOf(editor.page), 'Broken hook').getByRole('button').count()).toBe(0);
    await waitForText(delivery(alertOf(editor.page), 'Broken hook').locator('.delivery-details'), /^3 attempts/);

    // Acknowledging re-renders the alert: its open log stays.
    await alertOf(editor.page).getByRole('button', { name: 'Acknowledge' }).click();
    await waitForText(alertOf(editor.page).locator('.ack'), /^Acknowledged/);
    expect(await alertOf(editor.page).locator('.delivery').count()).toBe(2);

    // Closing the section stops following it.
    await alertOf(editor.page).getByRole('button', { name: 'Hide deliveries' }).click();
    expect(await alertOf(editor.page).locator('.delivery').count()).toBe(0);

    for (const { page, errors } of [editor, viewer]) {
      expect(await stillSameDocument(page)).toBe(true);
      expect(await horizontalOverflow(page)).toBe(0);
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });

  it('is in French too', async () => {
    const context = await loggedInContext(browser, app, actors.viewer);
    await context.addInitScript("localStorage.setItem('vigie.language', 'fr')");
    const page = await context.newPage();
    await page.goto(`${app.url}/alerts`);
    const alert = page.locator('li.alert').first();
    await alert.getByRole('button', { name: 'Envois' }).click();
    await waitForText(alert.locator('.delivery-state').first(), /^(Envoyé|Échoué)$/);
    await context.close();
  });
});
