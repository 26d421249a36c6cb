// A delivery log (of one channel, of one monitor's alerts, or of one alert): each delivery's state, attempts, last error and
// next try, kept current by the deliveryUpdated subscription, with "Retry now" for a failed or retrying one.
import { DeliveryUpdated, RetryDelivery, type DeliveryRow } from '../api/notification-documents.ts';
import { errorText } from '../api/errors.ts';
import type { AppContext } from '../context.ts';
import { ALERT_LABEL, formatAgo, formatDateTime } from '../format.ts';
import { canEdit } from '../state/session.ts';
import { labels, t, tn } from '../i18n/index.ts';
import { h, replace } from '../ui/dom.ts';

export type DeliveryState = 'pending' | 'sent' | 'retrying' | 'failed' | 'suppressed';

const STATE_LABEL: Readonly<Record<DeliveryState, string>> = labels({
  pending: 'delivery.pending',
  sent: 'delivery.sent',
  retrying: 'delivery.retrying',
  failed: 'delivery.failed',
  suppressed: 'delivery.notSent',
});

const TEXT = labels({
  empty: 'delivery.empty',
  retry: 'delivery.retry',
});

const MESSAGE = {
  attempts: (count: number) => tn('delivery.attempts', count),
  nextTry: (at: string) => t('delivery.nextTry', { at: formatDateTime(at) }),
  deliveredAt: (at: string) => t('delivery.sentAgo', { ago: formatAgo(at) }),
  suppressed: (reason: string) => t('delivery.suppressed', { reason }),
  lastError: (error: string) => t('delivery.lastError', { error }),
  alert: (row: DeliveryRow) =>
    row.alert
      ? `${ALERT_LABEL[row.alert.kind as keyof typeof ALERT_LABEL] ?? row.alert.kind}${row.alert.monitor ? ` · ${row.alert.monitor.name}` : ''}`
      : t('delivery.alert', { id: row.alertId }),
};

/** PENDING covers both the first try and the wait before a retry: a last error tells them apart. */
export function deliveryState(row: Pick<DeliveryRow, 'status' | 'lastError'>): DeliveryState {
  switch (row.status) {
    case 'DELIVERED':
      return 'sent';
    case 'FAILED':
      return 'failed';
    case 'SUPPRESSED':
      return 'suppressed';
    default:
      return row.lastError ? 'retrying' : 'pending';
  }
}

export interface DeliveryLogOptions {
  /** Which deliveries the live subscription follows. */
  filter: { channelId?: string; monitorId?: string; alertId?: string };
  /** Reads the log (newest first). */
  load(): Promise<DeliveryRow[]>;
  /** The channel's name, when the log mixes channels. */
  channelName?: (id: string) => string;
  /** Whether each row names its alert (default true; false in the log of one alert, which names the channel). */
  showAlert?: boolean;
  /** How many rows are kept (newest first). */
  limit?: number;
}

export interface DeliveryLog {
  el: HTMLElement;
  reload(): Promise<void>;
  destroy(): void;
}

export function deliveryLog(ctx: AppContext, options: DeliveryLogOptions): DeliveryLog {
  const editor = canEdit(ctx.session);
  const limit = options.limit ?? 50;
  const showAlert = options.showAlert ?? true;
  const rows = new Map<string, DeliveryRow>();
  const list = h('ul', { class: 'delivery-log', attrs: { 'aria-live': 'polite' } });
  const empty = h('p', { class: 'muted' }, TEXT.empty);
  const el = h('div', { class: 'delivery-log-box' }, empty, list);

  const item = (row: DeliveryRow): HTMLLIElement => {
    const state = deliveryState(row);
    const failure = h('span', { class: 'error-text' });
    const details = [
      MESSAGE.attempts(row.attempts),
      row.deliveredAt && state === 'sent' ? MESSAGE.deliveredAt(row.deliveredAt) : null,
      row.nextAttemptAt && state !== 'sent' ? MESSAGE.nextTry(row.nextAttemptAt) : null,
      row.suppressedReason ? MESSAGE.suppressed(row.suppressedReason) : null,
    ].filter(Boolean);
    const retry =
      editor && (state === 'failed' || state === 'retrying')
        ? h('button', { class: 'button small', attrs: { type: 'button', 'data-action': 'retry' } }, TEXT.retry)
        : null;
    retry?.addEventListener('click', () => {
      retry.disabled = true;
      failure.textContent = '';
      ctx.api
        .mutate(RetryDelivery, { id: row.id })
        .then(({ retryDelivery }) => upsert(retryDelivery))
        .catch((error: unknown) => {
          retry.disabled = false;
          failure.textContent = errorText(error);
        });
    });
    return h(
      'li',
      { class: 'delivery', attrs: { 'data-id': row.id, 'data-state': state } },
      h('span', { class: 'delivery-state', attrs: { 'data-state': state } }, STATE_LABEL[state]),
      h(
        'div',
        { class: 'delivery-body' },
        h(
          'span',
          { class: 'delivery-what' },
          showAlert ? MESSAGE.alert(row) : '',
          options.channelName ? `${showAlert ? ' → ' : ''}${options.channelName(row.channelId)}` : '',
        ),
        h(
          'time',
          { class: 'muted', attrs: { datetime: row.createdAt, title: formatDateTime(row.createdAt) } },
          formatAgo(row.alert?.createdAt ?? row.createdAt),
        ),
        h('span', { class: 'muted delivery-details' }, details.join(' · ')),
        row.lastError && state !== 'sent'
          ? h('span', { class: 'delivery-error' }, MESSAGE.lastError(row.lastError))
          : null,
      ),
      h('span', { class: 'delivery-actions' }, retry, failure),
    );
  };

  const render = (): void => {
    const sorted = [...rows.values()].sort((a, b) => Number(b.id) - Number(a.id)).slice(0, limit);
    empty.hidden = sorted.length > 0;
    replace(list, ...sorted.map(item));
  };

  function upsert(row: DeliveryRow): void {
    rows.set(row.id, row);
    render();
  }

  const reload = async (): Promise<void> => {
    const loaded = await options.load();
    rows.clear();
    for (const row of loaded) rows.set(row.id, row);
    render();
  };

  const stop = ctx.api.subscribe(
    DeliveryUpdated,
    {
      channelId: options.filter.channelId ?? null,
      monitorId: options.filter.monitorId ?? null,
      alertId: options.filter.alertId ?? null,
    },
    (data) => upsert(data.deliveryUpdated),
  );
  render();
  return { el, reload, destroy: stop };
}
