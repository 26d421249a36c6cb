// Pieces of the monitor page: availability per window, incidents, recent results.
import type { Alert, CheckResult, IncidentPeriod, MonitorStatus, WindowStats } from '../api/types.ts';
import { describeResult, formatDateTime, formatDuration, formatLatency, formatPercent } from '../format.ts';
import { copyBox } from '../ui/copy.ts';
import { h } from '../ui/dom.ts';
import { WINDOWS, type WindowKey } from '../state/range.ts';

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

/** "down 12 min · MTTR 4 min", or "no downtime". */
function downtimeText(stats: WindowStats): string {
  if (stats.downtimeSeconds <= 0 && stats.mttrSeconds === null) return 'no downtime';
  const mttr = stats.mttrSeconds === null ? '' : ` · MTTR ${formatDuration(stats.mttrSeconds * 1000)}`;
  return `down ${formatDuration(stats.downtimeSeconds * 1000)}${mttr}`;
}

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
          `${value.checks} checks · ${plural(value.incidents, 'incident')} · p95 ${formatLatency(value.latency.p95)}`,
        ),
        h('span', { class: 'muted stat-downtime' }, downtimeText(value)),
      );
    }),
  );
}

/**
 * The DOWN periods of the last 30 days, newest first, with the cause of the DOWN alert that opened each (the
 * alert is stamped with the check time of the transition; a monitor that started DOWN has no alert).
 */
export function incidentsList(
  periods: readonly IncidentPeriod[],
  alerts: readonly Alert[],
  status: MonitorStatus,
): HTMLElement {
  if (!periods.length) return h('p', { class: 'muted' }, 'No incidents in the last 30 days.');
  const causes = new Map(
    alerts.filter((alert) => alert.kind === 'DOWN').map((alert) => [Date.parse(alert.createdAt), alert.cause]),
  );
  return h(
    'ul',
    { class: 'incidents' },
    ...[...periods]
      .reverse()
      .slice(0, 20)
      .map((period) => {
        const duration = formatDuration(period.durationSeconds * 1000);
        const ongoing = period.end === null && status !== 'PAUSED';
        return h(
          'li',
          { class: ongoing ? 'ongoing' : '' },
          h('span', { class: 'incident-when' }, formatDateTime(period.start)),
          h(
            'span',
            { class: 'incident-duration' },
            period.end !== null ? duration : ongoing ? `ongoing, ${duration}` : `paused while down, ${duration}`,
          ),
          h('span', { class: 'muted' }, causes.get(Date.parse(period.start)) ?? ''),
        );
      }),
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
    h(
      'td',
      null,
      h('span', { class: 'pill', attrs: { 'data-status': result.isUp ? 'UP' : 'DOWN' } }, result.isUp ? 'Up' : 'Down'),
    ),
    h('td', { class: 'num' }, formatLatency(result.latencyMs)),
    h(
      'td',
      { class: 'cause' },
      describeResult(result),
      h('span', { class: 'muted timings' }, timingsText(result)),
      result.location !== undefined && h('span', { class: 'muted result-location' }, result.location),
    ),
  );
}

export interface ResultsTable {
  el: HTMLElement;
  add(result: CheckResult): void;
  set(results: readonly CheckResult[]): void;
  /** Shows where each result was checked from (a monitor checked from several locations). */
  showLocations(shown: boolean): void;
}

export function resultsTable(results: readonly CheckResult[]): ResultsTable {
  const tbody = h('tbody', null, ...results.map(resultRow));
  const el = h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'results' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ...['Checked', 'Result', 'Latency', 'Details'].map((title) => h('th', { attrs: { scope: 'col' } }, title)),
        ),
      ),
      tbody,
    ),
  );
  return {
    el,
    add(result) {
      tbody.insertBefore(resultRow(result), tbody.firstChild);
      while (tbody.children.length > 20) tbody.lastElementChild?.remove();
    },
    set(fresh) {
      tbody.replaceChildren(...fresh.slice(0, 20).map(resultRow));
    },
    showLocations(shown) {
      el.classList.toggle('with-locations', shown);
    },
  };
}

/** Its public badges, when switched on: each image with the Markdown to embed it. */
export function badgesCard(monitor: { id: string; slug: string | null; badgesEnabled: boolean }): HTMLElement | null {
  if (!monitor.badgesEnabled) return null;
  const ref = encodeURIComponent(monitor.slug ?? monitor.id);
  const items = [
    ['status', 'Status'],
    ['uptime', 'Uptime, 30 days'],
    ['latency', 'Latency, 24 hours'],
  ].map(([kind, label]) => {
    const path = `/badge/${ref}/${kind}.svg`;
    const markdown = `![${label}](${location.origin}${path})`;
    return h(
      'li',
      { class: 'badge-item' },
      h('img', { attrs: { src: path, alt: label, height: 20 } }),
      h('code', { class: 'badge-markdown' }, markdown),
    );
  });
  return h(
    'section',
    { class: 'card badges' },
    h('h2', null, 'Public badges'),
    h('p', { class: 'muted' }, 'Anyone may load these images; embed them in a README or a wiki.'),
    h('ul', { class: 'badge-list' }, ...items),
  );
}

/** A heartbeat's ping URL (editors only: viewers get none) with a Copy button and how to call it. */
export function pingUrlCard(pingUrl: string | null): HTMLElement | null {
  if (!pingUrl) return null;
  const { el, said } = copyBox(pingUrl, 'Ping URL');
  return h(
    'section',
    { class: 'card ping-url' },
    h('h2', null, 'Ping URL'),
    el,
    said,
    h(
      'p',
      { class: 'muted' },
      'The job calls it (GET or POST, the body is kept as its message) when it succeeds; ',
      h('code', null, '/start'),
      ' when it starts and ',
      h('code', null, '/fail'),
      ' when it fails; ',
      h('code', null, '?duree_ms='),
      ' records how long it ran. Keep it secret.',
    ),
  );
}
