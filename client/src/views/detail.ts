// The monitor page: state, actions, availability per window, live latency chart, incidents, results, alerts.
import {
  CheckNow,
  DeleteMonitor,
  MonitorDetailQuery,
  PauseMonitor,
  ResumeMonitor,
  StatsQuery,
} from '../api/documents.ts';
import { errorText } from '../api/errors.ts';
import type { Alert, MonitorDetail, MonitorStatus, MonitorWindowStats } from '../api/types.ts';
import type { AppContext } from '../context.ts';
import { canEdit } from '../state/session.ts';
import { describeResult, formatDateTime, formatLatency } from '../format.ts';
import { t } from '../i18n/index.ts';
import { h, replace } from '../ui/dom.ts';
import type { View } from '../ui/router.ts';
import { statusPill, updatePill } from '../ui/status.ts';
import { alertItem } from './alert-item.ts';
import { certificateCard } from './detail-figures.ts';
import { badgesCard, incidentsList, pingUrlCard, statsCards } from './detail-parts.ts';
import { rangeSection, type RangeSection } from './detail-range.ts';
import { notificationsCardSlot } from './notification-slots.ts';

/** Availability figures are re-read after a status change, and at most this often while checks arrive. */
const STATS_REFRESH_MS = 10_000;

export function detailView(ctx: AppContext, id: string): View {
  const el = h('section', { class: 'detail-view' }, h('p', { class: 'muted' }, t('common.loading')));
  // A viewer sees the monitor without its controls; the server refuses them anyway.
  const editor = canEdit(ctx.session);
  const stops: Array<() => void> = [];
  let section: RangeSection | null = null;
  let destroyed = false;

  const load = async (): Promise<void> => {
    const data = await ctx.api.query(MonitorDetailQuery, { id });
    if (destroyed) return;
    const monitor = data.monitor;
    const alerts: Alert[] = [...monitor.alerts];
    let status: MonitorStatus = monitor.status;
    const pill = statusPill(status);
    const feedback = h('p', { class: 'feedback', attrs: { role: 'status' } });
    const pause = pauseButton(
      ctx,
      id,
      feedback,
      () => status === 'PAUSED',
      (next) => setStatus(next),
    );
    const setStatus = (next: MonitorStatus): void => {
      status = next;
      updatePill(pill, next);
      pause.textContent = t(next === 'PAUSED' ? 'detail.resume' : 'detail.pause');
      ctx.store.status(id, next);
    };
    setStatus(status);
    section?.destroy();
    const shown = rangeSection(ctx, monitor, monitor.results.nodes);
    section = shown;
    const stats = h('div', null, statsCards(data));
    const incidents = h('div', null, incidentsList(data.month.incidentPeriods, alerts, status));
    let latest: MonitorWindowStats = data;
    const showStats = (fresh: MonitorWindowStats): void => {
      latest = fresh;
      replace(stats, statsCards(fresh));
      replace(incidents, incidentsList(fresh.month.incidentPeriods, alerts, status));
    };
    const statsRefresh = statsRefresher(ctx, id, () => !destroyed, showStats);
    stops.push(statsRefresh.stop);
    const itemOptions = { showMonitor: false, canAcknowledge: editor };
    const alertList = h('ul', { class: 'alerts' }, ...alerts.map((alert) => alertItem(alert, ctx.api, itemOptions)));
    const noAlerts = h('p', { class: 'muted', attrs: { hidden: alerts.length > 0 } }, t('alerts.none'));
    const notificationsCard = notificationsCardSlot(ctx, id, monitor.kind);
    stops.push(notificationsCard.destroy);

    replace(
      el,
      h('a', { class: 'back', attrs: { href: '/' } }, t('detail.backToList')),
      h('div', { class: 'page-head' }, h('h1', null, monitor.name), pill),
      monitorMeta(monitor),
      maintenanceNote(monitor),
      editor &&
        h(
          'div',
          { class: 'actions' },
          // A heartbeat is not checked by Vigie: its job calls in.
          monitor.kind !== 'PUSH' && checkNowButton(ctx, id, feedback),
          pause,
          h('a', { class: 'button', attrs: { href: `/monitors/${encodeURIComponent(id)}/edit` } }, t('detail.edit')),
          ...deleteButtons(ctx, id, monitor.name, feedback),
        ),
      feedback,
      pingUrlCard(monitor.pingUrl),
      stats,
      certificateCard(monitor),
      shown.latencyCard,
      shown.phasesCard,
      h(
        'div',
        { class: 'two-columns' },
        h('section', { class: 'card' }, h('h2', null, t('detail.incidents')), incidents),
        h('section', { class: 'card' }, h('h2', null, t('nav.alerts')), alertList, noAlerts),
      ),
      shown.resultsCard,
      notificationsCard.el,
      badgesCard(monitor),
    );

    stops.push(
      // Its own results, every one: the chart and the table grow with each.
      ctx.live.onCheck(id, (result) => {
        shown.onCheck(result);
        statsRefresh.refresh(false);
      }),
      // Its state comes with the list's stream, which the store follows (a new monitor's first result sets it
      // without a transition event: the stream has it all the same).
      ctx.store.subscribe((changed) => {
        if (changed !== 'all' && !changed.has(id)) return;
        const known = ctx.store.get(id)?.status;
        if (!known || known === status) return;
        setStatus(known);
        statsRefresh.refresh(true);
      }),
      ctx.live.onAlert((alert) => {
        if (alert.monitorId !== id || alerts.some((known) => known.id === alert.id)) return;
        alerts.unshift(alert);
        alertList.insertBefore(alertItem(alert, ctx.api, itemOptions), alertList.firstChild);
        noAlerts.hidden = true;
        // the cause of an incident comes from its DOWN alert
        replace(incidents, incidentsList(latest.month.incidentPeriods, alerts, status));
      }),
    );
    await shown.start();
  };

  const start = (): void => {
    stops.splice(0).forEach((stop) => stop());
    load().catch((error: unknown) => {
      if (!destroyed)
        replace(
          el,
          h('a', { class: 'back', attrs: { href: '/' } }, t('detail.backToList')),
          h('h1', null, t('list.monitor')),
          h('p', { class: 'error-text' }, errorText(error)),
        );
    });
  };
  start();
  return {
    el,
    refresh: start,
    destroy() {
      destroyed = true;
      stops.forEach((stop) => stop());
      section?.destroy();
    },
  };
}

/**
 * Re-reads the availability figures, one refresh pending at a time: `refresh(true)` (a status change) brings it
 * forward (the incidents come with it); otherwise at most every STATS_REFRESH_MS.
 */
function statsRefresher(
  ctx: AppContext,
  id: string,
  isShown: () => boolean,
  show: (fresh: MonitorWindowStats) => void,
) {
  let statsTimer: ReturnType<typeof setTimeout> | undefined;
  let statsDue = 0;
  let statsReadAt = Date.now();
  let statsToken = 0;
  return {
    refresh(soon: boolean): void {
      const due = soon ? Date.now() + 300 : Math.max(Date.now(), statsReadAt + STATS_REFRESH_MS);
      if (statsTimer !== undefined && statsDue <= due) return;
      clearTimeout(statsTimer);
      statsDue = due;
      statsTimer = setTimeout(() => {
        statsTimer = undefined;
        statsReadAt = Date.now();
        const token = ++statsToken;
        ctx.api
          .query(StatsQuery, { id })
          .then((fresh) => isShown() && token === statsToken && show(fresh))
          .catch(() => {});
      }, due - Date.now());
    },
    stop: (): void => clearTimeout(statsTimer),
  };
}

/** In maintenance now (until when), or its next window; nothing when it has none. */
function maintenanceNote(monitor: MonitorDetail): HTMLElement | null {
  const { activeUntil, activeWindow, next, nextWindow } = monitor.maintenance;
  if (activeUntil) {
    return h(
      'p',
      { class: 'maintenance-note' },
      t('detail.maintenanceNow', { until: formatDateTime(activeUntil), name: activeWindow ?? '' }),
    );
  }
  if (!next) return null;
  return h(
    'p',
    { class: 'maintenance-note muted' },
    t('detail.maintenanceNext', {
      start: formatDateTime(next.startsAt),
      end: formatDateTime(next.endsAt),
      name: nextWindow ?? '',
    }),
  );
}

/** Kind, target, timing and tags under the monitor's name. */
function monitorMeta(monitor: MonitorDetail): HTMLElement {
  return h(
    'p',
    { class: 'meta' },
    h('span', { class: 'kind' }, monitor.kind),
    ' ',
    h('span', { class: 'target' }, monitor.dns ? `${monitor.dns.recordType} ${monitor.target}` : monitor.target),
    h(
      'span',
      { class: 'muted' },
      monitor.kind === 'PUSH'
        ? ` · ${t('detail.heartbeatTiming', { interval: monitor.intervalSeconds, grace: monitor.graceSeconds })}`
        : ` · ${t('detail.timing', { interval: monitor.intervalSeconds, timeout: monitor.timeoutSeconds })}`,
    ),
    ...monitor.tags.map((tag) => h('span', { class: 'tag' }, tag)),
  );
}

/** Pause or Resume, by the current status (its text is set by the caller's status updates). */
function pauseButton(
  ctx: AppContext,
  id: string,
  feedback: HTMLElement,
  isPaused: () => boolean,
  setStatus: (next: MonitorStatus) => void,
): HTMLButtonElement {
  const button = h('button', { class: 'button', attrs: { type: 'button' } });
  button.addEventListener('click', () => {
    button.disabled = true;
    const resume = isPaused();
    (resume
      ? ctx.api.mutate(ResumeMonitor, { id }).then((result) => result.resumeMonitor.status)
      : ctx.api.mutate(PauseMonitor, { id }).then((result) => result.pauseMonitor.status)
    )
      .then((next) => {
        setStatus(next);
        feedback.textContent = t(resume ? 'detail.resumed' : 'detail.paused');
      })
      .catch((error: unknown) => (feedback.textContent = errorText(error)))
      .finally(() => (button.disabled = false));
  });
  return button;
}

function checkNowButton(ctx: AppContext, id: string, feedback: HTMLElement): HTMLButtonElement {
  const button = h('button', { class: 'button', attrs: { type: 'button' } }, t('detail.checkNow'));
  button.addEventListener('click', () => {
    button.disabled = true;
    feedback.textContent = t('checkUrl.checking');
    ctx.api
      .mutate(CheckNow, { id })
      .then(({ checkNow: result }) => {
        feedback.textContent = `${t(result.isUp ? 'status.UP' : 'status.DOWN')} · ${formatLatency(result.latencyMs)} · ${describeResult(result)}`;
      })
      .catch((error: unknown) => (feedback.textContent = errorText(error)))
      .finally(() => (button.disabled = false));
  });
  return button;
}

/** Delete, which asks for a second click (Cancel backs out), then leaves for the list. */
function deleteButtons(
  ctx: AppContext,
  id: string,
  name: string,
  feedback: HTMLElement,
): [HTMLButtonElement, HTMLButtonElement] {
  const deleteButton = h('button', { class: 'button danger', attrs: { type: 'button' } }, t('common.delete'));
  const cancelButton = h('button', { class: 'button', attrs: { type: 'button', hidden: true } }, t('common.cancel'));
  let confirming = false;
  const setConfirming = (value: boolean): void => {
    confirming = value;
    deleteButton.textContent = t(value ? 'common.deleteForGood' : 'common.delete');
    cancelButton.hidden = !value;
    feedback.textContent = value ? t('detail.deleteWarning') : '';
  };
  cancelButton.addEventListener('click', () => {
    setConfirming(false);
    deleteButton.focus();
  });
  deleteButton.addEventListener('click', () => {
    if (!confirming) return setConfirming(true);
    deleteButton.disabled = true;
    ctx.api
      .mutate(DeleteMonitor, { id })
      .then(() => {
        ctx.store.remove(id);
        ctx.notify(`Deleted “${name}”.`);
        ctx.navigate('/');
      })
      .catch((error: unknown) => {
        deleteButton.disabled = false;
        feedback.textContent = errorText(error);
      });
  });
  return [deleteButton, cancelButton];
}
