// The monitor list's maintenance badges end to end: a monitor in a window open now says "Maintenance until
// HH:MM", one with a window to come says "Next maintenance: <date>", a window for every monitor shows on every
// row without one of its own, a window for a tag only on the rows of the monitors with that tag, and a window
// starting while the list is open turns its badge to "until" without a reload. In French too.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createMaintenanceWindow, createMonitor, deleteEveryMaintenanceWindow } from '../helpers/factories.ts';
import { launchBrowser, openPage, screenshot } from './browser.ts';
import { markDocument, stillSameDocument, waitForText } from './support.ts';

const pad = (value: number) => String(value).padStart(2, '0');
/** As the English dashboard writes a date and time (in the local time zone, shared by the browser). */
const dateTime = (date: Date) =>
  `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
  `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
/** "14:30" today, the date and time on another day. */
const clock = (date: Date) =>
  date.toDateString() === new Date().toDateString()
    ? `${pad(date.getHours())}:${pad(date.getMinutes())}`
    : dateTime(date);

const badge = (page: Page, id: string) => page.locator(`tr[data-id="${id}"] .maintenance-badge`);

describe('monitor list: maintenance badges', () => {
  let app: TestApp;
  let browser: Browser;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    [app, browser] = await Promise.all([startTestApp(), launchBrowser()]);
    // Aardvark and Zoo come first and last: the rows compared below are inner rows (the outer ones share a border).
    for (const name of ['Aardvark', 'Database', 'Website', 'Queue', 'Spare', 'Zoo']) {
      ids[name] = String((await createMonitor(app.testDb.db, { name, paused: true })).id);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the window open now, or the next one, on each row; and follows a window that opens', async () => {
    const now = Date.now();
    const until = new Date(Math.ceil((now + 3_600_000) / 60_000) * 60_000);
    const tomorrow = new Date(Math.ceil((now + 86_400_000) / 1000) * 1000);
    await createMaintenanceWindow(app.testDb.db, {
      name: 'Database upgrade',
      monitorId: Number(ids['Database']),
      startsAt: new Date(now - 60_000).toISOString(),
      endsAt: until.toISOString(),
    });
    await createMaintenanceWindow(app.testDb.db, {
      name: 'Website move',
      monitorId: Number(ids['Website']),
      startsAt: tomorrow.toISOString(),
      endsAt: new Date(tomorrow.getTime() + 3_600_000).toISOString(),
    });
    // Opens a few seconds after the page has read the windows.
    const soon = new Date(Math.ceil((now + 6000) / 1000) * 1000);
    await createMaintenanceWindow(app.testDb.db, {
      name: 'Queue drain',
      monitorId: Number(ids['Queue']),
      startsAt: soon.toISOString(),
      endsAt: until.toISOString(),
    });

    const { page, errors } = await openPage(browser);
    await page.goto(`${app.url}/`);
    await page.locator(`tr[data-id="${ids['Spare']}"]`).waitFor();
    await markDocument(page);
    await waitForText(badge(page, ids['Database']!), `Maintenance until ${clock(until)}`);
    expect(await badge(page, ids['Database']!).getAttribute('title')).toBe('Database upgrade');
    await waitForText(badge(page, ids['Website']!), `Next maintenance: ${dateTime(tomorrow)}`);
    await waitForText(badge(page, ids['Queue']!), `Next maintenance: ${dateTime(soon)}`);
    expect(await badge(page, ids['Spare']!).isVisible()).toBe(false);
    // Rows keep one height (the list is virtualised): a badge does not make its row taller.
    const heights = await page
      .locator('tbody tr[data-id]')
      .evaluateAll((rows) => rows.slice(1, -1).map((row) => Math.round(row.getBoundingClientRect().height)));
    expect(heights).toHaveLength(4);
    await screenshot(page, 'list-maintenance');
    expect(new Set(heights).size, JSON.stringify(heights)).toBe(1);

    // The Queue's window opens: its badge follows, no reload.
    await waitForText(badge(page, ids['Queue']!), `Maintenance until ${clock(until)}`, 15_000);
    expect(await stillSameDocument(page)).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a window for every monitor on the rows without one of their own, in French too', async () => {
    await deleteEveryMaintenanceWindow(app.testDb.db);
    const start = new Date(Math.ceil((Date.now() + 2 * 86_400_000) / 1000) * 1000);
    await createMaintenanceWindow(app.testDb.db, {
      name: 'Datacentre power work',
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 7_200_000).toISOString(),
    });
    const context = await browser.newContext();
    await context.addInitScript("localStorage.setItem('vigie.language', 'fr')");
    const page = await context.newPage();
    await page.goto(`${app.url}/`);
    for (const id of Object.values(ids)) {
      await waitForText(badge(page, id), /^Prochaine maintenance : \d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d$/);
    }
    await context.close();
  });

  it('shows a window for a tag on the rows of the monitors with that tag only', async () => {
    await deleteEveryMaintenanceWindow(app.testDb.db);
    const proxy = String((await createMonitor(app.testDb.db, { name: 'Proxy', tags: ['edge'], paused: true })).id);
    const until = new Date(Math.ceil((Date.now() + 3_600_000) / 60_000) * 60_000);
    await createMaintenanceWindow(app.testDb.db, {
      name: 'Edge upgrade',
      tags: ['edge'],
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      endsAt: until.toISOString(),
    });
    const { page, errors } = await openPage(browser);
    await page.goto(`${app.url}/`);
    await waitForText(badge(page, proxy), `Maintenance until ${clock(until)}`);
    expect(await badge(page, proxy).getAttribute('title')).toBe('Edge upgrade');
    for (const id of Object.values(ids)) expect(await badge(page, id).isVisible()).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });
});
