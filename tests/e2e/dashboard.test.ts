// The dashboard end to end: create through the form, watch a monitor go down and up live, alerts, pause, delete.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertResults } from '../../server/db/index.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createMonitor, result } from '../helpers/factories.ts';
import { startHttpTarget, type HttpTarget } from '../helpers/targets.ts';
import { launchBrowser, openPage, screenshot } from './browser.ts';
import { LIVE_TIMEOUT, markDocument, rowPill, stillSameDocument, waitForText } from './support.ts';

describe('dashboard', () => {
  let app: TestApp;
  let target: HttpTarget;
  let browser: Browser;

  beforeAll(async () => {
    [app, target, browser] = await Promise.all([startTestApp(), startHttpTarget(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await target?.close();
    await app?.close();
  });

  it('creates a monitor with the form, shows DOWN and its alert live, then UP; pauses, resumes, edits and deletes it', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${app.url}/`);
    await waitForText(page.locator('.connection'), 'Live');
    await markDocument(page);

    await page.getByRole('link', { name: 'New monitor' }).click();
    await page.waitForURL(`${app.url}/monitors/new`);
    // validates as you type
    await page.getByLabel('Target').fill('not a url');
    await waitForText(page.locator('[data-error-for="target"]'), /full URL/);
    await page.getByLabel('Check every (seconds)').fill('0');
    await waitForText(page.locator('[data-error-for="intervalSeconds"]'), /At least 1/);
    await page.getByLabel('Name').fill('Shop front');
    await page.getByLabel('Target').fill(`${target.url}/`);
    await page.getByLabel('Check every (seconds)').fill('1');
    await page.getByLabel('Tags').fill('e2e, shop');
    expect(await page.locator('.field-error:not(:empty)').count()).toBe(0);
    await screenshot(page, 'form-create');
    await page.getByRole('button', { name: 'Create monitor' }).click();

    await page.waitForURL(/\/monitors\/\d+$/);
    const id = new URL(page.url()).pathname.split('/').pop()!;
    const pill = page.locator('.page-head .pill');
    await waitForText(pill, 'Up');
    await page.locator('.results tbody tr').first().waitFor();
    await screenshot(page, 'detail-up');

    target.setStatus(500);
    await waitForText(pill, 'Down');
    await waitForText(page.locator('.alerts .alert[data-kind="DOWN"] .alert-cause'), /500/);
    await waitForText(page.locator('.incidents li.ongoing .incident-duration'), /ongoing/);
    await waitForText(page.locator('#open-alerts'), '1');
    // the chart grew with the failed checks, without a reload
    await page.waitForFunction(
      () => /: \d+ checks?, [1-9]\d* failed/.test(document.querySelector('.chart')?.getAttribute('aria-label') ?? ''),
      null,
      {
        timeout: LIVE_TIMEOUT,
      },
    );
    await screenshot(page, 'detail-down');
    // the 24 h chart draws 5-minute buckets of the stats series, and they grow live too
    await page.getByRole('button', { name: '24 h' }).click();
    const checksIn24h = () =>
      page.evaluate(() =>
        Number(
          / points? of 5 min \((\d+) checks?, [1-9]\d* failed\)$/.exec(
            document.querySelector('.chart')?.getAttribute('aria-label') ?? '',
          )?.[1] ?? -1,
        ),
      );
    await expect.poll(checksIn24h).toBeGreaterThan(0);
    const checksBefore = await checksIn24h();
    await expect.poll(checksIn24h, { timeout: LIVE_TIMEOUT }).toBeGreaterThan(checksBefore);

    await page.getByRole('link', { name: '← All monitors' }).click();
    await waitForText(rowPill(page, id), 'Down');
    expect(await page.title()).toBe('1 down · Vigie');
    await screenshot(page, 'list-down');

    target.setStatus(200);
    await waitForText(rowPill(page, id), 'Up');
    await page.waitForFunction(() => document.title === 'Vigie', null, { timeout: LIVE_TIMEOUT });

    await page.getByRole('link', { name: /^Alerts/ }).click();
    await page.locator('.feed .alert[data-kind="UP"]').waitFor({ timeout: LIVE_TIMEOUT });
    const down = page.locator('.feed .alert[data-kind="DOWN"]');
    await down.getByRole('button', { name: 'Acknowledge' }).click();
    await waitForText(down.locator('.ack'), /Acknowledged/);
    await screenshot(page, 'alerts');

    await page.getByRole('link', { name: 'Monitors', exact: true }).click();
    await page.locator(`tr[data-id="${id}"] a.name`).click();
    await page.getByRole('button', { name: 'Pause' }).click();
    await waitForText(pill, 'Paused');
    const requests = target.requests;
    await page.waitForTimeout(2500);
    expect(target.requests - requests).toBeLessThanOrEqual(1); // a check already running may finish
    await page.getByRole('button', { name: 'Resume' }).click();
    await waitForText(pill, /Up|Pending/);

    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByLabel('Name').waitFor();
    expect(await page.getByLabel('Tags').inputValue()).toBe('e2e, shop');
    await page.getByLabel('Name').fill('Shop front (edited)');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await waitForText(page.locator('h1'), 'Shop front (edited)');
    await waitForText(pill, /Up|Pending/);

    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Delete for good' }).click();
    await page.waitForURL(`${app.url}/`);
    await waitForText(page.locator('.notice'), /Deleted “Shop front \(edited\)”/);
    expect(await page.locator(`tr[data-id="${id}"]`).count()).toBe(0);

    expect(await stillSameDocument(page)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('shows the server’s validation error next to its field', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${app.url}/monitors/new`);
    await page.getByLabel('Name').fill('Router');
    await page.getByLabel('Kind').selectOption('ICMP');
    expect(await page.locator('fieldset.http-settings').isHidden()).toBe(true);
    // the form accepts it; the server refuses shell metacharacters in a host
    await page.getByLabel('Target').fill('router.example;reboot');
    await page.getByRole('button', { name: 'Create monitor' }).click();
    await waitForText(page.locator('[data-error-for="target"]'), /;/);
    expect(await page.getByLabel('Target').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('target');
    await screenshot(page, 'form-server-error');
    expect(page.url()).toBe(`${app.url}/monitors/new`);
    expect(errors.filter((error) => !error.includes('status of 200'))).toEqual([]);
  });

  it('checks any URL at once from the list page', async () => {
    const { page } = await openPage(browser);
    await page.goto(`${app.url}/`);
    await page.getByLabel('Check a URL now').fill(`${target.url}/status/503`);
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await waitForText(page.locator('.check-output .pill'), 'Down');
    await waitForText(page.locator('.check-output'), /HTTP 503/);
    await page.getByLabel('Check a URL now').fill(`${target.url}/`);
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await waitForText(page.locator('.check-output .pill'), 'Up');
  });

  it('is usable with the keyboard alone', async () => {
    const { page } = await openPage(browser);
    await page.goto(`${app.url}/`);
    await page.locator('.connection[data-state="live"]').waitFor();
    let reached = false;
    for (let step = 0; step < 20 && !reached; step++) {
      await page.keyboard.press('Tab');
      reached = (await page.evaluate(() => document.activeElement?.textContent)) === 'New monitor';
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${app.url}/monitors/new`);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('name');
    await page.keyboard.type('Keyboard made');
    await page.keyboard.press('Tab'); // kind
    await page.keyboard.press('Tab'); // target
    await page.keyboard.type(`${target.url}/`);
    await page.keyboard.press('Enter'); // submits the form
    await page.waitForURL(/\/monitors\/\d+$/);
    await waitForText(page.locator('h1'), 'Keyboard made');
  });

  it('draws 7 and 30 days from the stats series, and shows downtime, MTTR and the incident periods', async () => {
    // A paused monitor checked every 20 minutes from 6 days ago to 1 day ago, but for half a day, written straight
    // into the database. One check failed, which made a 20-minute incident (its transitions written by hand: a
    // paused monitor records none).
    const HOUR = 3_600_000;
    const now = Date.now();
    const times: number[] = [];
    for (let at = now - 6 * 24 * HOUR; at <= now - 24 * HOUR; at += 20 * 60_000) {
      if (at < now - 4 * 24 * HOUR || at > now - 3.5 * 24 * HOUR) times.push(at);
    }
    const failedAt = times[times.length - 30]!;
    const { id } = await createMonitor(app.testDb.db, { name: 'Archive', paused: true });
    await insertResults(
      app.testDb.db,
      times.map((at, index) =>
        result(id, at !== failedAt, { checkedAt: new Date(at), latencyMs: 20 + ((index * 37) % 60) }),
      ),
    );
    // Raw SQL: a pause in the past, which pausing cannot make (its transition is dated now).
    await app.testDb.db.query(
      `INSERT INTO monitoring.transitions (moniteur_id, precedent, etat, cree_a) VALUES
         ($1, 'PENDING', 'UP', $2), ($1, 'UP', 'DOWN', $3), ($1, 'DOWN', 'UP', $4), ($1, 'UP', 'PAUSED', $5)`,
      [id, new Date(times[0]!), new Date(failedAt), new Date(failedAt + 20 * 60_000), new Date(times.at(-1)! + 60_000)],
    );
    const buckets = (size: number) => new Set(times.map((at) => Math.floor(at / size))).size;

    const { page, errors } = await openPage(browser);
    await page.goto(`${app.url}/monitors/${id}`);
    const chart = page.locator('.chart');
    await waitForText(page.locator('h1'), 'Archive');
    await page.waitForFunction(
      () => document.querySelector('.chart')?.getAttribute('aria-label') === 'Latency chart: 0 checks, 0 failed',
    );

    await page.getByRole('button', { name: '30 d' }).click();
    await page.waitForFunction(
      (label) => document.querySelector('.chart')?.getAttribute('aria-label') === label,
      `Latency chart: ${buckets(4 * HOUR)} points of 4 h (${times.length} checks, 1 failed)`,
    );
    await chart.locator('canvas').waitFor();
    await screenshot(page, 'detail-30-days');
    await page.getByRole('button', { name: '7 d' }).click();
    await page.waitForFunction(
      (label) => document.querySelector('.chart')?.getAttribute('aria-label') === label,
      `Latency chart: ${buckets(HOUR)} points of 1 h (${times.length} checks, 1 failed)`,
    );

    expect(await page.locator('.stat[data-window="month"] .stat-downtime').textContent()).toBe(
      'down 20 min · MTTR 20 min',
    );
    expect(await page.locator('.stat[data-window="week"] .stat-downtime').textContent()).toBe(
      'down 20 min · MTTR 20 min',
    );
    expect(await page.locator('.stat[data-window="day"] .stat-downtime').textContent()).toBe('no downtime');
    const incidents = page.locator('.incidents li');
    expect(await incidents.count()).toBe(1);
    expect(await incidents.locator('.incident-duration').textContent()).toBe('20 min');
    // the cause comes from the DOWN alert the failed result raised
    expect(await incidents.locator('.muted').textContent()).toBe('HTTP 500');
    expect(errors).toEqual([]);
  });
});
