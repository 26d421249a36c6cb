// The dashboard at phone width (375×740): every view fits without sideways scrolling.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startHttpTarget, type HttpTarget } from '../helpers/targets.ts';
import { horizontalOverflow, launchBrowser, openPage, screenshot } from './browser.ts';
import { waitForText } from './support.ts';
import { createMonitor } from '../helpers/factories.ts';

describe('phone width', () => {
  let app: TestApp;
  let target: HttpTarget;
  let browser: Browser;
  let id: string;

  beforeAll(async () => {
    [app, target, browser] = await Promise.all([startTestApp(), startHttpTarget(), launchBrowser()]);
    id = String(
      (
        await createMonitor(app.testDb.db, {
          name: 'A monitor with a rather long name for a small screen',
          target: `${target.url}/?a=query-string-long-enough-to-overflow-a-narrow-screen&and=more-of-it`,
          tags: ['prod', 'phone'],
          intervalSeconds: 1,
        })
      ).id,
    );
    await createMonitor(app.testDb.db, { name: 'Failing', target: `${target.url}/status/500`, intervalSeconds: 1 });
  });
  afterAll(async () => {
    await browser?.close();
    await target?.close();
    await app?.close();
  });

  it('lays out the list, a monitor, the form and the alerts within 375 px', async () => {
    const { page, errors } = await openPage(browser, { width: 375, height: 740 });
    await page.goto(`${app.url}/`);
    await waitForText(page.locator(`tr[data-id="${id}"] .pill`), 'Up');
    await page.waitForTimeout(1500); // a few checks in the bars
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'list-mobile');

    await page.locator(`tr[data-id="${id}"] a.name`).click();
    await page.locator('.chart canvas').waitFor();
    await page.locator('.results tbody tr').first().waitFor();
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'detail-mobile');

    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByLabel('Name').waitFor();
    expect(await page.getByLabel('Name').inputValue()).toBe('A monitor with a rather long name for a small screen');
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'form-mobile');

    await page.getByRole('link', { name: /^Alerts/ }).click();
    // the failing monitor started down, which raises no alert: the feed loads empty
    await waitForText(page.locator('.alerts-view > p.muted'), 'No alerts yet.');
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'alerts-mobile');
    expect(errors).toEqual([]);
  });
});
