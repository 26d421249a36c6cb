// Shared steps of the e2e tests: GraphQL calls to set things up, and waits on what the page shows.
import type { Locator, Page } from 'playwright-core';
import type { TestApp } from '../helpers/app.ts';

export const LIVE_TIMEOUT = 20_000;

export async function gql<T = any>(app: TestApp, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await app.request('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: Array<{ message: string }> };
  if (body.errors?.length) throw new Error(body.errors.map((error) => error.message).join('; '));
  return body.data as T;
}

export async function createMonitor(
  app: TestApp,
  input: { name: string; target: string; kind?: string; intervalSeconds?: number; tags?: string[] },
): Promise<string> {
  const data = await gql<{ createMonitor: { id: string } }>(
    app,
    'mutation ($input: CreateMonitorInput!) { createMonitor(input: $input) { id } }',
    { input: { kind: 'HTTP', intervalSeconds: 1, ...input } },
  );
  return data.createMonitor.id;
}

/** Waits until the locator shows exactly this text (the element may be replaced meanwhile). */
export async function waitForText(locator: Locator, text: string | RegExp, timeout = LIVE_TIMEOUT): Promise<void> {
  const pattern = typeof text === 'string' ? new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) : text;
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
