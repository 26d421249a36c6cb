// The monitor page in depth: the certificate's expiry, p50/p95/p99 of the shown range, 365 days and a custom range
// (checked as typed), the phase timings of recent checks, figures split by location with a location filter, the
// export of the shown range; and the form's request headers and body, a credential header kept unless replaced.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertResults } from '../../server/results/index.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createMonitor, result } from '../helpers/factories.ts';
import { startHttpsTarget, startHttpTarget, type HttpsTarget, type HttpTarget } from '../helpers/targets.ts';
import { horizontalOverflow, launchBrowser, openPage, screenshot } from './browser.ts';
import { waitFor } from '../helpers/wait.ts';
import { waitForText } from './support.ts';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

describe('monitor page in depth', () => {
  let app: TestApp;
  let secure: HttpsTarget;
  let plain: HttpTarget;
  let browser: Browser;
  let monitorId: string;
  /** The seeded checks start here (a whole minute, as a datetime-local input can name it). */
  let seededFrom: number;

  beforeAll(async () => {
    [app, secure, plain, browser] = await Promise.all([
      startTestApp(),
      startHttpsTarget({ validDays: 30 }),
      startHttpTarget(),
      launchBrowser(),
    ]);
    const monitor = await createMonitor(app.testDb.db, {
      name: 'Shop',
      target: `${secure.url}/`,
      intervalSeconds: 1,
      http: { ignoreTlsErrors: true },
    });
    monitorId = String(monitor.id);
    // Checks made from two other locations, every 30 s from 30 minutes ago: paris always up and fast, tokyo slower
    // with one failure in four.
    seededFrom = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - 30 * MINUTE_MS;
    await insertResults(
      app.testDb.db,
      Array.from({ length: 40 }, (_, index) => {
        const paris = index % 2 === 0;
        const failed = !paris && index % 8 === 1;
        return result(monitor.id, !failed, {
          location: paris ? 'paris' : 'tokyo',
          checkedAt: new Date(seededFrom + index * 30_000),
          latencyMs: paris ? 10 + index : 200 + index,
          timings: {
            dnsMs: 2,
            connectMs: 3,
            tlsMs: 5,
            firstByteMs: paris ? 8 : 180,
            totalMs: paris ? 10 + index : 200 + index,
          },
        });
      }),
    );
    // This instance's own checks have begun (they read the certificate).
    await waitFor('a check from this instance', async () => {
      const response = await app.request(`/api/moniteurs/${monitorId}/resultats?emplacement=default`);
      const body = (await response.json()) as { resultats: unknown[] };
      return body.resultats.length > 0;
    });
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([secure?.close(), plain?.close()]);
    await app?.close();
  });

  it('shows the certificate, percentiles, phases and figures by location, filtered by location', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${app.url}/monitors/${monitorId}`);

    // The certificate the checks read: 30 days, expiring on the target's date.
    await waitForText(page.locator('.certificate-days'), /^(29|30) days left$/);
    const expiry = await page.locator('.certificate-date').getAttribute('datetime');
    expect(Math.abs(Date.parse(expiry!) - secure.validTo.getTime())).toBeLessThan(1000);

    // The hour's figures: every location, with the three percentiles.
    const figure = (key: string) => page.locator(`.range-figures [data-figure="${key}"] .figure-value`);
    await waitForText(figure('p99'), /^\d+(\.\d)? ms$/);
    const p50 = Number.parseFloat((await figure('p50').textContent())!);
    const p99 = Number.parseFloat((await figure('p99').textContent())!);
    expect(p99).toBeGreaterThanOrEqual(p50);

    // Three locations (this instance's and the two seeded): a row each, tokyo with its failures.
    const rows = page.locator('.by-location tbody tr');
    await rows.nth(2).waitFor();
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-location')))).toEqual([
      'default',
      'paris',
      'tokyo',
    ]);
    expect(await page.locator('.by-location tr[data-location="paris"] td').first().textContent()).toBe('100 %');
    expect(await page.locator('.by-location tr[data-location="paris"] td').nth(1).textContent()).toBe('20');
    expect(await page.locator('.by-location tr[data-location="tokyo"] td').first().textContent()).toBe('75.0 %');

    // Phase timings: a bar per recent check, the medians under them.
    await page.locator('.phase-chart .phase-bar').first().waitFor();
    await waitForText(page.locator('.phase-legend [data-phase="dns"] .phase-median'), /ms$/);

    // Only tokyo: its figures, results and chart.
    await page.getByLabel('Location').selectOption('tokyo');
    await waitForText(figure('checks'), '20');
    await waitForText(figure('availability'), '75.0 %');
    await page.waitForFunction(
      () => document.querySelector('.chart')?.getAttribute('aria-label') === 'Latency chart: 20 checks, 5 failed',
    );
    const locations = await page.locator('.results .result-location').allTextContents();
    expect(locations.length).toBeGreaterThan(0);
    expect(new Set(locations)).toEqual(new Set(['tokyo']));
    expect(await page.locator('.phase-chart .phase-bar').count()).toBe(20);
    await waitForText(page.locator('.phase-legend [data-phase="first-byte"] .phase-median'), '180 ms');
    // The export follows the filter: tokyo's results of the hour.
    const tokyoExport = new URL((await page.locator('[data-export="json"]').getAttribute('href'))!, app.url);
    expect(tokyoExport.searchParams.get('emplacement')).toBe('tokyo');
    const exported = (await (await app.request(`${tokyoExport.pathname}${tokyoExport.search}`)).json()) as Array<{
      emplacement: string;
    }>;
    expect(exported).toHaveLength(20);
    expect(errors).toEqual([]);
  });

  it('shows 365 days and a custom range checked as typed, and exports the shown range', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${app.url}/monitors/${monitorId}`);
    await page.locator('.range-figures').waitFor();

    await page.getByRole('button', { name: '365 d' }).click();
    await page.waitForFunction(() =>
      /^Latency chart: (1 point|\d+ points) of 1 d \(\d+ checks?/.test(
        document.querySelector('.chart')?.getAttribute('aria-label') ?? '',
      ),
    );
    expect(await page.locator('.stat[data-window="year"] .stat-label').textContent()).toBe('Availability 365 d');
    const yearExport = new URL((await page.locator('[data-export="csv"]').getAttribute('href'))!, app.url);
    expect(Date.now() - Date.parse(yearExport.searchParams.get('debut')!)).toBeGreaterThan(364 * DAY_MS);
    expect(yearExport.searchParams.get('fin')).toBeNull();

    await page.getByRole('button', { name: 'Custom' }).click();
    const from = page.getByLabel('From');
    const to = page.getByLabel('To');
    // The end before the start: said at once, and nothing is loaded.
    // The browser's local time, as its datetime-local inputs take it.
    const local = (ms: number) =>
      page.evaluate((at) => {
        const date = new Date(at);
        const pad = (value: number) => String(value).padStart(2, '0');
        return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
      }, ms);
    // The end before the start: said as it is typed.
    await from.fill(await local(seededFrom - 10 * MINUTE_MS));
    await to.fill(await local(seededFrom - 11 * MINUTE_MS));
    await waitForText(page.locator('.custom-range [data-error-for="to"]'), 'The end must be after the start.');
    await to.fill(await local(seededFrom + 10 * MINUTE_MS));
    expect(await page.locator('.custom-range .field-error:not(:empty)').count()).toBe(0);
    await page.getByRole('button', { name: 'Show' }).click();
    // The seeded checks of their first ten minutes only (this instance's are newer).
    await waitForText(page.locator('.range-figures [data-figure="checks"] .figure-value'), '20');
    await screenshot(page, 'detail-custom-range');

    // The export of that range, as the button downloads it.
    const href = (await page.locator('[data-export="csv"]').getAttribute('href'))!;
    const url = new URL(href, app.url);
    expect(url.pathname).toBe('/api/export');
    expect(url.searchParams.get('moniteur_id')).toBe(monitorId);
    expect(url.searchParams.get('fin')).not.toBeNull();
    const csv = await (await app.request(`${url.pathname}${url.search}`)).text();
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,moniteur_id,/);
    expect(lines.length - 1).toBe(20);
    const jsonHref = new URL((await page.locator('[data-export="json"]').getAttribute('href'))!, app.url);
    expect(jsonHref.searchParams.get('format')).toBe('json');
    expect(await (await app.request(`${jsonHref.pathname}${jsonHref.search}`)).json()).toHaveLength(20);
    expect(errors).toEqual([]);
  });

  it('lays the page out at desktop and phone width', async () => {
    for (const [name, viewport] of [
      ['detail-desktop', { width: 1280, height: 900 }],
      ['detail-phone', { width: 390, height: 844 }],
    ] as const) {
      const { page, errors } = await openPage(browser, viewport);
      await page.goto(`${app.url}/monitors/${monitorId}`);
      await page.locator('.by-location tbody tr').nth(2).waitFor();
      await page.locator('.phase-chart .phase-bar').first().waitFor();
      await page.locator('.chart canvas').first().waitFor();
      expect(await horizontalOverflow(page)).toBe(0);
      await screenshot(page, name);
      expect(errors).toEqual([]);
    }
  });

  it('edits request headers and body; a credential header is masked and kept unless replaced', async () => {
    const monitor = await createMonitor(app.testDb.db, {
      name: 'API',
      target: `${plain.url}/`,
      intervalSeconds: 1,
      http: { method: 'POST', headers: { Authorization: 'Bearer s3cret', 'X-Env': 'staging' }, body: '{"ping":1}' },
    });
    const { page, errors } = await openPage(browser);
    await page.goto(`${app.url}/monitors/${monitor.id}/edit`);
    const rows = page.locator('.header-row');
    await rows.nth(1).waitFor();
    const names = await rows.evaluateAll((divs) => divs.map((div) => div.querySelector('input')!.value));
    expect([...names].sort()).toEqual(['Authorization', 'X-Env']);
    const auth = rows.nth(names.indexOf('Authorization'));
    const env = rows.nth(names.indexOf('X-Env'));
    expect(await auth.locator('input').nth(1).inputValue()).toBe('********');
    expect(await auth.locator('input').nth(1).getAttribute('type')).toBe('password');
    expect(await page.getByLabel('Request body').inputValue()).toBe('{"ping":1}');

    // A bad header name is refused before sending.
    await page.getByRole('button', { name: 'Add a header' }).click();
    await rows.nth(2).locator('input').first().fill('X Bad');
    await rows.nth(2).locator('input').nth(1).fill('1');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await waitForText(rows.nth(2).locator('.field-error'), /^Header names are letters/);

    await rows.nth(2).locator('input').first().fill('X-Run');
    await env.locator('input').nth(1).fill('production');
    await page.getByLabel('Request body').fill('{"ping":2}');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(`${app.url}/monitors/${monitor.id}`);

    // The next checks send the new headers and body, and the stored credential.
    const sent = await waitFor(
      'a check with the new headers',
      async () => plain.seen.find((request) => request.headers['x-run'] === '1') ?? null,
    );
    expect(sent.headers['authorization']).toBe('Bearer s3cret');
    expect(sent.headers['x-env']).toBe('production');
    expect(sent.method).toBe('POST');
    expect(sent.body).toBe('{"ping":2}');
    // And the API still shows it masked.
    const shown = await (await app.request(`/api/moniteurs/${monitor.id}`)).json();
    expect(JSON.stringify(shown)).not.toContain('s3cret');
    expect(errors).toEqual([]);
  });
});
