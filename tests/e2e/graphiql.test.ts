// GraphiQL comes from the installed package, not from a CDN: in Chromium, under the page's own
// Content-Security-Policy, every request it makes stays on the server's origin and it runs a query; with
// introspection off it is not served at all.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { launchBrowser, openPage } from './browser.ts';

describe('GraphiQL', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('names no other origin in its page or its policy', async () => {
    const response = await app.request('/graphql', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('renderYogaGraphiQL');
    // No file is fetched by the page itself: no script, style sheet or icon from any URL.
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(html).not.toMatch(/<link[^>]*\shref="(?!data:)/i);
    expect(html).not.toContain('unpkg.com');
    expect(response.headers.get('content-security-policy')).not.toMatch(/https?:|\*/);
  });

  it('loads and runs a query in a browser without leaving the server', async () => {
    const { page, errors } = await openPage(browser);
    const elsewhere: string[] = [];
    const origin = new URL(app.url).origin;
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(origin) && !/^(data|blob):/.test(url)) elsewhere.push(url);
    });
    await page.goto(`${app.url}/graphql?query=${encodeURIComponent('{ health { ok } }')}`);
    const run = page.locator('.graphiql-execute-button');
    await run.waitFor({ timeout: 20_000 });
    const answered = page.waitForResponse(
      (response) => response.url().startsWith(`${origin}/graphql`) && response.request().method() === 'POST',
    );
    await run.click();
    expect((await answered).status()).toBe(200);
    await expect
      .poll(() => page.locator('.graphiql-response').innerText(), { timeout: 10_000 })
      .toMatch(/"ok":\s*true/);
    expect(elsewhere).toEqual([]);
    // A script, style or connection the policy blocked would show here.
    expect(errors.filter((error) => /Content Security Policy|Refused to/i.test(error))).toEqual([]);
  }, 60_000);

  it('is not served when introspection is off', async () => {
    const off = await startTestApp({ GRAPHQL_INTROSPECTION: 'false' });
    try {
      const response = await off.request('/graphql', { headers: { accept: 'text/html' } });
      expect(response.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
      expect(await response.text()).not.toContain('renderYogaGraphiQL');
    } finally {
      await off.close();
    }
  });
});
