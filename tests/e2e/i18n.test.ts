// English and French: an English browser gets English; the header's switch turns the dashboard French (words,
// numbers, dates) and a reload keeps it; a French browser gets the public status page in French, and the latency
// chart's time axis and legend in French.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertResults } from '../../server/db/index.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createMonitor, result } from '../helpers/factories.ts';
import { call } from '../rest/support.ts';
import { launchBrowser, openPage, screenshot } from './browser.ts';
import { waitForText } from './support.ts';

describe('languages', () => {
  let app: TestApp;
  let browser: Browser;
  let id: string;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startTestApp(), launchBrowser()]);
    // A paused monitor with one success and one failure in the last hour: 50 % over 24 h.
    const monitor = await createMonitor(app.testDb.db, { name: 'Paris API', paused: true });
    id = String(monitor.id);
    const now = Date.now();
    await insertResults(app.testDb.db, [
      { ...result(monitor.id, true), checkedAt: new Date(now - 120_000) },
      { ...result(monitor.id, false), checkedAt: new Date(now - 60_000) },
    ]);
    const pages = (await call(app, 'GET', '/api/pages-statut')).body.pages as Array<{
      id: number;
      par_defaut: boolean;
    }>;
    const page = pages.find((candidate) => candidate.par_defaut)!;
    const listed = await call(app, 'PATCH', `/api/pages-statut/${page.id}`, {
      sections: [{ nom: 'Services', moniteurs: [monitor.id] }],
    });
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the dashboard in English to an English browser, and in French once switched, after a reload too', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${app.url}/`);
    const row = page.locator(`tr[data-id="${id}"]`);
    await waitForText(row.locator('.pill'), 'Paused');
    await waitForText(row.locator('.availability'), '50.0 %');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await waitForText(page.locator('nav a[href="/"]'), 'Monitors');

    await Promise.all([page.waitForEvent('load'), page.locator('.language-switch').selectOption('fr')]);
    await waitForText(page.locator('nav a[href="/"]'), 'Moniteurs');
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await waitForText(row.locator('.pill'), 'En pause');
    await waitForText(page.locator('h1'), 'Moniteurs');
    // French numbers (decimal comma, narrow no-break space before %) and dates (day/month/year)
    await waitForText(row.locator('.availability'), '50,0\u202f%');
    expect(await row.locator('.latency').getAttribute('title')).toMatch(
      /^vérifié le \d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d$/,
    );
    await waitForText(page.locator('.count'), '1 sur 1 moniteur');
    await screenshot(page, 'dashboard-fr');

    await page.reload();
    await waitForText(page.locator('nav a[href="/"]'), 'Moniteurs');
    await waitForText(row.locator('.pill'), 'En pause');
    expect(await page.locator('.language-switch').inputValue()).toBe('fr');

    await Promise.all([page.waitForEvent('load'), page.locator('.language-switch').selectOption('en')]);
    await waitForText(page.locator('nav a[href="/"]'), 'Monitors');
    await waitForText(row.locator('.availability'), '50.0 %');
    expect(errors).toEqual([]);
  });

  it('shows the status page in the browser’s language', async () => {
    const french = await browser.newContext({ locale: 'fr-FR' });
    const page = await french.newPage();
    await page.goto(`${app.url}/status`);
    await waitForText(page.locator('.banner'), 'Tous les services fonctionnent');
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await waitForText(page.locator('.service .pill'), 'En pause');
    await waitForText(page.locator('.days-legend span').nth(1), '50,0\u202f% sur 30 jours');
    expect(await page.locator('.language-switch').inputValue()).toBe('fr');
    await screenshot(page, 'status-page-fr');
    await french.close();

    const { page: english } = await openPage(browser);
    await english.goto(`${app.url}/status`);
    await waitForText(english.locator('.banner'), 'All services are operational');
    expect(await english.locator('html').getAttribute('lang')).toBe('en');
  });

  it('labels the latency chart’s time axis and legend in the page’s language', async () => {
    // The axes are drawn on a canvas: the page records the texts drawn there.
    const RECORD_CANVAS_TEXT = `
      window.__drawn = [];
      const fillText = CanvasRenderingContext2D.prototype.fillText;
      CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
        window.__drawn.push(String(text));
        return fillText.call(this, text, ...rest);
      };`;
    const chartTexts = async (page: Page) => {
      await page.goto(`${app.url}/monitors/${id}`);
      await page.locator('.chart canvas').waitFor();
      // The time axis is drawn: a label per tick, with hours and minutes.
      await page.waitForFunction('(window.__drawn || []).filter((text) => /\\d:\\d\\d/.test(text)).length >= 2');
      const drawn = (await page.evaluate('window.__drawn')) as string[];
      // The legend of the time series, at the check under the cursor.
      await page.locator('.chart .u-over').hover();
      const legend = page.locator('.chart .u-legend .u-series').first();
      await legend.locator('.u-value').filter({ hasText: /\d/ }).waitFor();
      return {
        drawn,
        legendLabel: (await legend.locator('th').textContent())?.trim(),
        legendValue: (await legend.locator('.u-value').textContent())?.trim(),
      };
    };

    const french = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
    await french.addInitScript(RECORD_CANVAS_TEXT);
    const frenchPage = await french.newPage();
    const errors: string[] = [];
    frenchPage.on('pageerror', (error) => errors.push(error.message));
    const fr = await chartTexts(frenchPage);
    // 24-hour times, and the day under the first tick as "30 nov." (uPlot's own would be "5:10pm" and "11/30").
    expect(fr.drawn.filter((text) => /^\d{1,2}:\d\d$/.test(text)).length).toBeGreaterThanOrEqual(2);
    expect(
      fr.drawn.some((text) => /^\d{1,2} (janv|févr|mars|avr|mai|juin|juil|août|sept|oct|nov|déc)/.test(text)),
    ).toBe(true);
    expect(
      fr.drawn.filter((text) =>
        /[ap]m$|[AP]M$|\d+\/\d+|\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b/.test(text),
      ),
    ).toEqual([]);
    expect(fr.legendLabel).toBe('Date');
    expect(fr.legendValue).toMatch(/^\d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d$/);
    await screenshot(frenchPage, 'chart-fr');
    await french.close();
    expect(errors).toEqual([]);

    const english = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    await english.addInitScript(RECORD_CANVAS_TEXT);
    const en = await chartTexts(await english.newPage());
    expect(en.drawn.filter((text) => /^\d{1,2}:\d\d [AP]M$/.test(text)).length).toBeGreaterThanOrEqual(2);
    expect(en.drawn.some((text) => /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}/.test(text))).toBe(true);
    expect(en.legendLabel).toBe('Time');
    expect(en.legendValue).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    await english.close();
  });
});
