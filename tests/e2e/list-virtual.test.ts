// The monitor list with 10,000 monitors: only the rows in view are in the document, scrolling and the keyboard
// reach the others, filters work on all of them, and a row follows its monitor live (monitorsChanged).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createMonitor } from '../helpers/factories.ts';
import { startHttpTarget, type HttpTarget } from '../helpers/targets.ts';
import { launchBrowser, openPage } from './browser.ts';
import { LIVE_TIMEOUT, markDocument, rowPill, stillSameDocument, waitForText } from './support.ts';

const SEEDED = 10_000;
/** Rows in view at 900 px, plus the overscan above and below: far fewer than the monitors. */
const MAX_ROWS_IN_DOCUMENT = 60;

const rowsInDocument = (page: Page) => page.locator('table.monitors tbody tr:not(.spacer)').count();
const renderedNames = (page: Page) =>
  page.locator('table.monitors tbody tr:not(.spacer) a.name').evaluateAll((links) => links.map((a) => a.textContent));

describe('list of 10,000 monitors', () => {
  let app: TestApp;
  let target: HttpTarget;
  let browser: Browser;
  let liveId: string;

  beforeAll(async () => {
    [app, target, browser] = await Promise.all([startTestApp(), startHttpTarget(), launchBrowser()]);
    // One monitor really checked, every second: UP sorts before the paused ones (worst first). Made first: the
    // scheduler reads each inserted monitor on its notification, this one before the 10,000.
    liveId = String(
      (await createMonitor(app.testDb.db, { name: 'Live one', target: `${target.url}/`, intervalSeconds: 1 })).id,
    );
    // Paused (nobody checks them) and written in one statement, as a large installation's list would read.
    await app.testDb.db.query(
      `INSERT INTO monitoring.moniteurs (nom, type, cible, intervalle_secondes, timeout_secondes, seuil_lent_ms,
                                         en_pause, etiquettes)
       SELECT 'Service ' || lpad(g::text, 5, '0'), 'http', 'http://127.0.0.1:9/' || g, 60, 5, 800, true,
              ARRAY[CASE WHEN g % 3 = 0 THEN 'staging' ELSE 'prod' END]
         FROM generate_series(1, $1::int) AS g`,
      [SEEDED],
    );
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await target?.close();
    await app?.close();
  });

  it('paints with a few dozen rows in the document, and scrolling shows the others', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${app.url}/`);
    await page.waitForFunction(() => performance.getEntriesByName('vigie:list-painted').length > 0, null, {
      timeout: 30_000,
    });
    const painted = await page.evaluate(() => performance.getEntriesByName('vigie:list-painted')[0]!.startTime);
    console.log(`first paint of ${SEEDED + 1} monitors: ${Math.round(painted)} ms after navigation start`);
    await waitForText(page.locator('.count'), `${SEEDED + 1} of ${SEEDED + 1} monitors`);
    await waitForText(rowPill(page, liveId), /Up|Pending/);
    const firstRows = await rowsInDocument(page);
    expect(firstRows).toBeGreaterThan(5);
    expect(firstRows).toBeLessThanOrEqual(MAX_ROWS_IN_DOCUMENT);
    // the page is as tall as the whole list
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    expect(height).toBeGreaterThan(SEEDED * 40);

    // the end of the list
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.locator('a.name', { hasText: 'Service 10000' }).waitFor();
    expect(await rowsInDocument(page)).toBeLessThanOrEqual(MAX_ROWS_IN_DOCUMENT);
    expect(await page.locator('a.name', { hasText: 'Live one' }).count()).toBe(0);

    // the middle: what is in view is what the spacer above leaves room for
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2));
    await page.waitForFunction(() =>
      [...document.querySelectorAll('table.monitors tbody a.name')].some((a) => a.textContent === 'Service 05000'),
    );
    const middle = await renderedNames(page);
    expect(middle).not.toContain('Service 00001');
    expect(middle).not.toContain('Service 10000');
    // every row in view is in the document, in order, and no blank space shows
    const inView = await page.evaluate(() => {
      const rows = [...document.querySelectorAll<HTMLElement>('table.monitors tbody tr:not(.spacer)')];
      const visible = rows.filter((row) => {
        const box = row.getBoundingClientRect();
        return box.bottom > 0 && box.top < window.innerHeight;
      });
      const first = visible[0]!.getBoundingClientRect();
      const last = visible.at(-1)!.getBoundingClientRect();
      return { count: visible.length, top: first.top, bottom: last.bottom, viewport: window.innerHeight };
    });
    expect(inView.top).toBeLessThanOrEqual(0);
    expect(inView.bottom).toBeGreaterThanOrEqual(inView.viewport);
    expect(inView.count).toBeGreaterThan(5);
    await page.screenshot({ path: 'tests/artifacts/list-10000-middle.png' });
    expect(errors).toEqual([]);
  });

  it('updates a row live without a reload, and removes the row of a deleted monitor', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${app.url}/`);
    await waitForText(rowPill(page, liveId), 'Up');
    await markDocument(page);
    target.setStatus(500);
    await waitForText(rowPill(page, liveId), 'Down', LIVE_TIMEOUT);
    await waitForText(page.locator('.chip[data-status="DOWN"]'), '1 Down');
    expect(await page.title()).toBe('1 down · Vigie');
    target.setStatus(200);
    await waitForText(rowPill(page, liveId), 'Up', LIVE_TIMEOUT);

    // a monitor deleted elsewhere leaves the list (removedIds)
    const { rows } = await app.testDb.db.query<{ id: number }>(
      `SELECT id FROM monitoring.moniteurs WHERE nom = 'Service 00002'`,
    );
    const goneId = rows[0]!.id;
    await page.locator(`tr[data-id="${goneId}"]`).waitFor();
    expect((await app.request(`/api/moniteurs/${goneId}`, { method: 'DELETE' })).status).toBeLessThan(300);
    await page.locator(`tr[data-id="${goneId}"]`).waitFor({ state: 'detached', timeout: LIVE_TIMEOUT });
    await waitForText(page.locator('.count'), `${SEEDED} of ${SEEDED} monitors`);
    expect(await stillSameDocument(page)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('filters and sorts all the monitors, and the keyboard walks past the rows in view', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${app.url}/`);
    await waitForText(page.locator('.count'), /^\d+ of \d+ monitors$/);

    await page.getByLabel('Search').fill('09999');
    await waitForText(page.locator('.count'), /^1 of \d+ monitors$/);
    expect(await renderedNames(page)).toEqual(['Service 09999']);
    await page.getByLabel('Search').fill('');
    await page.getByLabel('Tag').selectOption('staging');
    await waitForText(page.locator('.count'), /^3333 of \d+ monitors$/);
    expect(await rowsInDocument(page)).toBeLessThanOrEqual(MAX_ROWS_IN_DOCUMENT);
    await page.getByLabel('Tag').selectOption('');
    await page.getByLabel('Sort').selectOption('name');
    await page.waitForFunction(
      () => document.querySelector('table.monitors tbody tr:not(.spacer) a.name')?.textContent === 'Live one',
    );

    // arrows, End and Home move the focus along the whole list, rendering rows as they come into view
    await page.locator('table.monitors tbody a.name').first().focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Service 00001');
    await page.keyboard.press('End');
    await page.waitForFunction(() => document.activeElement?.textContent === 'Service 10000');
    expect(await rowsInDocument(page)).toBeLessThanOrEqual(MAX_ROWS_IN_DOCUMENT);
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Service 09999');
    await page.keyboard.press('Home');
    await page.waitForFunction(() => document.activeElement?.textContent === 'Live one');
    // Service 00002 was deleted by the test before
    for (let step = 0; step < 40; step++) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Service 00041');
    expect(errors).toEqual([]);
  });
});
