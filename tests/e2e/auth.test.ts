// Logging in end to end, with authentication on: first-admin setup, logout and login, a session ended elsewhere,
// users and roles, API keys shown once, and the public status page without a login.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startHttpTarget, type HttpTarget } from '../helpers/targets.ts';
import { horizontalOverflow, launchBrowser, openPage, screenshot } from './browser.ts';
import { markDocument, stillSameDocument, waitForText } from './support.ts';

const ADMIN = { email: 'admin@example.com', password: 'correct horse battery', name: 'Ada Admin' };
const VIEWER = { email: 'viewer@example.com', password: 'viewer password 1', name: 'Vic Viewer' };

/** A failed login or a refused REST request is logged by Chromium as a console error: those are expected. */
const unexpected = (errors: string[]) => errors.filter((error) => !/status of 40[013]/.test(error));

/** A session or API key token for calls from the test itself (no browser). */
async function logInToken(app: TestApp, email: string, password: string): Promise<string> {
  const response = await app.request('/api/auth/connexion', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, mot_de_passe: password }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { jeton: string }).jeton;
}

async function gqlWith(app: TestApp, token: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await app.request('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      data?: any;
      errors?: Array<{ message: string; extensions?: { code?: string } }>;
    },
  };
}

async function logInWithForm(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

async function openUserMenu(page: Page, item: string): Promise<void> {
  await page.locator('.user-menu summary').click();
  await page.locator('.user-menu .menu').getByText(item, { exact: true }).click();
}

describe('authentication in the dashboard', () => {
  let app: TestApp;
  let target: HttpTarget;
  let browser: Browser;
  let admin: Page;
  let adminErrors: string[];
  let monitorId: string;

  beforeAll(async () => {
    [app, target, browser] = await Promise.all([
      startTestApp({ AUTH_DISABLED: 'false' }),
      startHttpTarget(),
      launchBrowser(),
    ]);
    ({ page: admin, errors: adminErrors } = await openPage(browser));
    await admin.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
  });
  afterAll(async () => {
    await browser?.close();
    await target?.close();
    await app?.close();
  });

  it('shows the setup screen on the first visit, and creating the admin lands in the dashboard', async () => {
    const anonymous = (await (await app.request('/graphql?query=%7Bmonitors%7Bid%7D%7D')).json()) as {
      errors: Array<{ extensions: { code: string } }>;
    };
    expect(anonymous.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    await admin.goto(`${app.url}/`);
    await waitForText(admin.locator('h1'), 'Set up Vigie');
    expect(await admin.locator('header nav').isHidden()).toBe(true);
    await admin.getByLabel('Your name').fill(ADMIN.name);
    await admin.getByLabel('Email').fill(ADMIN.email);
    await admin.getByLabel('Password', { exact: true }).fill('short');
    await admin.getByLabel('Password again').fill('short');
    await admin.getByRole('button', { name: 'Create the administrator' }).click();
    await waitForText(admin.locator('[data-error-for="password"]'), 'At least 10 characters.');
    await screenshot(admin, 'auth-setup');
    await admin.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await admin.getByLabel('Password again').fill(ADMIN.password);
    await admin.getByRole('button', { name: 'Create the administrator' }).click();

    await waitForText(admin.locator('h1'), 'Monitors');
    await waitForText(admin.locator('.connection'), 'Live');
    await waitForText(admin.locator('.user-menu .role-badge'), 'Admin');
    expect(await admin.getByRole('link', { name: 'New monitor' }).count()).toBe(1);
    // the setup is closed now
    const again = await app.request('/api/auth/installation', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'late@example.com', mot_de_passe: 'another password', nom: 'Late' }),
    });
    expect(again.status).toBe(403);
  });

  it('logs out to the login screen, refuses a wrong password, and logs in back to the same page, live', async () => {
    await admin.getByRole('link', { name: /^Alerts/ }).click();
    await waitForText(admin.locator('h1'), 'Alerts');
    await markDocument(admin);
    await openUserMenu(admin, 'Log out');
    await waitForText(admin.locator('h1'), 'Log in to Vigie');
    await waitForText(admin.locator('.auth-message'), 'You are logged out.');
    expect(await admin.locator('header nav').isHidden()).toBe(true);
    // the cookie is gone: the server does not know this browser any more
    const state = (await admin.evaluate(() => fetch('/api/auth').then((response) => response.json()))) as {
      role: string | null;
    };
    expect(state.role).toBeNull();

    await logInWithForm(admin, ADMIN.email, 'not the password');
    await waitForText(admin.locator('.form-errors'), /Email or password is incorrect/);
    await screenshot(admin, 'auth-login-error');
    await logInWithForm(admin, ADMIN.email, ADMIN.password);
    await waitForText(admin.locator('h1'), 'Alerts');
    expect(new URL(admin.url()).pathname).toBe('/alerts');
    await waitForText(admin.locator('.connection'), 'Live');
    expect(await stillSameDocument(admin)).toBe(true);
  });

  it('goes to the login screen when the session ends elsewhere, then back to the page with a new live socket', async () => {
    const token = await logInToken(app, ADMIN.email, ADMIN.password);
    const created = await gqlWith(
      app,
      token,
      'mutation ($input: CreateMonitorInput!) { createMonitor(input: $input) { id } }',
      {
        input: { kind: 'HTTP', name: 'Shop', target: `${target.url}/`, intervalSeconds: 1 },
      },
    );
    expect(created.body.errors).toBeUndefined();
    monitorId = created.body.data.createMonitor.id;
    await admin.goto(`${app.url}/monitors/${monitorId}`);
    await waitForText(admin.locator('.page-head .pill'), 'Up');
    await waitForText(admin.locator('.connection'), 'Live');
    await markDocument(admin);

    // Changing the password from another session ends this browser's session: its socket is closed (4401).
    const changed = await app.request('/api/auth/mot-de-passe', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ mot_de_passe_actuel: ADMIN.password, nouveau_mot_de_passe: `${ADMIN.password} 2` }),
    });
    expect(changed.status).toBe(204);
    ADMIN.password = `${ADMIN.password} 2`;
    await waitForText(admin.locator('h1'), 'Log in to Vigie');
    await waitForText(admin.locator('.auth-message'), /session has ended/);
    await logInWithForm(admin, ADMIN.email, ADMIN.password);
    await waitForText(admin.locator('.page-head h1'), 'Shop');
    expect(new URL(admin.url()).pathname).toBe(`/monitors/${monitorId}`);
    await waitForText(admin.locator('.connection'), 'Live');
    // live again: new results arrive on the new socket
    const rows = await admin.locator('.results tbody tr').count();
    await admin.waitForFunction(
      (before) => document.querySelectorAll('.results tbody tr').length > before || before >= 20,
      rows,
    );
    expect(await stillSameDocument(admin)).toBe(true);
  });

  it('lets an admin create a viewer, who sees no controls and whose mutations the server refuses; then promote and delete them', async () => {
    await openUserMenu(admin, 'Users');
    await waitForText(admin.locator('h1'), 'Users');
    const form = admin.locator('.user-form');
    await form.getByLabel('Email').fill(VIEWER.email);
    await form.getByLabel('Name').fill(VIEWER.name);
    await form.getByLabel('Password').fill(VIEWER.password);
    await form.getByLabel('Role').selectOption('viewer');
    await form.getByRole('button', { name: 'Create user' }).click();
    const item = admin.locator(`.user-item[data-email="${VIEWER.email}"]`);
    await item.waitFor();
    expect(await item.getByLabel('Role').inputValue()).toBe('viewer');
    // one cannot delete oneself or change one's own role
    const self = admin.locator(`.user-item[data-email="${ADMIN.email}"]`);
    expect(await self.getByRole('button', { name: 'Delete' }).isDisabled()).toBe(true);
    await screenshot(admin, 'auth-users');
    // fits a phone, user menu open
    await admin.setViewportSize({ width: 375, height: 740 });
    await admin.locator('.user-menu summary').click();
    expect(await horizontalOverflow(admin)).toBe(0);
    expect((await admin.locator('.user-menu .menu').boundingBox())!.x).toBeGreaterThanOrEqual(0);
    await screenshot(admin, 'auth-users-mobile');
    await admin.locator('.user-menu summary').click();
    await admin.setViewportSize({ width: 1280, height: 900 });

    const viewer = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await viewer.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${app.url}/`);
    await waitForText(page.locator('h1'), 'Log in to Vigie');
    await logInWithForm(page, VIEWER.email, VIEWER.password);
    await waitForText(page.locator('h1'), 'Monitors');
    await page.locator(`tr[data-id="${monitorId}"]`).waitFor();
    await waitForText(page.locator('.user-menu .role-badge'), 'Viewer');
    expect(await page.getByRole('link', { name: 'New monitor' }).count()).toBe(0);
    expect(await page.locator('form.check-url').count()).toBe(0);
    await page.locator('.user-menu summary').click();
    expect(await page.locator('.user-menu .menu').getByText('Users', { exact: true }).count()).toBe(0);
    await page.locator('.user-menu summary').click();

    await page.locator(`tr[data-id="${monitorId}"] a.name`).click();
    await waitForText(page.locator('.page-head h1'), 'Shop');
    for (const name of ['Check now', 'Pause', 'Delete'])
      expect(await page.getByRole('button', { name }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Edit' }).count()).toBe(0);
    await screenshot(page, 'auth-viewer-detail');

    // the server is the authority: a mutation sent from the page's own context is refused
    const refused = (await page.evaluate(async (id) => {
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation ($id: ID!) { deleteMonitor(id: $id) }', variables: { id } }),
      });
      return response.json();
    }, monitorId)) as { errors?: Array<{ extensions?: { code?: string } }> };
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await page.goto(`${app.url}/monitors/new`);
    await waitForText(page.locator('main p'), /cannot create or change monitors/);
    await page.locator(`a.back`).click();
    await waitForText(page.locator('h1'), 'Monitors');
    await waitForText(page.locator('.connection'), 'Live');
    await markDocument(page);

    // The admin makes them an editor: their socket is closed (4401), and their page comes back with the new role,
    // without a login.
    await item.getByLabel('Role').selectOption('editor');
    await item.getByRole('button', { name: 'Change role' }).click();
    await waitForText(admin.locator('.notice'), `${VIEWER.email} is now editor.`);
    await waitForText(page.locator('.user-menu .role-badge'), 'Editor');
    await page.getByRole('link', { name: 'New monitor' }).waitFor();
    expect(await page.locator('form.check-url').count()).toBe(1);
    expect(await stillSameDocument(page)).toBe(true);

    // Deleted, they are sent to the login screen.
    const deleted = admin.locator(`.user-item[data-email="${VIEWER.email}"]`);
    await deleted.getByRole('button', { name: 'Delete' }).click();
    await deleted.getByRole('button', { name: 'Delete for good' }).click();
    await waitForText(admin.locator('.notice'), `Deleted ${VIEWER.email}.`);
    await deleted.waitFor({ state: 'detached' });
    await waitForText(page.locator('h1'), 'Log in to Vigie');
    await waitForText(page.locator('.auth-message'), /session has ended/);
    expect(errors).toEqual([]);
    await viewer.close();
  });

  it('changes one’s password once the API keys’ revocation is confirmed, with the server’s refusal next to its field', async () => {
    const other = await logInToken(app, ADMIN.email, ADMIN.password);
    const key = await gqlWith(
      app,
      other,
      'mutation { createApiKey(name: "before the change", role: VIEWER) { secret } }',
    );
    const keySecret = key.body.data.createApiKey.secret as string;
    expect((await gqlWith(app, keySecret, '{ monitors { id } }')).body.errors).toBeUndefined();
    await openUserMenu(admin, 'Change password');
    await waitForText(admin.locator('h1'), 'Change password');
    await waitForText(
      admin.locator('[data-field="revokeKeys"] .hint'),
      /revokes your (active API key|\d+ active API keys):/,
    );
    await admin.getByLabel('Current password').fill('not my password');
    await admin.getByLabel('New password', { exact: true }).fill('a brand new password');
    await admin.getByLabel('New password again').fill('a brand new password');
    // Not sent until the revocation of the API keys is confirmed.
    await admin.getByRole('button', { name: 'Change password' }).click();
    await waitForText(
      admin.locator('[data-error-for="revokeKeys"]'),
      /Tick this to confirm that your API keys will be revoked/,
    );
    expect((await gqlWith(app, keySecret, '{ monitors { id } }')).body.errors).toBeUndefined();
    await admin.getByLabel('Revoke my API keys').check();
    await admin.getByRole('button', { name: 'Change password' }).click();
    await waitForText(admin.locator('[data-error-for="currentPassword"]'), 'Is not your current password');
    await admin.getByLabel('Current password').fill(ADMIN.password);
    await admin.getByRole('button', { name: 'Change password' }).click();
    await waitForText(admin.locator('.success-text'), /Password changed/);
    ADMIN.password = 'a brand new password';
    // the other session ended and the key is revoked; this session goes on
    expect((await gqlWith(app, other, '{ monitors { id } }')).body.errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    expect((await gqlWith(app, keySecret, '{ monitors { id } }')).body.errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    await waitForText(admin.locator('.connection'), 'Live');
  });

  it('creates an API key, shows its secret once, and revokes it', async () => {
    await openUserMenu(admin, 'API keys');
    await waitForText(admin.locator('h1'), 'API keys');
    await admin.getByLabel('Name').fill('CI deploy');
    await admin.getByLabel('Role').selectOption('editor');
    await admin.getByRole('button', { name: 'Create key' }).click();
    const box = admin.locator('.secret-box');
    await waitForText(box.locator('strong'), 'Copy it now: you will not see it again.');
    const secret = await box.locator('input.secret').inputValue();
    expect(secret.length).toBeGreaterThan(20);
    await box.getByRole('button', { name: 'Copy' }).click();
    await waitForText(box.locator('[aria-live]'), 'Copied to the clipboard.');
    expect(await admin.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await screenshot(admin, 'auth-api-key');

    // the key works, with its own role
    const used = await gqlWith(app, secret, '{ monitors { id } }');
    expect(used.body.errors).toBeUndefined();
    await box.getByRole('button', { name: 'Done, I have saved it' }).click();
    expect(await box.count()).toBe(0);
    await admin.reload();
    const row = admin.locator('.keys tbody tr', { hasText: 'CI deploy' });
    await waitForText(row.locator('.key-state'), 'Active');
    expect(await row.locator('.last-used').textContent()).not.toBe('Never');
    expect(await admin.content()).not.toContain(secret);

    await row.getByRole('button', { name: 'Revoke' }).click();
    await admin.getByRole('button', { name: 'Revoke for good' }).click();
    await waitForText(admin.locator('.keys tbody tr', { hasText: 'CI deploy' }).locator('.key-state'), /^Revoked/);
    expect((await gqlWith(app, secret, '{ monitors { id } }')).body.errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    expect(unexpected(adminErrors)).toEqual([]);
  });

  it('serves the public status page without a login, live, and never sends it to the login screen', async () => {
    // A monitor is public once the default page lists it.
    const token = await logInToken(app, ADMIN.email, ADMIN.password);
    const pages = await gqlWith(app, token, '{ statusPages { id isDefault } }');
    const defaultPage = pages.body.data.statusPages.find((page: { isDefault: boolean }) => page.isDefault);
    const listed = await gqlWith(
      app,
      token,
      'mutation ($id: ID!, $monitor: ID!) { updateStatusPage(id: $id, input: { sections: [{ name: "Services", monitorIds: [$monitor] }] }) { slug } }',
      { id: defaultPage.id, monitor: monitorId },
    );
    expect(listed.body.errors).toBeUndefined();
    const visitor = await browser.newContext();
    const page = await visitor.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${app.url}/status`);
    await page.locator(`.service[data-id="${monitorId}"]`).waitFor();
    await waitForText(page.locator(`.service[data-id="${monitorId}"] .service-name`), 'Shop');
    // Followed live over SSE, which needs no login.
    await waitForText(page.locator('.connection'), 'Live');
    expect(new URL(page.url()).pathname).toBe('/status');
    expect(await page.locator('input[type="password"]').count()).toBe(0);
    expect(errors).toEqual([]);
    await visitor.close();
  });
});
