// The connection indicator: a dropped WebSocket is announced, reconnects by itself, and the page catches up.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startHttpTarget, type HttpTarget } from '../helpers/targets.ts';
import { launchBrowser, openPage, screenshot } from './browser.ts';
import { startProxy, type CuttableProxy } from './proxy.ts';
import { markDocument, rowPill, stillSameDocument, waitForText } from './support.ts';
import { createMonitor } from '../helpers/factories.ts';

describe('connection indicator', () => {
  let app: TestApp;
  let target: HttpTarget;
  let proxy: CuttableProxy;
  let browser: Browser;

  beforeAll(async () => {
    // The browser reaches the app at the proxy's address: that is its public URL (a Host it answers to).
    proxy = await startProxy(() => app.url);
    [app, target, browser] = await Promise.all([
      startTestApp({ URL_PUBLIQUE: proxy.url }),
      startHttpTarget(),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await target?.close();
    await app?.close();
  });

  it('says when the link drops, reconnects, and shows what changed meanwhile', async () => {
    const id = String(
      (
        await createMonitor(app.testDb.db, {
          name: 'Behind a flaky link',
          target: `${target.url}/`,
          intervalSeconds: 1,
        })
      ).id,
    );
    const { page } = await openPage(browser);
    await page.goto(`${proxy.url}/`);
    const indicator = page.locator('.connection');
    await waitForText(indicator, 'Live');
    await waitForText(rowPill(page, id), 'Up');
    await markDocument(page);

    proxy.cut();
    await waitForText(indicator, /reconnecting/);
    expect(await indicator.getAttribute('data-state')).toBe('reconnecting');
    await screenshot(page, 'connection-lost');
    // the change happens while the browser hears nothing
    target.setStatus(500);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await rowPill(page, id).textContent()).toBe('Up');

    proxy.restore();
    await waitForText(indicator, 'Live', 30_000);
    await waitForText(rowPill(page, id), 'Down');
    expect(await stillSameDocument(page)).toBe(true);
  });
});
