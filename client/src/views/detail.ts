// The monitor page: state, actions, availability per window, live latency chart, incidents, results, alerts.
import { ChartQuery, CheckNow, StatsQuery, DeleteMonitor, MonitorDetailQuery, PauseMonitor, ResumeMonitor } from '../api/documents.ts';
import { errorText } from '../api/errors.ts';
import type { Alert, ChartPoint, MonitorStatus } from '../api/types.ts';
import type { ResultOf } from '../api/client.ts';
import type { AppContext } from '../context.ts';
import { describeResult, formatLatency } from '../format.ts';
import { h, replace } from '../ui/dom.ts';
import type { View } from '../ui/router.ts';
import { statusPill, updatePill } from '../ui/status.ts';
import { alertItem } from './alert-item.ts';
import { latencyChart } from './chart.ts';
import { incidentsList, resultsTable, statsCards, WINDOWS, type WindowKey } from './detail-parts.ts';

/** Availability figures are re-read after a status change, and at most this often while checks arrive. */
const STATS_REFRESH_MS = 10_000;

/** At most this many pages of 1,000 results per chart (30 days at 1 min is 43 pages: the newest are shown). */
const MAX_CHART_PAGES = 20;

export function detailView(ctx: AppContext, id: string): View {
  const el = h('section', { class: 'detail-view' }, h('p', { class: 'muted' }, 'Loading…'));
  const chart = latencyChart();
  const stops: Array<() => void> = [];
  let range: WindowKey = 'hour';
  let chartToken = 0;
  let destroyed = false;

  const loadChart = async (): Promise<void> => {
    const token = ++chartToken;
    const span = WINDOWS.find((window) => window.key === range)!.ms;
    const from = new Date(Date.now() - span).toISOString();
    const points: ChartPoint[] = [];
    let after: string | null = null;
    for (let page = 0; page < MAX_CHART_PAGES; page++) {
      const data: ResultOf<typeof ChartQuery> = await ctx.api.query(ChartQuery, { id, from, after });
      if (token !== chartToken) return;
      points.push(...data.monitor.results.nodes);
      if (!data.monitor.results.pageInfo.hasNextPage) break;
      after = data.monitor.results.pageInfo.endCursor;
    }
    chart.setPoints(points, span);
  };

  const load = async (): Promise<void> => {
    const data = await ctx.api.query(MonitorDetailQuery, { id });
    if (destroyed) return;
    const monitor = data.monitor;
    const alerts: Alert[] = [...monitor.alerts];
    let status: MonitorStatus = monitor.status;
    const pill = statusPill(status);
    const feedback = h('p', { class: 'feedback', attrs: { role: 'status' } });
    const pauseButton = h('button', { class: 'button', attrs: { type: 'button' } });
    const setStatus = (next: MonitorStatus): void => {
      status = next;
      updatePill(pill, next);
      pauseButton.textContent = next === 'PAUSED' ? 'Resume' : 'Pause';
      ctx.store.status(id, next);
    };
    setStatus(status);
    pauseButton.addEventListener('click', () => {
      pauseButton.disabled = true;
      const resume = status === 'PAUSED';
      (resume
        ? ctx.api.mutate(ResumeMonitor, { id }).then((result) => result.resumeMonitor.status)
        : ctx.api.mutate(PauseMonitor, { id }).then((result) => result.pauseMonitor.status)
      )
        .then((next) => {
          setStatus(next);
          feedback.textContent = resume ? 'Resumed: checks run again.' : 'Paused: no checks until resumed.';
        })
        .catch((error: unknown) => (feedback.textContent = errorText(error)))
        .finally(() => (pauseButton.disabled = false));
    });
    const checkButton = h('button', { class: 'button', attrs: { type: 'button' } }, 'Check now');
    checkButton.addEventListener('click', () => {
      checkButton.disabled = true;
      feedback.textContent = 'Checking…';
      ctx.api
        .mutate(CheckNow, { id })
        .then(({ checkNow: result }) => {
          feedback.textContent = `${result.isUp ? 'Up' : 'Down'} · ${formatLatency(result.latencyMs)} · ${describeResult(result)}`;
        })
        .catch((error: unknown) => (feedback.textContent = errorText(error)))
        .finally(() => (checkButton.disabled = false));
    });
    const deleteButton = h('button', { class: 'button danger', attrs: { type: 'button' } }, 'Delete');
    const cancelButton = h('button', { class: 'button', attrs: { type: 'button', hidden: true } }, 'Cancel');
    let confirming = false;
    const setConfirming = (value: boolean): void => {
      confirming = value;
      deleteButton.textContent = value ? 'Delete for good' : 'Delete';
      cancelButton.hidden = !value;
      feedback.textContent = value ? 'Deleting removes the monitor with all its results and alerts.' : '';
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
          ctx.notify(`Deleted “${monitor.name}”.`);
          ctx.navigate('/');
        })
        .catch((error: unknown) => {
          deleteButton.disabled = false;
          feedback.textContent = errorText(error);
        });
    });

    const rangeTabs = h(
      'div',
      { class: 'segmented', attrs: { role: 'group', 'aria-label': 'Chart range' } },
      ...WINDOWS.map(({ key, label }) =>
        h(
          'button',
          {
            class: 'segment',
            attrs: { type: 'button', 'aria-pressed': String(key === range), 'data-range': key },
            on: {
              click: () => {
                range = key;
                rangeTabs.querySelectorAll('button').forEach((button) => button.setAttribute('aria-pressed', String(button.dataset['range'] === key)));
                void loadChart().catch((error: unknown) => (feedback.textContent = errorText(error)));
              },
            },
          },
          label,
        ),
      ),
    );
    const stats = h('div', null, statsCards(data));
    let statsTimer: ReturnType<typeof setTimeout> | undefined;
    let statsReadAt = Date.now();
    const refreshStats = (soon: boolean): void => {
      if (statsTimer) return;
      const wait = soon ? 300 : Math.max(0, statsReadAt + STATS_REFRESH_MS - Date.now());
      statsTimer = setTimeout(() => {
        statsReadAt = Date.now();
        ctx.api
          .query(StatsQuery, { id })
          .then((fresh) => !destroyed && replace(stats, statsCards(fresh)))
          .catch(() => {})
          .finally(() => (statsTimer = undefined));
      }, wait);
    };
    stops.push(() => clearTimeout(statsTimer));
    const results = resultsTable(monitor.results.nodes);
    const incidents = h('div', null, incidentsList(alerts, status, monitor.createdAt));
    const alertList = h('ul', { class: 'alerts' }, ...alerts.map((alert) => alertItem(alert, ctx.api, { showMonitor: false })));
    const noAlerts = h('p', { class: 'muted', attrs: { hidden: alerts.length > 0 } }, 'No alerts yet.');

    replace(
      el,
      h('a', { class: 'back', attrs: { href: '/' } }, '← All monitors'),
      h('div', { class: 'page-head' }, h('h1', null, monitor.name), pill),
      h(
        'p',
        { class: 'meta' },
        h('span', { class: 'kind' }, monitor.kind),
        ' ',
        h('span', { class: 'target' }, monitor.target),
        h('span', { class: 'muted' }, ` · every ${monitor.intervalSeconds} s · timeout ${monitor.timeoutSeconds} s`),
        ...monitor.tags.map((tag) => h('span', { class: 'tag' }, tag)),
      ),
      h(
        'div',
        { class: 'actions' },
        checkButton,
        pauseButton,
        h('a', { class: 'button', attrs: { href: `/monitors/${encodeURIComponent(id)}/edit` } }, 'Edit'),
        deleteButton,
        cancelButton,
      ),
      feedback,
      stats,
      h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', null, 'Latency'), rangeTabs), chart.el),
      h('div', { class: 'two-columns' },
        h('section', { class: 'card' }, h('h2', null, 'Incidents'), incidents),
        h('section', { class: 'card' }, h('h2', null, 'Alerts'), alertList, noAlerts),
      ),
      h('section', { class: 'card' }, h('h2', null, 'Recent results'), results.el),
    );

    stops.push(
      ctx.live.onCheck((result) => {
        if (result.monitorId !== id) return;
        chart.add(result);
        results.add(result);
        refreshStats(false);
      }),
      ctx.live.onStatus((change) => {
        if (change.monitorId !== id) return;
        setStatus(change.status);
        replace(incidents, incidentsList(alerts, status, monitor.createdAt));
        refreshStats(true);
      }),
      ctx.live.onAlert((alert) => {
        if (alert.monitorId !== id || alerts.some((known) => known.id === alert.id)) return;
        alerts.unshift(alert);
        alertList.insertBefore(alertItem(alert, ctx.api, { showMonitor: false }), alertList.firstChild);
        noAlerts.hidden = true;
        replace(incidents, incidentsList(alerts, status, monitor.createdAt));
      }),
    );
    await loadChart();
  };

  const start = (): void => {
    stops.splice(0).forEach((stop) => stop());
    load().catch((error: unknown) => {
      if (!destroyed) replace(el, h('a', { class: 'back', attrs: { href: '/' } }, '← All monitors'), h('h1', null, 'Monitor'), h('p', { class: 'error-text' }, errorText(error)));
    });
  };
  start();
  return {
    el,
    refresh: start,
    destroy() {
      destroyed = true;
      stops.forEach((stop) => stop());
      chart.destroy();
    },
  };
}
