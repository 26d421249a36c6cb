// The Maintenance page end to end: a recurring window written in the form, its next five occurrences shown as one
// types, the monitor it covers showing Maintenance live, the window listed as open now, edited, deleted; a window
// for a tag covering only the tagged monitor; read-only for a viewer.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActors, startAuthApp, type Actors } from '../auth/support.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createMonitor } from '../helpers/factories.ts';
import { startHttpTarget, type HttpTarget } from '../helpers/targets.ts';
import { waitFor } from '../helpers/wait.ts';
import { horizontalOverflow, launchBrowser, openPage, screenshot } from './browser.ts';
import { loggedInContext, markDocument, rowPill, stillSameDocument, waitForText } from './support.ts';

describe('maintenance page', () => {
  let app: TestApp;
  let target: HttpTarget;
  let browser: Browser;
  let monitorId: string;
  let cacheId: string;

  beforeAll(async () => {
    [app, target, browser] = await Promise.all([startTestApp(), startHttpTarget(), launchBrowser()]);
    monitorId = String(
      (await createMonitor(app.testDb.db, { name: 'Database', target: `${target.url}/`, intervalSeconds: 1 })).id,
    );
    await createMonitor(app.testDb.db, { name: 'Website', paused: true });
    cacheId = String(
      (
        await createMonitor(app.testDb.db, {
          name: 'Cache',
          tags: ['cache', 'eu'],
          target: `${target.url}/`,
          intervalSeconds: 1,
        })
      ).id,
    );
  });
  afterAll(async () => {
    await browser?.close();
    await target?.close();
    await app?.close();
  });

  it('creates a recurring window with a preview of its occurrences; its monitor shows Maintenance live', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${app.url}/`);
    await waitForText(rowPill(page, monitorId), 'Up');
    await markDocument(page);
    await page.getByRole('link', { name: 'Maintenance' }).click();
    await page.waitForURL(`${app.url}/maintenance`);
    await waitForText(page.locator('.maintenance-view [role="status"]'), 'No maintenance windows yet.');

    await page.getByLabel('Name').fill('Nightly backup');
    // Every monitor unless told otherwise; the monitors' list shows once "Some monitors" is chosen.
    expect(await page.getByLabel('Covers').inputValue()).toBe('all');
    expect(await page.getByLabel('Monitors').isVisible()).toBe(false);
    await page.getByLabel('Covers').selectOption({ label: 'Some monitors' });
    await page.getByLabel('Monitors').selectOption({ label: 'Database' });
    await page.getByLabel('When').selectOption('recurring');
    expect(await page.getByLabel('Starts', { exact: true }).isVisible()).toBe(false);
    await page.getByLabel('Time zone').fill('Europe/Paris');
    await page.getByLabel('Duration (minutes)').fill('30');
    // A bad expression is explained as one types; a good one shows its next five starts.
    await page.getByLabel('Starts at (cron)').fill('every night');
    await waitForText(page.locator('.preview-note'), /not a valid cron expression/);
    await page.getByLabel('Starts at (cron)').fill('0 2 * * *');
    const occurrences = page.locator('.occurrences li');
    await occurrences.nth(4).waitFor();
    expect(await occurrences.count()).toBe(5);
    const texts = await occurrences.allTextContents();
    const startOf = (text: string) => text.split(' → ')[0]!;
    expect(new Set(texts.map((text) => startOf(text).slice(11))).size).toBe(1);
    await screenshot(page, 'maintenance-form');

    // Every minute, for the whole minute: open now and always.
    await page.getByLabel('Name').fill('Always on');
    await page.getByLabel('Starts at (cron)').fill('* * * * *');
    await page.getByLabel('Duration (minutes)').fill('1440');
    await page.getByRole('button', { name: 'Create window' }).click();
    const item = page.locator('.maintenance-item', { hasText: 'Always on' });
    await waitForText(item.locator('.maintenance-state'), /^In maintenance now, until /);
    await waitForText(item.locator('.maintenance-scope'), 'Database');
    await waitForText(
      item.locator('.maintenance-schedule'),
      /^Recurring: “\* \* \* \* \*” \(Europe\/Paris\), 1440 min each$/,
    );
    // The form is ready for the next one.
    expect(await page.getByLabel('Name').inputValue()).toBe('');
    await screenshot(page, 'maintenance');

    // Edit: the form takes the window's values, saves the change, and is ready for a new one again.
    await item.getByRole('button', { name: 'Edit' }).click();
    expect(await page.getByLabel('Name').inputValue()).toBe('Always on');
    expect(await page.getByLabel('Starts at (cron)').inputValue()).toBe('* * * * *');
    await page.getByLabel('Name').fill('Always on, edited');
    await page.getByLabel('Duration (minutes)').fill('720');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await waitForText(
      item.locator('.maintenance-schedule'),
      /^Recurring: “\* \* \* \* \*” \(Europe\/Paris\), 720 min each$/,
    );
    await waitForText(item.locator('.maintenance-name'), 'Always on, edited');
    expect(await page.locator('.maintenance-item').count()).toBe(1);
    await page.getByRole('button', { name: 'Create window' }).waitFor();
    expect(await page.getByLabel('Name').inputValue()).toBe('');

    await page.getByRole('link', { name: 'Monitors' }).click();
    await waitForText(rowPill(page, monitorId), 'Maintenance');
    expect(await stillSameDocument(page)).toBe(true);
    // Its page says until when, and which window.
    await page.locator(`tr[data-id="${monitorId}"] a.name`).click();
    await waitForText(
      page.locator('.maintenance-note'),
      /^In maintenance until .+ \(Always on, edited\): checked, nothing notified\.$/,
    );
    await page.goBack();

    await page.getByRole('link', { name: 'Maintenance' }).click();
    await item.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Delete window' }).click();
    await waitForText(page.locator('.maintenance-view [role="status"]'), 'No maintenance windows yet.');
    expect(await page.locator('.maintenance-item').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('creates a one-off window and lists it with its next occurrence', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${app.url}/maintenance`);
    await page.getByLabel('Name').fill('Provider migration');
    await page.getByLabel('Starts', { exact: true }).fill('2099-03-01T22:00');
    await page.getByLabel('Ends').fill('2099-03-01T21:00');
    await page.getByRole('button', { name: 'Create window' }).click();
    await waitForText(page.locator('[data-error-for="endsAt"]'), 'After it starts.');
    await page.getByLabel('Ends').fill('2099-03-02T01:00');
    await page.getByRole('button', { name: 'Create window' }).click();
    const item = page.locator('.maintenance-item', { hasText: 'Provider migration' });
    await waitForText(item.locator('.maintenance-state'), 'Next: 2099-03-01 22:00:00 → 2099-03-02 01:00:00');
    await waitForText(item.locator('.maintenance-scope'), 'All monitors');
    expect(errors).toEqual([]);
  });

  it('creates a window for a tag: the tagged monitor shows Maintenance, the others do not', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${app.url}/`);
    await waitForText(rowPill(page, cacheId), 'Up');
    await waitForText(rowPill(page, monitorId), 'Up');
    await page.getByRole('link', { name: 'Maintenance' }).click();
    await page.waitForURL(`${app.url}/maintenance`);

    await page.getByLabel('Name').fill('Cache flush');
    await page.getByLabel('Covers').selectOption({ label: 'Tags' });
    expect(await page.getByLabel('Monitors').isVisible()).toBe(false);
    // The tags in use are suggested.
    await waitForText(page.locator('[data-field="tags"] .hint'), /In use: cache, eu\.$/);
    await page.getByLabel('Starts', { exact: true }).fill('2020-01-01T00:00');
    await page.getByLabel('Ends').fill('2099-01-01T00:00');
    await page.getByRole('button', { name: 'Create window' }).click();
    await waitForText(page.locator('[data-error-for="tags"]'), 'At least one tag, e.g. “database”.');
    await page.getByLabel('Tags', { exact: true }).fill(' cache , ');
    await page.getByRole('button', { name: 'Create window' }).click();
    const item = page.locator('.maintenance-item', { hasText: 'Cache flush' });
    await waitForText(item.locator('.maintenance-scope'), 'Tags: cache');
    await waitForText(item.locator('.maintenance-state'), /^In maintenance now, until /);
    await screenshot(page, 'maintenance-tag');

    // Editing it shows its scope and tags.
    await item.getByRole('button', { name: 'Edit' }).click();
    expect(await page.getByLabel('Covers').inputValue()).toBe('tags');
    expect(await page.getByLabel('Tags', { exact: true }).inputValue()).toBe('cache');
    await page.getByRole('button', { name: 'Cancel edit' }).click();

    await page.getByRole('link', { name: 'Monitors' }).click();
    await waitForText(rowPill(page, cacheId), 'Maintenance');
    await waitForText(rowPill(page, monitorId), 'Up');

    await page.getByRole('link', { name: 'Maintenance' }).click();
    await item.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Delete window' }).click();
    await item.waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'Monitors' }).click();
    await waitForText(rowPill(page, cacheId), 'Up');
    expect(errors).toEqual([]);
  });

  it('keeps both the monitors and the tags of a window made through the API when saved unchanged', async () => {
    const graphql = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
      const response = await app.request('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data: T; errors?: unknown };
      expect(body.errors).toBeUndefined();
      return body.data;
    };
    const { createMaintenanceWindow } = await graphql<{ createMaintenanceWindow: { id: string } }>(
      `mutation ($input: MaintenanceWindowInput!) { createMaintenanceWindow(input: $input) { id } }`,
      {
        input: {
          name: 'Both kinds',
          monitorIds: [monitorId],
          tags: ['cache'],
          startsAt: '2098-01-01T00:00:00Z',
          endsAt: '2098-01-02T00:00:00Z',
        },
      },
    );
    const id = createMaintenanceWindow.id;

    // /maintenance is the first page this browser opens: the monitors are read after the page is drawn.
    const { page, errors } = await openPage(browser);
    await page.goto(`${app.url}/maintenance`);
    const item = page.locator(`.maintenance-item[data-id="${id}"]`);
    await waitForText(item.locator('.maintenance-scope'), 'Database · Tags: cache');
    const options = page.getByLabel('Monitors').locator('option');
    await waitFor(
      'the monitors to pick from',
      async () => (await options.allTextContents()).join(', ') === 'Cache, Database, Website',
    );

    await item.getByRole('button', { name: 'Edit' }).click();
    expect(await page.getByLabel('Covers').inputValue()).toBe('both');
    expect(
      await page.getByLabel('Covers').evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent),
    ).toBe('Some monitors and tags');
    expect(await page.getByLabel('Monitors').isVisible()).toBe(true);
    expect(await page.getByLabel('Tags', { exact: true }).isVisible()).toBe(true);
    await waitForText(
      page.locator('[data-field="scope"] .hint'),
      'It covers the monitors picked and those with any of the tags.',
    );
    expect(
      await page
        .getByLabel('Monitors')
        .evaluate((select: HTMLSelectElement) => [...select.selectedOptions].map((option) => option.textContent)),
    ).toEqual(['Database']);
    expect(await page.getByLabel('Tags', { exact: true }).inputValue()).toBe('cache');
    // The tags in use are suggested too, though read after the form was drawn.
    await waitForText(page.locator('[data-field="tags"] .hint'), /In use: cache, eu\.$/);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('button', { name: 'Create window' }).waitFor();

    const read = async () =>
      (
        await graphql<{
          maintenanceWindows: Array<{ id: string; monitorIds: string[]; tags: string[]; allMonitors: boolean }>;
        }>(`{ maintenanceWindows { id monitorIds tags allMonitors } }`)
      ).maintenanceWindows.find((window) => window.id === id);
    expect(await read()).toEqual({ id, monitorIds: [monitorId], tags: ['cache'], allMonitors: false });

    // Both are required once chosen; either may be changed.
    await item.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Tags', { exact: true }).fill(' ');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await waitForText(page.locator('[data-error-for="tags"]'), 'At least one tag, e.g. “database”.');
    await page.getByLabel('Tags', { exact: true }).fill('cache, eu');
    await page.getByLabel('Monitors').selectOption([{ label: 'Database' }, { label: 'Website' }]);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await waitForText(item.locator('.maintenance-scope'), 'Database, Website · Tags: cache, eu');
    expect((await read())?.tags).toEqual(['cache', 'eu']);

    await item.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Delete window' }).click();
    await item.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
  });

  it('fits a phone screen', async () => {
    const { page } = await openPage(browser, { width: 375, height: 740 });
    await page.goto(`${app.url}/maintenance`);
    await page.locator('.maintenance-item').first().waitFor();
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'maintenance-mobile');
  });
});

describe('maintenance page for a viewer', () => {
  let app: TestApp;
  let actors: Actors;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startAuthApp(), launchBrowser()]);
    actors = await createActors(app);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('lists the windows without a form or delete buttons', async () => {
    const editor = await app.request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${actors.editor.token}` },
      body: JSON.stringify({
        query: `mutation { createMaintenanceWindow(input: { name: "Weekly", cron: "0 3 * * 0", durationMinutes: 60 }) { id } }`,
      }),
    });
    expect(((await editor.json()) as { errors?: unknown }).errors).toBeUndefined();
    const context = await loggedInContext(browser, app, actors.viewer);
    const page = await context.newPage();
    await page.goto(`${app.url}/maintenance`);
    await waitForText(page.locator('.maintenance-item .maintenance-name'), 'Weekly');
    await waitForText(page.locator('.maintenance-item .maintenance-state'), /^Next: /);
    expect(await page.locator('form, .maintenance-item button').count()).toBe(0);
    await context.close();
  });
});
