// Groups and dependencies in the dashboard: the list shows a group as one collapsed line with its worst state (and
// opens it), the form sets a monitor's group and the monitor it depends on, and a cycle is refused at that field.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createMonitor } from '../helpers/factories.ts';
import { startHttpTarget, type HttpTarget } from '../helpers/targets.ts';
import { launchBrowser, openPage, screenshot } from './browser.ts';
import { rowPill, waitForText } from './support.ts';

describe('groups and dependencies', () => {
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

  it('collapses a group with its worst state, opens it, and sets a group and a parent through the form', async () => {
    const db = app.testDb.db;
    const router = await createMonitor(db, { name: 'Core router', target: `${target.url}/`, intervalSeconds: 1 });
    const primary = await createMonitor(db, {
      name: 'DB primary',
      group: 'Data',
      target: `${target.url}/`,
      intervalSeconds: 1,
    });
    const replica = await createMonitor(db, {
      name: 'DB replica',
      group: 'Data',
      dependsOn: router.id,
      target: `${target.url}/status/500`,
      intervalSeconds: 1,
    });

    const { page, errors } = await openPage(browser);
    await page.goto(`${app.url}/`);
    const group = page.locator('tr.group[data-group="Data"]');
    const toggle = group.getByRole('button', { name: 'Data' });
    // One line for the group, with the worst state of its monitors; its monitors are not listed.
    await waitForText(group.locator('.pill'), 'Down');
    await waitForText(group.locator('.sub'), '2 monitors · 1 down');
    await waitForText(rowPill(page, String(router.id)), 'Up');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator(`tr[data-id="${replica.id}"]`).count()).toBe(0);
    // Worst first: the group (DOWN) before the router (UP).
    const order = await page
      .locator('table.monitors tbody tr:not(.spacer)')
      .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset['id']));
    expect(order.indexOf('group:Data')).toBeLessThan(order.indexOf(String(router.id)));

    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await waitForText(rowPill(page, String(replica.id)), 'Down');
    await waitForText(rowPill(page, String(primary.id)), 'Up');
    await screenshot(page, 'list-group-open');
    await toggle.click();
    await page.locator(`tr[data-id="${replica.id}"]`).waitFor({ state: 'detached' });

    // The form: a new monitor in the group, depending on the router.
    await page.getByRole('link', { name: 'New monitor' }).click();
    await page.getByLabel('Name').fill('DB backup');
    await page.getByLabel('Target').fill(`${target.url}/`);
    await page.getByLabel('Group').fill('Data');
    await page.getByLabel('Depends on').selectOption({ label: 'Core router' });
    await page.getByRole('button', { name: 'Create monitor' }).click();
    await page.waitForURL(/\/monitors\/\d+$/);
    const backupId = new URL(page.url()).pathname.split('/').pop()!;
    const stored = await (await app.request(`/api/moniteurs/${backupId}`)).json();
    expect(stored.moniteur).toMatchObject({ groupe: 'Data', depend_de: router.id });

    // The router depending on the new monitor would close a loop: refused, next to the field.
    await page.goto(`${app.url}/monitors/${router.id}/edit`);
    await page.getByLabel('Depends on').selectOption({ label: 'DB backup' });
    await page.getByRole('button', { name: 'Save changes' }).click();
    await waitForText(
      page.locator('[data-error-for="dependsOn"]'),
      /^Would make a cycle of dependencies \(\d+ → \d+ → \d+\)$/,
    );
    await screenshot(page, 'form-depends-on-cycle');

    await page.goto(`${app.url}/`);
    await waitForText(page.locator('tr.group[data-group="Data"] .sub'), /^3 monitors/);
    expect(errors).toEqual([]);
  });
});
