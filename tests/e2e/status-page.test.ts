// The public status page: read-only, current states (live), 90 daily bars per monitor.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertResults } from '../../server/db/index.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createMonitor, result } from '../helpers/factories.ts';
import { startHttpTarget, type HttpTarget } from '../helpers/targets.ts';
import { horizontalOverflow, launchBrowser, openPage, screenshot } from './browser.ts';
import { waitForText } from './support.ts';

describe('status page', () => {
  let app: TestApp;
  let target: HttpTarget;
  let browser: Browser;
  let apiId: string;

  beforeAll(async () => {
    [app, target, browser] = await Promise.all([startTestApp(), startHttpTarget(), launchBrowser()]);
    apiId = String(
      (await createMonitor(app.testDb.db, { name: 'Public API', target: `${target.url}/`, intervalSeconds: 1 })).id,
    );
    await createMonitor(app.testDb.db, { name: 'Billing', target: `${target.url}/status/503`, intervalSeconds: 1 });
  });
  afterAll(async () => {
    await browser?.close();
    await target?.close();
    await app?.close();
  });

  it('shows each monitor’s state and 90 days of bars, without controls, and follows changes live', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${app.url}/status`);
    const banner = page.locator('.banner');
    await waitForText(banner, '1 of 2 services is down');
    const services = page.locator('.service');
    expect(await services.count()).toBe(2);
    expect(await services.first().locator('.day').count()).toBe(90);
    // today's bar of the failing monitor is red, the healthy one green
    await waitForText(page.locator('.service', { hasText: 'Billing' }).locator('.pill'), 'Down');
    expect(
      await page.locator('.service', { hasText: 'Billing' }).locator('.day').last().getAttribute('data-level'),
    ).toBe('major');
    expect(
      await page.locator('.service', { hasText: 'Public API' }).locator('.day').last().getAttribute('data-level'),
    ).toBe('ok');
    // read-only and discreet: no controls, no targets
    expect(await page.locator('button, input, select, textarea, form').count()).toBe(0);
    expect(await page.content()).not.toContain(target.url);
    await screenshot(page, 'status-page');

    target.setStatus(500);
    await waitForText(banner, '2 of 2 services are down');
    await waitForText(page.locator(`.service[data-id="${apiId}"] .pill`), 'Down');
    target.setStatus(200);
    await waitForText(banner, '1 of 2 services is down');
    expect(errors).toEqual([]);
  });

  it('colours each of the 90 days by that day’s share of successful checks, grey without checks', async () => {
    // A paused monitor checked on three past days only, written straight into the database.
    const DAY = 86_400_000;
    const noonOf = (daysAgo: number) => (Math.floor(Date.now() / DAY) - daysAgo) * DAY + DAY / 2;
    const checks = (daysAgo: number, up: number, down: number) =>
      Array.from({ length: up + down }, (_, index) =>
        result(0, index < up, { checkedAt: new Date(noonOf(daysAgo) + index * 1000) }),
      );
    const { id } = await createMonitor(app.testDb.db, { name: 'Archive', paused: true });
    const seeded = [...checks(80, 199, 1), ...checks(5, 1, 1), ...checks(2, 4, 0)].map((row) => ({
      ...row,
      monitorId: id,
    }));
    await insertResults(app.testDb.db, seeded);
    const day = (daysAgo: number) => new Date(noonOf(daysAgo)).toISOString().slice(0, 10);

    const { page, errors } = await openPage(browser);
    await page.goto(`${app.url}/status`);
    const days = page.locator(`.service[data-id="${id}"] .day`);
    await days.first().waitFor();
    expect(await days.count()).toBe(90);
    const levels = await days.evaluateAll((bars) =>
      bars.map((bar) => [bar.getAttribute('data-day'), bar.getAttribute('data-level')]),
    );
    expect(levels[0]![0]).toBe(day(89));
    expect(levels[89]![0]).toBe(day(0));
    expect(levels.filter(([, level]) => level !== 'none')).toEqual([
      [day(80), 'minor'],
      [day(5), 'major'],
      [day(2), 'ok'],
    ]);
    expect(await days.nth(89 - 80).getAttribute('title')).toBe(`${day(80)}: 99.50 % up (200 checks)`);
    expect(await page.locator(`.service[data-id="${id}"] .days`).getAttribute('aria-label')).toMatch(
      /^Last 90 days: 2 with failed checks;/,
    );
    expect(errors).toEqual([]);
  });

  it('fits a phone screen', async () => {
    const { page } = await openPage(browser, { width: 375, height: 740 });
    await page.goto(`${app.url}/status`);
    await page.locator('.service').first().waitFor();
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'status-page-mobile');
  });

  it('serves the dashboard files with the right types and cache headers, and nothing outside them', async () => {
    const page = await app.request('/status');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const html = await page.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await app.request(script!);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const again = await app.request(script!, { headers: { 'if-none-match': asset.headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect((await app.request('/monitors/123/edit')).headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect((await app.request('/assets/missing.js')).status).toBe(404);
    expect((await app.request('/api/nope')).status).toBe(404);
    for (const path of [
      '/assets/..%2f..%2f..%2fpackage.json',
      '/%2e%2e/%2e%2e/package.json',
      '/..%5c..%5cpackage.json',
    ]) {
      const response = await app.request(path);
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain('"name": "vigie"');
    }
  });
});
