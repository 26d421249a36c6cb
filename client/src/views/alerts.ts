// The live alerts feed: newest first, filter to unacknowledged, acknowledge one by one; each alert's deliveries
// (per channel: state, attempts, last error, next try, live, "Retry now" for editors) in a section opened on demand.
import { AlertsQuery } from '../api/documents.ts';
import { errorText } from '../api/errors.ts';
import type { Alert } from '../api/types.ts';
import type { AppContext } from '../context.ts';
import { canEdit } from '../state/session.ts';
import { h, replace } from '../ui/dom.ts';
import type { View } from '../ui/router.ts';
import { alertItem } from './alert-item.ts';
import { t } from '../i18n/index.ts';
import type { DeliveryLog } from './delivery-log.ts';

const PAGE = 100;

/** The deliveries' log: its own chunk (with the delivery log's), loaded when one is first opened. */
const deliveriesChunk = () => import('./alert-deliveries.ts');

export function alertsView(ctx: AppContext, search: URLSearchParams): View {
  let onlyOpen = search.get('open') === '1';
  const canAcknowledge = canEdit(ctx.session);
  /** The logs open now, by alert: each follows its alert's deliveries live until closed. */
  const logs = new Map<string, DeliveryLog>();
  let openLog: ((alertId: string) => DeliveryLog) | null = null;
  const closeLog = (alertId: string): void => {
    logs.get(alertId)?.destroy();
    logs.delete(alertId);
  };
  const deliveries = (alert: Alert): HTMLElement => {
    const slot = h('div', { class: 'alert-deliveries-log' });
    const toggle = h(
      'button',
      { class: 'button small', attrs: { type: 'button', 'data-action': 'deliveries', 'aria-expanded': 'false' } },
      t('alerts.deliveries'),
    );
    let opening = false;
    const show = (open: boolean): void => {
      toggle.textContent = open ? t('alerts.hideDeliveries') : t('alerts.deliveries');
      toggle.setAttribute('aria-expanded', String(open));
    };
    toggle.addEventListener('click', () => {
      if (opening) return;
      if (logs.has(alert.id)) {
        closeLog(alert.id);
        replace(slot);
        show(false);
        return;
      }
      opening = true;
      deliveriesChunk()
        .then((chunk) => {
          openLog ??= chunk.alertDeliveries(ctx);
          const log = openLog(alert.id);
          logs.set(alert.id, log);
          replace(slot, log.el);
          show(true);
          return log.reload();
        })
        .catch((error: unknown) => replace(slot, h('p', { class: 'error-text' }, errorText(error))))
        .finally(() => (opening = false));
    });
    return h('div', { class: 'alert-deliveries' }, toggle, slot);
  };
  const itemOf = (alert: Alert): HTMLLIElement =>
    alertItem(alert, ctx.api, { showMonitor: true, canAcknowledge, extra: deliveries(alert) });
  const closeEveryLog = (): void => {
    for (const alertId of [...logs.keys()]) closeLog(alertId);
  };
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
        closeEveryLog();
        replace(list, ...alerts.map(itemOf));
        status.textContent = alerts.length ? '' : onlyOpen ? t('alerts.nothingToAck') : t('alerts.none');
      })
      .catch((error: unknown) => (status.textContent = errorText(error)));
  };
  const stop = ctx.live.onAlert((alert: Alert) => {
    if (known.has(alert.id)) return;
    known.add(alert.id);
    list.insertBefore(itemOf(alert), list.firstChild);
    while (list.children.length > PAGE) {
      const last = list.lastElementChild as HTMLElement | null;
      if (last?.dataset['id']) closeLog(last.dataset['id']);
      last?.remove();
    }
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
  return {
    el,
    destroy() {
      stop();
      closeEveryLog();
    },
    refresh: load,
  };
}
