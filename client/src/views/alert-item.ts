// One alert in a list, with its acknowledge button.
import type { Api } from '../api/client.ts';
import { AcknowledgeAlert } from '../api/documents.ts';
import { errorText } from '../api/errors.ts';
import type { Alert } from '../api/types.ts';
import { ALERT_LABEL, formatAgo, formatDateTime } from '../format.ts';
import { h, replace } from '../ui/dom.ts';
import { t } from '../i18n/index.ts';

/**
 * `canAcknowledge`: editors and admins (a viewer sees the state only). `extra`: shown under the alert, kept as it
 * is when the alert is acknowledged (the Alerts page's deliveries).
 */
export function alertItem(
  alert: Alert,
  api: Api,
  options: { showMonitor: boolean; canAcknowledge: boolean; extra?: HTMLElement },
): HTMLLIElement {
  const item = h('li', { class: 'alert', attrs: { 'data-kind': alert.kind, 'data-id': alert.id } });
  const ackButton = (current: Alert): HTMLElement => {
    const failure = h('span', { class: 'error-text ack-error' });
    const button = h('button', { class: 'button small', attrs: { type: 'button' } }, t('alerts.acknowledge'));
    button.addEventListener('click', () => {
      button.disabled = true;
      failure.textContent = '';
      api
        .mutate(AcknowledgeAlert, { id: current.id })
        .then(({ acknowledgeAlert }) => {
          render(acknowledgeAlert);
          item.dispatchEvent(new CustomEvent('acknowledged', { bubbles: true }));
          item.querySelector<HTMLElement>('.ack')?.focus();
        })
        .catch((error: unknown) => {
          button.disabled = false;
          // e.g. the server's refusal (403) when the role changed meanwhile
          failure.textContent = errorText(error);
        });
    });
    return h('span', { class: 'ack-action' }, button, failure);
  };
  const render = (current: Alert): void => {
    const ack = current.acknowledgedAt
      ? h('span', { class: 'muted ack' }, t('alerts.acknowledgedAgo', { ago: formatAgo(current.acknowledgedAt) }))
      : options.canAcknowledge
        ? ackButton(current)
        : null;
    if (ack && current.acknowledgedAt) ack.tabIndex = -1;
    item.classList.toggle('acknowledged', Boolean(current.acknowledgedAt));
    const monitorName =
      current.monitor?.name ?? (current.monitorId ? t('alerts.monitorId', { id: current.monitorId }) : t('app.name'));
    replace(
      item,
      h(
        'span',
        { class: 'alert-kind', attrs: { 'data-kind': current.kind } },
        ALERT_LABEL[current.kind] ?? current.kind,
      ),
      h(
        'div',
        { class: 'alert-body' },
        options.showMonitor && current.monitorId
          ? h(
              'a',
              { class: 'alert-monitor', attrs: { href: `/monitors/${encodeURIComponent(current.monitorId)}` } },
              monitorName,
            )
          : options.showMonitor
            ? h('span', { class: 'alert-monitor' }, monitorName)
            : null,
        h('span', { class: 'alert-cause' }, current.cause ?? ''),
        h(
          'time',
          { class: 'muted', attrs: { datetime: current.createdAt, title: formatDateTime(current.createdAt) } },
          formatAgo(current.createdAt),
        ),
      ),
      ack,
      options.extra ?? null,
    );
  };
  render(alert);
  return item;
}
