// The monitor form's assertions: one condition per line, sent with the monitor; the server's error shown under the
// text on the line of the condition it names, with the position; shown again in the edit form, and changed there.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startHttpTarget, type HttpTarget } from '../helpers/targets.ts';
import { launchBrowser, openPage, screenshot } from './browser.ts';
import { waitForText } from './support.ts';

describe('dashboard: assertions in the monitor form', () => {
  let app: TestApp;
  let target: HttpTarget;
  let browser: Browser;

  beforeAll(async () => {
    [app, target, browser] = await Promise.all([startTestApp(), startHttpTarget(), launchBrowser()]);
    target.setBody(JSON.stringify({ status: 'UP', items: [1, 2] }));
  });
  afterAll(async () => {
    await browser?.close();
    await target?.close();
    await app?.close();
  });

  it('refuses a bad condition naming its line and position, saves the list, shows it back and changes it', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${app.url}/monitors/new`);
    await page.getByLabel('Name').fill('Shop API');
    await page.getByLabel('Target').fill(`${target.url}/`);
    await page.getByLabel('Check every (seconds)').fill('2');
    await page.getByLabel('Timeout (seconds)').fill('1');
    const assertions = page.getByLabel('Assertions');
    await assertions.fill('status == 200\n\nstatus = 200');
    await page.getByRole('button', { name: 'Create monitor' }).click();
    const error = page.locator('[data-error-for="assertions"]');
    await waitForText(error, /^Line 3: "status = 200" at position 8: unknown operator "=" \(expected ==/);
    expect(await assertions.getAttribute('aria-invalid')).toBe('true');
    expect(await assertions.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(page.url()).toMatch(/\/monitors\/new$/);
    await screenshot(page, 'form-assertions-error');

    // Typing clears the error; the fixed list is saved, blank lines left out.
    await assertions.fill('status == 200\n\nlen([BODY].items) > 0\nbody.$.status == "UP"');
    expect(await error.textContent()).toBe('');
    await page.getByRole('button', { name: 'Create monitor' }).click();
    await page.waitForURL(/\/monitors\/\d+$/);
    const id = new URL(page.url()).pathname.split('/').pop()!;
    await waitForText(page.locator('.page-head .pill'), 'Up');
    const stored = await (await fetch(`${app.url}/api/moniteurs/${id}`)).json();
    expect(stored.moniteur.assertions).toEqual(['status == 200', 'len([BODY].items) > 0', 'body.$.status == "UP"']);

    // The edit form shows them, one per line; a condition that no longer holds takes the monitor down.
    await page.goto(`${app.url}/monitors/${id}/edit`);
    await waitForText(page.locator('h1'), /Edit/);
    expect(await page.getByLabel('Assertions').inputValue()).toBe(
      'status == 200\nlen([BODY].items) > 0\nbody.$.status == "UP"',
    );
    await page.getByLabel('Assertions').fill('body.$.status == "DOWN"');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(new RegExp(`/monitors/${id}$`));
    await waitForText(page.locator('.page-head .pill'), 'Down');
    expect((await (await fetch(`${app.url}/api/moniteurs/${id}`)).json()).moniteur.assertions).toEqual([
      'body.$.status == "DOWN"',
    ]);
    expect(errors).toEqual([]);
  });
});
