// The public status pages: read-only, the monitors their sections list with current states (live) and 90 daily
// bars, the incidents operators post (live, without a login), and the badges.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertResults } from '../../server/db/index.ts';
import { as, createActors, startAuthApp, type Actors } from '../auth/support.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createMonitor, result } from '../helpers/factories.ts';
import { startHttpTarget, type HttpTarget } from '../helpers/targets.ts';
import { call } from '../rest/support.ts';
import { horizontalOverflow, launchBrowser, openPage, screenshot } from './browser.ts';
import { loggedInContext, markDocument, stillSameDocument, waitForText } from './support.ts';

/** Puts monitors on the default page (/status): a monitor is public only once a page lists it. */
async function listOnDefaultPage(app: TestApp, monitorIds: number[]): Promise<void> {
  const pages = (await call(app, 'GET', '/api/pages-statut')).body.pages as Array<{ id: number; par_defaut: boolean }>;
  const page = pages.find((candidate) => candidate.par_defaut)!;
  const response = await call(app, 'PATCH', `/api/pages-statut/${page.id}`, {
    sections: [{ nom: 'Services', moniteurs: monitorIds }],
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

describe('status page', () => {
  let app: TestApp;
  let target: HttpTarget;
  let browser: Browser;
  let apiId: string;
  const listed: number[] = [];

  beforeAll(async () => {
    [app, target, browser] = await Promise.all([startTestApp(), startHttpTarget(), launchBrowser()]);
    apiId = String(
      (await createMonitor(app.testDb.db, { name: 'Public API', target: `${target.url}/`, intervalSeconds: 1 })).id,
    );
    const billing = await createMonitor(app.testDb.db, {
      name: 'Billing',
      target: `${target.url}/status/503`,
      intervalSeconds: 1,
    });
    listed.push(Number(apiId), billing.id);
    await listOnDefaultPage(app, listed);
    // Not listed: never public.
    await createMonitor(app.testDb.db, { name: 'Internal cron', paused: true });
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
    // read-only and discreet: no controls (the language switch aside), no targets, no monitor the page does not list
    expect(await page.locator('button, input, select:not(.language-switch), textarea, form').count()).toBe(0);
    expect(await page.content()).not.toContain(target.url);
    expect(await page.content()).not.toContain('Internal cron');
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
    listed.push(id);
    await listOnDefaultPage(app, listed);
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

  it('switches a monitor’s badges on from its form, and shows them on its page', async () => {
    const { id } = await createMonitor(app.testDb.db, { name: 'Badged', paused: true });
    expect((await app.request('/badge/badged-api/status.svg')).status).toBe(404);
    const { page, errors } = await openPage(browser);
    await page.goto(`${app.url}/monitors/${id}/edit`);
    await page.getByLabel('Badge address').fill('Badged API');
    await waitForText(page.locator('[data-error-for="slug"]'), /^Lower-case letters/);
    await page.getByLabel('Badge address').fill('badged-api');
    await page.getByLabel(/^Public badges/).check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(`${app.url}/monitors/${id}`);
    const images = page.locator('.badges img');
    await images.nth(2).waitFor();
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('.badges img')].every(
        (image) => image.complete && image.naturalWidth > 0,
      ),
    );
    expect(await page.locator('.badge-markdown').first().textContent()).toBe(
      `![Status](${app.url}/badge/badged-api/status.svg)`,
    );
    expect((await app.request('/badge/badged-api/status.svg')).status).toBe(200);
    await screenshot(page, 'detail-badges');
    expect(errors).toEqual([]);
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

describe('status pages with sections and incidents, logged out', () => {
  let app: TestApp;
  let actors: Actors;
  let target: HttpTarget;
  let browser: Browser;
  const ids = { web: 0, api: 0, hidden: 0, page: 0, incident: 0 };

  beforeAll(async () => {
    [app, target, browser] = await Promise.all([startAuthApp(), startHttpTarget(), launchBrowser()]);
    actors = await createActors(app);
    const editor = as(app, actors.editor.token);
    ids.web = (
      await createMonitor(app.testDb.db, { name: 'Website', target: `${target.url}/`, intervalSeconds: 1 })
    ).id;
    ids.api = (
      await createMonitor(app.testDb.db, { name: 'Orders API', target: `${target.url}/`, intervalSeconds: 1 })
    ).id;
    ids.hidden = (await createMonitor(app.testDb.db, { name: 'Back office', paused: true })).id;
    const page = await editor.call('POST', '/api/pages-statut', {
      slug: 'shop',
      titre: 'Shop status',
      description: 'Everything our customers use.',
      sections: [
        { nom: 'Storefront', moniteurs: [ids.web] },
        { nom: 'Integrations', moniteurs: [ids.api] },
      ],
    });
    expect(page.status, JSON.stringify(page.body)).toBe(201);
    ids.page = page.body.page.id;
    const incident = await editor.call('POST', `/api/pages-statut/${ids.page}/incidents`, {
      titre: 'Slow checkout',
      message: 'Payments take long; we are looking into it. <img src=x onerror="document.title=1">',
    });
    expect(incident.status, JSON.stringify(incident.body)).toBe(201);
    ids.incident = incident.body.incident.id;
  });
  afterAll(async () => {
    await browser?.close();
    await target?.close();
    await app?.close();
  });

  it('shows its sections and incidents to a visitor, and follows an incident’s updates without a reload', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${app.url}/status/shop`);
    await waitForText(page.locator('h1'), 'Shop status');
    await waitForText(page.locator('.status-head p'), 'Everything our customers use.');
    const sections = page.locator('.status-section');
    await waitForText(sections.nth(0).locator('h2'), 'Storefront');
    await waitForText(sections.nth(1).locator('h2'), 'Integrations');
    expect(await sections.nth(0).locator('.service-name').allTextContents()).toEqual(['Website']);
    expect(await sections.nth(1).locator('.service-name').allTextContents()).toEqual(['Orders API']);
    await waitForText(page.locator(`.service[data-id="${ids.api}"] .pill`), 'Up');
    const incident = page.locator(`.page-incident[data-id="${ids.incident}"]`);
    await waitForText(incident.locator('.incident-title'), 'Slow checkout');
    await waitForText(incident.locator('.incident-status'), 'Investigating');
    // The operator's text is text: the markup in it is shown, not run.
    expect(await incident.locator('.incident-message').first().textContent()).toContain('<img src=x onerror=');
    expect(await page.locator('.page-incidents img').count()).toBe(0);
    expect(await page.content()).not.toContain('Back office');
    expect(await page.locator('button, input, select:not(.language-switch), textarea, form').count()).toBe(0);
    await waitForText(page.locator('.connection'), 'Live');
    await screenshot(page, 'status-page-sections');
    await markDocument(page);

    const editor = as(app, actors.editor.token);
    const update = await editor.call('PATCH', `/api/pages-statut/${ids.page}/incidents/${ids.incident}`, {
      statut: 'identified',
      message: 'A slow database replica; switching it out.',
    });
    expect(update.status, JSON.stringify(update.body)).toBe(200);
    await waitForText(incident.locator('.incident-status'), 'Identified');
    await waitForText(incident.locator('.incident-message').first(), /^Identified — A slow database replica/);

    // A monitor the page lists goes down: its state changes live too.
    target.setStatus(500);
    await waitForText(page.locator(`.service[data-id="${ids.api}"] .pill`), 'Down');
    await waitForText(page.locator('.banner'), '2 of 2 services are down');
    target.setStatus(200);
    await waitForText(page.locator(`.service[data-id="${ids.api}"] .pill`), 'Up');
    await waitForText(page.locator(`.service[data-id="${ids.web}"] .pill`), 'Up');

    await editor.call('PATCH', `/api/pages-statut/${ids.page}/incidents/${ids.incident}`, {
      statut: 'resolved',
      message: 'All good again.',
    });
    await waitForText(page.locator('.incidents-resolved .incident-status'), 'Resolved');
    expect(await page.locator('.incidents-open').count()).toBe(0);
    expect(await stillSameDocument(page)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('fits a phone screen', async () => {
    const { page } = await openPage(browser, { width: 375, height: 740 });
    await page.goto(`${app.url}/status/shop`);
    await page.locator('.status-section').first().waitFor();
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'status-page-sections-mobile');
  });

  it('says so for a page that does not exist', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${app.url}/status/no-such-page`);
    await waitForText(page.locator('h1'), 'No such status page');
    expect(errors).toEqual([]);
  });

  it('lets an editor make a page with two sections and an incident in the dashboard; a visitor sees it change live', async () => {
    const context = await loggedInContext(browser, app, actors.editor, { viewport: { width: 1280, height: 900 } });
    const operator = await context.newPage();
    const operatorErrors: string[] = [];
    operator.on('pageerror', (error) => operatorErrors.push(error.message));
    await operator.goto(`${app.url}/`);
    await operator.getByRole('link', { name: 'Status pages' }).click();
    await waitForText(operator.locator('.page-item .page-name'), 'Shop status');
    await operator.getByRole('link', { name: 'New status page' }).click();
    await operator.getByLabel('Title').fill('Operations');
    await operator.getByLabel('Address').fill('ops');
    await operator.getByLabel('Description').fill('What our team runs.');
    const sections = operator.locator('.section-editor');
    await sections.nth(0).getByLabel('Section name').fill('Web');
    await sections
      .nth(0)
      .getByLabel('Its monitors')
      .selectOption([String(ids.web)]);
    await operator.getByRole('button', { name: 'Add a section' }).click();
    await sections.nth(1).getByLabel('Section name').fill('APIs');
    await sections
      .nth(1)
      .getByLabel('Its monitors')
      .selectOption([String(ids.api)]);
    // The server's refusal is shown: the address is taken.
    await operator.getByLabel('Address').fill('shop');
    await operator.getByRole('button', { name: 'Create page' }).click();
    await waitForText(operator.locator('.page-form .form-errors'), /another status page is at \/status\/shop/);
    await operator.getByLabel('Address').fill('ops');
    await operator.getByRole('button', { name: 'Create page' }).click();
    await operator.waitForURL(/\/status-pages\/\d+$/);
    await operator.getByLabel('Incident title').fill('Login errors');
    await operator.getByLabel('Message').fill('Some users cannot log in.');
    await operator.getByRole('button', { name: 'Post incident' }).click();
    await waitForText(operator.locator('.page-incident .incident-title'), 'Login errors');
    await screenshot(operator, 'status-pages-editor');

    const visitor = await openPage(browser);
    await visitor.page.goto(`${app.url}/status/ops`);
    await waitForText(visitor.page.locator('h1'), 'Operations');
    expect(await visitor.page.locator('.status-section h2').allTextContents()).toEqual(['Web', 'APIs']);
    await waitForText(visitor.page.locator('.page-incident .incident-status'), 'Investigating');
    await markDocument(visitor.page);

    await operator.getByLabel('New status').selectOption('MONITORING');
    await operator.getByLabel('Update', { exact: true }).fill('A fix is out; watching.');
    await operator.getByRole('button', { name: 'Post update' }).click();
    await waitForText(visitor.page.locator('.page-incident .incident-status'), 'Monitoring');
    await waitForText(visitor.page.locator('.incident-message').first(), /^Monitoring — A fix is out; watching\./);
    expect(await stillSameDocument(visitor.page)).toBe(true);
    expect(visitor.errors).toEqual([]);
    expect(operatorErrors).toEqual([]);
    await context.close();
  });

  it('serves badges as valid SVG images for listed monitors, and 404 for others', async () => {
    const { page } = await openPage(browser);
    await page.goto(`${app.url}/status/shop`);
    const badge = (await page.evaluate(async (url) => {
      const response = await fetch(url);
      const text = await response.text();
      const svg = new DOMParser().parseFromString(text, 'image/svg+xml');
      const image = new Image();
      image.src = url;
      await image.decode();
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        parseError: svg.getElementsByTagName('parsererror').length,
        root: svg.documentElement.nodeName,
        title: svg.querySelector('title')?.textContent,
        width: Number(svg.documentElement.getAttribute('width')),
        imageWidth: image.naturalWidth,
      };
    }, `${app.url}/badge/${ids.web}/status.svg`)) as Record<string, unknown>;
    expect(badge).toMatchObject({
      status: 200,
      type: 'image/svg+xml; charset=utf-8',
      parseError: 0,
      root: 'svg',
      title: 'Website: up',
    });
    expect(badge.imageWidth).toBe(badge.width);
    const hidden = await page.evaluate(
      async (url) => (await fetch(url)).status,
      `${app.url}/badge/${ids.hidden}/status.svg`,
    );
    expect(hidden).toBe(404);
  });
});
