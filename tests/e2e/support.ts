// Shared steps of the e2e tests: waits on what the page shows.
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { TestApp } from '../helpers/app.ts';

export const LIVE_TIMEOUT = 20_000;

/** Waits until the locator shows exactly this text (the element may be replaced meanwhile). */
export async function waitForText(locator: Locator, text: string | RegExp, timeout = LIVE_TIMEOUT): Promise<void> {
  const pattern =
    typeof text === 'string' ? new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) : text;
  await locator.filter({ hasText: pattern }).first().waitFor({ timeout });
}

/** The status pill of a monitor's row in the list. */
export function rowPill(page: Page, id: string): Locator {
  return page.locator(`tr[data-id="${id}"] .pill`);
}

/** Marks the document so a test can prove later that the page was not reloaded. */
export async function markDocument(page: Page): Promise<void> {
  await page.evaluate('window.__vigieNoReload = true');
}

export async function stillSameDocument(page: Page): Promise<boolean> {
  return (await page.evaluate('window.__vigieNoReload === true')) as boolean;
}

/** The session cookie a login sets, as name/value pairs for the browser. */
export async function loginCookies(app: TestApp, email: string, password: string) {
  const response = await app.request('/api/auth/connexion', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, mot_de_passe: password }),
  });
  expect(response.status).toBe(200);
  return response.headers.getSetCookie().map((header) => {
    const [pair] = header.split(';');
    const [name, ...value] = pair!.split('=');
    return { name: name!.trim(), value: value.join('=') };
  });
}

/**
 * A browser context logged in as this user: their session cookie, set for the app. `options` (a viewport, a
 * locale) go to the new context. Closed by the caller.
 */
export async function loggedInContext(
  browser: Browser,
  app: TestApp,
  user: { email: string; password: string },
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  const cookies = await loginCookies(app, user.email, user.password);
  await context.addCookies(cookies.map((cookie) => ({ ...cookie, url: app.url })));
  return context;
}
