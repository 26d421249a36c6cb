// What a page of another site can do to a local Vigie run with AUTH_DISABLED, tried from Chromium: call the API
// (with an Authorization header that used to skip the same-origin check), open the WebSocket, or reach the
// server under its own name through DNS rebinding (simulated with --host-resolver-rules). Nothing goes through.
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { launchBrowser, openPage } from './browser.ts';

/** A name the browser resolves to 127.0.0.1, as a rebinding attacker's DNS would. */
const REBOUND = 'rebind.attacker.test';

describe('a page of another site, against a local Vigie without authentication', () => {
  let app: TestApp;
  let attacker: http.Server;
  let attackerUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    // The attacker's page is served from localhost, another site than the app at 127.0.0.1.
    attacker = http.createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>elsewhere</title>'),
    );
    attacker.listen(0, '127.0.0.1');
    await once(attacker, 'listening');
    attackerUrl = `http://localhost:${(attacker.address() as AddressInfo).port}`;
    // Chromium's own Local Network Access checks would stop the rebound page first; other browsers have none,
    // so they are turned off to test what the server does.
    const browserArgs = [
      `--host-resolver-rules=MAP ${REBOUND} 127.0.0.1`,
      '--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessRespectPreflightResults',
    ];
    [app, browser] = await Promise.all([startTestApp(), launchBrowser(browserArgs)]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await new Promise((resolve) => attacker?.close(resolve));
  });

  const monitorCount = async () =>
    (await app.testDb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM monitoring.moniteurs')).rows[0]!.n;

  it('can neither call the API nor open the WebSocket', async () => {
    const { page } = await openPage(browser);
    await page.goto(`${attackerUrl}/`);
    const outcome = (await page.evaluate(`(async (api) => {
      const attempt = (promise) => promise.then((response) => response.text()).catch((error) => 'failed: ' + error.name);
      const mutation = JSON.stringify({ query: 'mutation { createMonitor(input: { name: "planted", kind: TCP, target: "127.0.0.1:9" }) { id } }' });
      const socket = await new Promise((resolve) => {
        const ws = new WebSocket(api.replace('http', 'ws') + '/graphql', 'graphql-transport-ws');
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('refused');
      });
      return {
        graphql: await attempt(fetch(api + '/graphql', {
          method: 'POST', credentials: 'include', body: mutation,
          headers: { 'content-type': 'application/json', authorization: 'Bearer anything' },
        })),
        rest: await attempt(fetch(api + '/api/moniteurs', { credentials: 'include' })),
        blind: await attempt(fetch(api + '/graphql', { method: 'POST', mode: 'no-cors', body: mutation, headers: { 'content-type': 'text/plain' } })),
        socket,
      };
    })(${JSON.stringify(app.url)})`)) as Record<string, string>;
    expect(outcome).toEqual({ graphql: 'failed: TypeError', rest: 'failed: TypeError', blind: '', socket: 'refused' });
    expect(await monitorCount()).toBe(0);
  });

  it('cannot reach it under another name (DNS rebinding)', async () => {
    const { page } = await openPage(browser);
    const rebound = `http://${REBOUND}:${new URL(app.url).port}`;
    const landing = await page.goto(`${rebound}/`);
    expect(landing?.status()).toBe(421);
    // The attacker's page, served before the name was rebound to 127.0.0.1; what it fetches then reaches Vigie.
    await page.route(`${rebound}/attack`, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>rebound</title>' }),
    );
    await page.goto(`${rebound}/attack`);
    const answer = (await page.evaluate(
      `fetch('/api/moniteurs').then(async (response) => [response.status, await response.json()])`,
    )) as [number, { erreur: string }];
    expect(answer[0]).toBe(421);
    expect(answer[1].erreur).toContain(`host "${REBOUND}:${new URL(app.url).port}" is not this server's`);
    const socket = await page.evaluate(`new Promise((resolve) => {
      const ws = new WebSocket('${rebound.replace('http', 'ws')}/graphql', 'graphql-transport-ws');
      ws.onopen = () => resolve('open');
      ws.onerror = () => resolve('refused');
    })`);
    expect(socket).toBe('refused');
  });
});
