// The dashboard with the new kinds: a heartbeat created with the form shows its ping URL with a Copy button (on its
// page and in its edit form), goes UP when pinged; a DNS monitor created with the form is checked against a DNS
// server on loopback; the list names both kinds.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startDnsServer, type DnsServer } from '../helpers/dns.ts';
import { launchBrowser, openPage, screenshot } from './browser.ts';
import { waitForText } from './support.ts';

describe('dashboard: heartbeat and DNS monitors', () => {
  let app: TestApp;
  let dns: DnsServer;
  let browser: Browser;

  beforeAll(async () => {
    [app, dns, browser] = await Promise.all([
      startTestApp(),
      startDnsServer({ 'shop.vigie.test': ['192.0.2.5'] }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await dns?.close();
    await app?.close();
  });

  it('creates a heartbeat, shows and copies its ping URL, and goes UP when pinged', async () => {
    const { page, errors } = await openPage(browser);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
    await page.goto(`${app.url}/monitors/new`);
    await page.getByLabel('Name').fill('Nightly backup');
    await page.getByLabel('Kind').selectOption('PUSH');
    // No target for a heartbeat; a grace instead.
    expect(await page.getByLabel('Target').isVisible()).toBe(false);
    await page.getByLabel('Expected every (seconds)').fill('3600');
    await page.getByLabel('Grace (seconds)').fill('-5');
    await waitForText(page.locator('[data-error-for="graceSeconds"]'), /whole number/);
    await page.getByLabel('Grace (seconds)').fill('120');
    await screenshot(page, 'form-heartbeat');
    await page.getByRole('button', { name: 'Create monitor' }).click();
    await page.waitForURL(/\/monitors\/\d+$/);
    const id = new URL(page.url()).pathname.split('/').pop()!;

    const url = page.getByLabel('Ping URL');
    await url.waitFor();
    const pingUrl = await url.inputValue();
    expect(pingUrl).toMatch(/\/api\/ping\/[A-Za-z0-9_-]{32}$/);
    await page.locator('.ping-url').getByRole('button', { name: 'Copy' }).click();
    await waitForText(page.locator('.ping-url'), /Copied to the clipboard/);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(pingUrl);
    expect(await page.getByRole('button', { name: 'Check now' }).count()).toBe(0);
    await waitForText(page.locator('.meta'), /expected every 3600 s · grace 120 s/);

    const ping = await fetch(`${app.url}${new URL(pingUrl).pathname}`);
    expect(ping.status).toBe(200);
    await waitForText(page.locator('.page-head .pill'), 'Up');
    await screenshot(page, 'detail-heartbeat');

    // The edit form shows it too.
    await page.goto(`${app.url}/monitors/${id}/edit`);
    expect(await page.getByLabel('Ping URL').inputValue()).toBe(pingUrl);
    expect(await page.getByLabel('Grace (seconds)').inputValue()).toBe('120');
    expect(errors).toEqual([]);
  });

  it('creates a DNS monitor checked against the resolver given, and the list names both kinds', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${app.url}/monitors/new`);
    await page.getByLabel('Name').fill('Shop DNS');
    await page.getByLabel('Kind').selectOption('DNS');
    await page.getByLabel('Target').fill('shop.vigie.test');
    await page.getByLabel('Check every (seconds)').fill('2');
    await page.getByLabel('Timeout (seconds)').fill('1');
    await page.getByLabel('Record type').selectOption('A');
    await page.getByLabel('Expected values').fill('192.0.2.5');
    await page.getByLabel('Resolver').fill('not an address');
    await waitForText(page.locator('[data-error-for="dns.resolver"]'), /IP address/);
    await page.getByLabel('Resolver').fill(dns.address);
    await page.getByRole('button', { name: 'Create monitor' }).click();
    await page.waitForURL(/\/monitors\/\d+$/);
    await waitForText(page.locator('.page-head .pill'), 'Up');
    await waitForText(page.locator('.meta .target'), 'A shop.vigie.test');
    dns.set('shop.vigie.test', ['192.0.2.6']);
    await waitForText(page.locator('.page-head .pill'), 'Down');
    await waitForText(page.locator('.results'), /192\.0\.2\.6/);

    await page.goto(`${app.url}/`);
    await waitForText(page.locator('tbody .target'), 'DNS shop.vigie.test');
    await waitForText(page.locator('tbody .target'), 'Heartbeat');
    await screenshot(page, 'list-new-kinds');
    expect(errors).toEqual([]);
  });
});
