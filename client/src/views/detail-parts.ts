// Pieces of the monitor page: availability per window, incidents, recent results.
import type { Alert, CheckResult, MonitorStatus, WindowStats } from '../api/types.ts';
import { describeResult, formatDateTime, formatDuration, formatLatency, formatPercent } from '../format.ts';
import { downPeriods } from '../state/daily.ts';
import { h } from '../ui/dom.ts';

export const WINDOWS = [
  { key: 'hour', label: '1 h', ms: 3_600_000 },
  { key: 'day', label: '24 h', ms: 86_400_000 },
  { key: 'week', label: '7 d', ms: 7 * 86_400_000 },
  { key: 'month', label: '30 d', ms: 30 * 86_400_000 },
] as const;
export type WindowKey = (typeof WINDOWS)[number]['key'];

export function statsCards(stats: Record<WindowKey, WindowStats>): HTMLElement {
  return h(
    'div',
    { class: 'stats' },
    ...WINDOWS.map(({ key, label }) => {
      const value = stats[key];
      return h(
        'div',
        { class: 'stat', attrs: { 'data-window': key } },
        h('span', { class: 'stat-label' }, `Availability ${label}`),
        h('span', { class: 'stat-value' }, formatPercent(value.availability)),
        h(
          'span',
          { class: 'muted' },
          `${value.checks} checks · ${value.incidents} incident${value.incidents === 1 ? '' : 's'} · p95 ${formatLatency(value.latency.p95)}`,
        ),
      );
    }),
  );
}

/** Down periods from the monitor's DOWN/UP alerts (only the alerts loaded: the latest 100). */
export function incidentsList(alerts: readonly Alert[], status: MonitorStatus, createdAt: string): HTMLElement {
  const oldest = alerts.length === 100 ? Date.parse(alerts[alerts.length - 1]!.createdAt) : Date.parse(createdAt);
  const periods = downPeriods(
    alerts.map((alert) => ({ kind: alert.kind, at: Date.parse(alert.createdAt), cause: alert.cause })),
    oldest,
    status,
  ).reverse();
  if (!periods.length) return h('p', { class: 'muted' }, 'No incidents.');
  const now = Date.now();
  return h(
    'ul',
    { class: 'incidents' },
    ...periods.slice(0, 20).map((period) =>
      h(
        'li',
        { class: period.to === null ? 'ongoing' : '' },
        h('span', { class: 'incident-when' }, formatDateTime(new Date(period.from).toISOString())),
        h('span', { class: 'incident-duration' }, period.to === null ? `ongoing, ${formatDuration(now - period.from)}` : formatDuration(period.to - period.from)),
        h('span', { class: 'muted' }, period.cause ?? ''),
      ),
    ),
  );
}

function timingsText(result: CheckResult): string {
  const t = result.timings;
  if (!t) return '';
  const parts: Array<[string, number | null]> = [
    ['DNS', t.dnsMs],
    ['connect', t.connectMs],
    ['TLS', t.tlsMs],
    ['first byte', t.firstByteMs],
  ];
  return parts
    .filter(([, value]) => value !== null)
    .map(([name, value]) => `${name} ${formatLatency(value)}`)
    .join(' · ');
}

export function resultRow(result: CheckResult): HTMLTableRowElement {
  return h(
    'tr',
    { attrs: { 'data-up': String(result.isUp) } },
    h('td', null, h('time', { attrs: { datetime: result.checkedAt } }, formatDateTime(result.checkedAt))),
    h('td', null, h('span', { class: 'pill', attrs: { 'data-status': result.isUp ? 'UP' : 'DOWN' } }, result.isUp ? 'Up' : 'Down')),
    h('td', { class: 'num' }, formatLatency(result.latencyMs)),
    h('td', { class: 'cause' }, describeResult(result), h('span', { class: 'muted timings' }, timingsText(result))),
  );
}

export function resultsTable(results: readonly CheckResult[]): { el: HTMLElement; add(result: CheckResult): void } {
  const tbody = h('tbody', null, ...results.map(resultRow));
  const el = h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'results' },
      h('thead', null, h('tr', null, ...['Checked', 'Result', 'Latency', 'Details'].map((title) => h('th', { attrs: { scope: 'col' } }, title)))),
      tbody,
    ),
  );
  return {
    el,
    add(result) {
      tbody.insertBefore(resultRow(result), tbody.firstChild);
      while (tbody.children.length > 20) tbody.lastElementChild?.remove();
    },
  };
}
