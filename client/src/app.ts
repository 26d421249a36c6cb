// The dashboard once someone is logged in: header, routes, the monitor store fed by the list query and live
// subscriptions. It pauses while the login screen shows, and resumes on the same page after logging in again.
import { createApi } from './api/client.ts';
import { AlertsQuery, MonitorBarsQuery, MonitorFiguresQuery, MonitorsQuery } from './api/documents.ts';
import { errorText, isUnauthenticated } from './api/errors.ts';
import { logOut } from './api/auth.ts';
import type { AppContext } from './context.ts';
import { pageTitle } from './format.ts';
import { startLive } from './live.ts';
import { ROLE_LABEL, type Session } from './state/session.ts';
import { countByStatus, MonitorStore } from './state/monitors.ts';
import { connectionIndicator } from './ui/connection.ts';
import { h } from './ui/dom.ts';
import { Router } from './ui/router.ts';
import { userMenu } from './ui/user-menu.ts';
import { alertsView } from './views/alerts.ts';
import { detailView } from './views/detail.ts';
import { formView } from './views/form.ts';
import { listView } from './views/list.ts';
import { t, tn } from './i18n/index.ts';

export interface Dashboard {
  /** Leaves the page and closes the live connection: the login screen takes over. */
  suspend(): void;
  /** After logging in again (maybe as someone else): reloads everything and shows the page of the URL. */
  resume(session: Session): void;
}

/** The pages of users, API keys and one's password: a separate chunk, loaded on first visit. */
const account = () => import('./views/account.ts');
/** The Maintenance page: its own chunk too. */
const maintenance = () => import('./views/maintenance.ts');
/** The status pages' management: another chunk. */
const statusPages = () => import('./views/status-pages.ts');
/** The Notifications page (channels and their delivery logs): its own chunk. */
const notifications = () => import('./views/notifications.ts');

export interface DashboardHooks {
  /** Logged out from the user menu. */
  onLoggedOut(): void;
  /** The server refused the session (a 401, UNAUTHENTICATED, or the socket closed with 4401/4403). */
  onRefused(message: string): void;
}

export function startDashboard(session: Session, hooks: DashboardHooks): Dashboard {
  const api = createApi();
  const store = new MonitorStore();
  const live = startLive(api, store);
  const outlet = document.getElementById('main')!;
  const notice = document.getElementById('notice')!;
  const connection = connectionIndicator();
  document.getElementById('connection-slot')!.replaceWith(connection.el);
  let userSlot: HTMLElement = document.getElementById('user-slot')!;

  let noticeTimer: ReturnType<typeof setTimeout> | undefined;
  const notify = (message: string, kind: 'info' | 'error' = 'info'): void => {
    notice.textContent = message;
    notice.dataset['kind'] = kind;
    notice.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => (notice.hidden = true), 6000);
  };
  /** Errors worth a notice: not the end of the session, which brings the login screen instead. */
  const report = (prefix: string) => (error: unknown) => {
    if (!isUnauthenticated(error)) notify(`${prefix}${errorText(error)}`, 'error');
  };

  const router = new Router(outlet, () => ({
    el: h(
      'section',
      null,
      h('h1', null, t('app.notFound')),
      h('p', null, h('a', { attrs: { href: '/' } }, t('app.backToMonitors'))),
    ),
  }));
  const ctx: AppContext = {
    api,
    session,
    store,
    live,
    notify,
    navigate: (path, options) => router.navigate(path, options),
  };
  router
    .add('/', (_params, search) => listView(ctx, search))
    .add('/monitors/new', () => formView(ctx, null))
    .add('/monitors/:id', (params) => detailView(ctx, params['id']!))
    .add('/monitors/:id/edit', (params) => formView(ctx, params['id']!))
    .add('/alerts', (_params, search) => alertsView(ctx, search))
    .add('/account/password', async () => (await account()).passwordView(ctx))
    .add('/account/api-keys', async () => (await account()).apiKeysView(ctx))
    .add('/users', async () => (await account()).usersView(ctx))
    .add('/maintenance', async () => (await maintenance()).maintenanceView(ctx))
    .add('/notifications', async () => (await notifications()).notificationsView(ctx))
    .add('/status-pages', async () => (await statusPages()).statusPagesView(ctx))
    .add('/status-pages/new', async () => (await statusPages()).statusPageView(ctx, null))
    .add('/status-pages/:id', async (params) => (await statusPages()).statusPageView(ctx, params['id']!));

  const showUser = (): void => {
    // Local mode (authentication disabled): nobody to show, nothing to log out of.
    const next = ctx.session.authDisabled ? h('span', { attrs: { id: 'user-slot' } }) : userMenu(ctx.session, signOut);
    userSlot.replaceWith(next);
    userSlot = next;
  };
  // Logging out closes this browser's socket on the server's side (4401): that is no news then.
  let signingOut = false;
  const signOut = (): void => {
    signingOut = true;
    logOut()
      .then(
        () => hooks.onLoggedOut(),
        (error: unknown) => notify(t('app.logOutFailed', { reason: errorText(error) }), 'error'),
      )
      .finally(() => (signingOut = false));
  };

  // The page title counts what is down, on every page.
  store.subscribe(() => {
    const title = pageTitle(countByStatus(store.all()).DOWN);
    if (document.title !== title) document.title = title;
  });

  const openAlerts = document.getElementById('open-alerts')!;
  let openCount = 0;
  const showOpenCount = (): void => {
    openAlerts.textContent = openCount >= 500 ? '500+' : String(openCount);
    openAlerts.hidden = openCount === 0;
    openAlerts.setAttribute('aria-label', tn('app.unacknowledged', openCount));
  };
  live.onAlert(() => {
    openCount++;
    showOpenCount();
  });
  document.addEventListener('acknowledged', () => {
    openCount = Math.max(0, openCount - 1);
    showOpenCount();
  });

  const loadAll = async (): Promise<void> => {
    const alerts = api.query(AlertsQuery, { acknowledged: false, first: 500 }).then((data) => {
      openCount = data.alerts.length;
      showOpenCount();
    });
    // Live ticks that arrive while the list is read are applied again over it (the stream is already open).
    store.beginLoad();
    store.replaceAll((await api.query(MonitorsQuery, {})).monitors);
    await alerts;
    // After the first paint, the figures, then the bars of the last 50 checks (slower queries: they must not
    // delay the list).
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    store.setFigures((await api.query(MonitorFiguresQuery, {})).monitors);
    store.setBars((await api.query(MonitorBarsQuery, {})).monitors);
  };

  api.onConnection((state, reconnected) => {
    connection.set(state);
    if (!reconnected) return;
    // Events may have been missed while the socket was down: reload, then say so briefly.
    connection.set('live', t('connection.refreshing'));
    loadAll()
      .then(() => {
        router.refresh();
        connection.set('live', t('connection.live'));
      })
      .catch(report(''));
  });
  // The server ended the list's stream (live.ts follows it again): what changed meanwhile is read again.
  live.onGap(() => loadAll().catch(report('')));
  api.onUnauthorized((message) => signingOut || hooks.onRefused(message));

  const start = (): void => {
    showUser();
    router.resume();
    loadAll().catch(report(t('app.loadMonitorsFailed')));
  };
  start();

  return {
    suspend() {
      api.pause();
      router.suspend();
      connection.set('connecting');
      notice.hidden = true;
    },
    resume(next) {
      if (next.role !== ctx.session.role) notify(t('app.roleChanged', { role: ROLE_LABEL[next.role] }));
      ctx.session = next;
      api.resume();
      start();
    },
  };
}
