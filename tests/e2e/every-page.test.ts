// Every page of the dashboard, and the public status pages, at desktop and phone width, as an admin: each renders
// without a script error and without sideways scrolling, and its screenshot lands in tests/artifacts/. A route
// added to the dashboard without a place here fails the first test. A viewer sees every page read-only.
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createActors, startAuthApp } from '../auth/support.ts';
import type { TestApp } from '../helpers/app.ts';
import { createMonitor } from '../helpers/factories.ts';
import { startHttpTarget, type HttpTarget } from '../helpers/targets.ts';
import { horizontalOverflow, launchBrowser, screenshot } from './browser.ts';
import { loggedInContext } from './support.ts';

const VIEWPORTS = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 375, height: 740 },
} as const;

interface Shown {
  /** The route as client/src/app.ts declares it. */
  route: string;
  /** The path visited (the route with its parameters filled in). */
  path: (ids: Ids) => string;
  name: string;
}

interface Ids {
  monitor: string;
  statusPage: string;
  slug: string;
}

const DASHBOARD: Shown[] = [
  { route: '/', path: () => '/', name: 'list' },
  { route: '/monitors/new', path: () => '/monitors/new', name: 'monitor-new' },
  { route: '/monitors/:id', path: (ids) => `/monitors/${ids.monitor}`, name: 'monitor' },
  { route: '/monitors/:id/edit', path: (ids) => `/monitors/${ids.monitor}/edit`, name: 'monitor-edit' },
  { route: '/alerts', path: () => '/alerts', name: 'alerts' },
  { route: '/account/password', path: () => '/account/password', name: 'password' },
  { route: '/account/api-keys', path: () => '/account/api-keys', name: 'api-keys' },
  { route: '/users', path: () => '/users', name: 'users' },
  { route: '/maintenance', path: () => '/maintenance', name: 'maintenance' },
  { route: '/notifications', path: () => '/notifications', name: 'notifications' },
  { route: '/status-pages', path: () => '/status-pages', name: 'status-pages' },
  { route: '/status-pages/new', path: () => '/status-pages/new', name: 'status-page-new' },
  { route: '/status-pages/:id', path: (ids) => `/status-pages/${ids.statusPage}`, name: 'status-page-edit' },
];

/** Forms a viewer may use: they choose what is shown (the list's filters, the monitor page's custom range). */
const CHOOSES_WHAT_IS_SHOWN = ['Filter monitors', 'custom-range'];

/** Words of the buttons that change something. */
const CHANGES = /create|save|delete|remove|edit|pause|resume|check now|add|send|retry|acknowledge|regenerate/i;

/** The routes client/src/app.ts gives the router. */
function declaredRoutes(): string[] {
  const source = readFileSync(new URL('../../client/src/app.ts', import.meta.url), 'utf8');
  return [...source.matchAll(/\.add\(\s*'([^']+)'/g)].map((match) => match[1]!);
}

describe('every page', () => {
  let app: TestApp;
  let target: HttpTarget;
  let browser: Browser;
  let admin: BrowserContext;
  let viewer: BrowserContext;

  /** Opens a page of the dashboard and waits until its view has loaded. */
  async function show(page: Page, shown: Shown): Promise<void> {
    await page.goto(`${app.url}${shown.path(ids)}`);
    await page.locator('main section[class$="-view"]').first().waitFor();
    await page.waitForFunction(() => !document.querySelector('main')?.textContent?.includes('Loading…'));
    expect(await page.locator('main').textContent(), shown.name).not.toMatch(/Could not/);
  }
  let ids: Ids;

  beforeAll(async () => {
    [app, target, browser] = await Promise.all([startAuthApp(), startHttpTarget(), launchBrowser()]);
    const actors = await createActors(app);
    const monitor = await createMonitor(app.testDb.db, {
      name: 'Website',
      target: `${target.url}/`,
      intervalSeconds: 1,
    });
    await createMonitor(app.testDb.db, { name: 'Failing API', target: `${target.url}/status/500`, intervalSeconds: 1 });
    const page = await as(app, actors.admin.token).call('POST', '/api/pages-statut', {
      slug: 'every-page',
      titre: 'Every page',
      sections: [{ nom: 'Services', moniteurs: [monitor.id] }],
    });
    expect(page.status, JSON.stringify(page.body)).toBe(201);
    ids = { monitor: String(monitor.id), statusPage: String(page.body.page.id), slug: 'every-page' };
    admin = await loggedInContext(browser, app, actors.admin);
    viewer = await loggedInContext(browser, app, actors.viewer);
  });
  afterAll(async () => {
    await browser?.close();
    await target?.close();
    await app?.close();
  });

  it('has a place here for every route of the dashboard', () => {
    expect(DASHBOARD.map((shown) => shown.route).sort()).toEqual(declaredRoutes().sort());
  });

  it('shows a viewer every page read-only: nothing to create, change or delete but their own password and keys', async () => {
    const page = await viewer.newPage();
    for (const shown of DASHBOARD) {
      await show(page, shown);
      const controls = await page.evaluate(() => ({
        forms: [...document.querySelectorAll('main form')].map(
          (form) => form.getAttribute('aria-label') ?? form.className,
        ),
        buttons: [...document.querySelectorAll<HTMLButtonElement>('main button:not([disabled])')].map(
          (button) => button.textContent?.trim() ?? '',
        ),
      }));
      const own = shown.route.startsWith('/account/');
      if (!own) {
        expect(
          controls.forms.filter((form) => !CHOOSES_WHAT_IS_SHOWN.includes(form)),
          shown.name,
        ).toEqual([]);
        expect(
          controls.buttons.filter((text) => CHANGES.test(text)),
          shown.name,
        ).toEqual([]);
      }
    }
    await page.close();
  });

  for (const [width, viewport] of Object.entries(VIEWPORTS)) {
    it(`shows every dashboard page at ${width} width`, async () => {
      const page = await admin.newPage();
      await page.setViewportSize(viewport);
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      for (const shown of DASHBOARD) {
        await show(page, shown);
        expect(await horizontalOverflow(page), `${shown.name} at ${width} width scrolls sideways`).toBe(0);
        await screenshot(page, `page-${shown.name}-${width}`);
      }
      expect(errors).toEqual([]);
      await page.close();
    });

    it(`shows the public status pages at ${width} width, logged out`, async () => {
      const visitor = await browser.newPage({ viewport });
      const errors: string[] = [];
      visitor.on('pageerror', (error) => errors.push(error.message));
      await visitor.goto(`${app.url}/status/${ids.slug}`);
      await visitor.getByText('Website').first().waitFor();
      expect(await horizontalOverflow(visitor)).toBe(0);
      await screenshot(visitor, `page-status-${width}`);
      expect(errors).toEqual([]);
      await visitor.close();
    });
  }
});
