// The live alerts feed: newest first, filter to unacknowledged, acknowledge one by one.
import { AlertsQuery } from '../api/documents.ts';
import { errorText } from '../api/errors.ts';
import type { Alert } from '../api/types.ts';
import type { AppContext } from '../context.ts';
import { canEdit } from '../state/session.ts';
import { h, replace } from '../ui/dom.ts';
import type { View } from '../ui/router.ts';
import { alertItem } from './alert-item.ts';
import { t } from '../i18n/index.ts';

const PAGE = 100;

export function alertsView(ctx: AppContext, search: URLSearchParams): View {
  let onlyOpen = search.get('open') === '1';
  const itemOptions = { showMonitor: true, canAcknowledge: canEdit(ctx.session) };
  const list = h('ul', { class: 'alerts feed', attrs: { 'aria-live': 'polite', 'aria-relevant': 'additions' } });
  const status = h('p', { class: 'muted' }, t('common.loading'));
  const toggle = h('input', { attrs: { type: 'checkbox', id: 'only-open' } });
  toggle.checked = onlyOpen;
  toggle.addEventListener('change', () => {
    onlyOpen = toggle.checked;
    history.replaceState(null, '', onlyOpen ? '/alerts?open=1' : '/alerts');
    load();
  });
  const known = new Set<string>();
  const load = (): void => {
    ctx.api
      .query(AlertsQuery, { acknowledged: onlyOpen ? false : null, first: PAGE })
      .then(({ alerts }) => {
        known.clear();
        alerts.forEach((alert) => known.add(alert.id));
        replace(list, ...alerts.map((alert) => alertItem(alert, ctx.api, itemOptions)));
        status.textContent = alerts.length ? '' : onlyOpen ? t('alerts.nothingToAck') : t('alerts.none');
      })
      .catch((error: unknown) => (status.textContent = errorText(error)));
  };
  const stop = ctx.live.onAlert((alert: Alert) => {
    if (known.has(alert.id)) return;
    known.add(alert.id);
    list.insertBefore(alertItem(alert, ctx.api, itemOptions), list.firstChild);
    while (list.children.length > PAGE) list.lastElementChild?.remove();
    status.textContent = '';
  });
  load();
  const el = h(
    'section',
    { class: 'alerts-view' },
    h(
      'div',
      { class: 'page-head' },
      h('h1', null, t('nav.alerts')),
      h('label', { class: 'toggle', attrs: { for: 'only-open' } }, toggle, ` ${t('alerts.onlyOpen')}`),
    ),
    status,
    list,
  );
  return { el, destroy: stop, refresh: load };
}
