// The dashboard's entry: header, routes, the monitor store fed by the list query and live subscriptions.
import './styles.css';
import { createApi } from './api/client.ts';
import { AlertsQuery, MonitorBarsQuery, MonitorsQuery } from './api/documents.ts';
import { errorText } from './api/errors.ts';
import type { AppContext } from './context.ts';
import { pageTitle } from './format.ts';
import { startLive } from './live.ts';
import { countByStatus, MonitorStore } from './state/monitors.ts';
import { connectionIndicator } from './ui/connection.ts';
import { h } from './ui/dom.ts';
import { Router } from './ui/router.ts';
import { alertsView } from './views/alerts.ts';
import { detailView } from './views/detail.ts';
import { formView } from './views/form.ts';
import { listView } from './views/list.ts';

const api = createApi();
const store = new MonitorStore();
const live = startLive(api, store);
const outlet = document.getElementById('main')!;
const notice = document.getElementById('notice')!;
const connection = connectionIndicator();
document.getElementById('connection-slot')!.replaceWith(connection.el);

let noticeTimer: ReturnType<typeof setTimeout> | undefined;
const notify = (message: string, kind: 'info' | 'error' = 'info'): void => {
  notice.textContent = message;
  notice.dataset['kind'] = kind;
  notice.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => (notice.hidden = true), 6000);
};

const router = new Router(outlet, () => ({
  el: h('section', null, h('h1', null, 'Not found'), h('p', null, h('a', { attrs: { href: '/' } }, 'Back to the monitors'))),
}));
const ctx: AppContext = { api, store, live, notify, navigate: (path, options) => router.navigate(path, options) };
router
  .add('/', (_params, search) => listView(ctx, search))
  .add('/monitors/new', () => formView(ctx, null))
  .add('/monitors/:id', (params) => detailView(ctx, params['id']!))
  .add('/monitors/:id/edit', (params) => formView(ctx, params['id']!))
  .add('/alerts', (_params, search) => alertsView(ctx, search));

// The page title counts what is down, on every page.
store.subscribe(() => {
  document.title = pageTitle(countByStatus(store.all()).DOWN);
});

const openAlerts = document.getElementById('open-alerts')!;
let openCount = 0;
const showOpenCount = (): void => {
  openAlerts.textContent = openCount >= 500 ? '500+' : String(openCount);
  openAlerts.hidden = openCount === 0;
  openAlerts.setAttribute('aria-label', `${openCount} unacknowledged`);
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
  store.replaceAll((await api.query(MonitorsQuery, {})).monitors);
  await alerts;
  // After the first paint, the bars of the last 50 checks (a slower query: it must not delay the list).
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  store.setBars((await api.query(MonitorBarsQuery, {})).monitors);
};

api.onConnection((state, reconnected) => {
  connection.set(state);
  if (!reconnected) return;
  // Events may have been missed while the socket was down: reload, then say so briefly.
  connection.set('live', 'Reconnected — refreshing…');
  loadAll()
    .then(() => {
      router.refresh();
      connection.set('live', 'Live');
    })
    .catch((error: unknown) => notify(errorText(error), 'error'));
});

router.render();
loadAll().catch((error: unknown) => notify(`Could not load the monitors: ${errorText(error)}`, 'error'));
