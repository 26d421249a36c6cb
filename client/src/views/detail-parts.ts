// Pieces of the monitor page: availability per window, incidents, recent results.
import type { Alert, CheckResult, IncidentPeriod, MonitorStatus, WindowStats } from '../api/types.ts';
import { describeResult, formatDateTime, formatDuration, formatLatency, formatPercent } from '../format.ts';
import { copyBox } from '../ui/copy.ts';
import { type MessageKey, t, tn } from '../i18n/index.ts';
import { WINDOWS, type WindowKey, windowLabel } from '../state/range.ts';
import { h } from '../ui/dom.ts';

/** "down 12 min · MTTR 4 min", or "no downtime". */
function downtimeText(stats: WindowStats): string {
  if (stats.downtimeSeconds <= 0 && stats.mttrSeconds === null) return t('detail.noDowntime');
  const down = t('detail.downFor', { duration: formatDuration(stats.downtimeSeconds * 1000) });
  if (stats.mttrSeconds === null) return down;
  return `${down} · ${t('detail.mttr', { duration: formatDuration(stats.mttrSeconds * 1000) })}`;
}

export function statsCards(stats: Record<WindowKey, WindowStats>): HTMLElement {
  return h(
    'div',
    { class: 'stats' },
    ...WINDOWS.map((window) => {
      const key = window.key;
      const value = stats[key];
      return h(
        'div',
        { class: 'stat', attrs: { 'data-window': key } },
        h('span', { class: 'stat-label' }, t('detail.availabilityOver', { window: windowLabel(window) })),
        h('span', { class: 'stat-value' }, formatPercent(value.availability)),
        h(
          'span',
          { class: 'muted' },
          `${tn('detail.checkCount', value.checks)} · ${tn('detail.incidentCount', value.incidents)} · p95 ${formatLatency(value.latency.p95)}`,
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
  if (!periods.length) return h('p', { class: 'muted' }, t('detail.noIncidents'));
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
            period.end !== null
              ? duration
              : ongoing
                ? t('detail.ongoing', { duration })
                : t('detail.pausedWhileDown', { duration }),
          ),
          h('span', { class: 'muted' }, causes.get(Date.parse(period.start)) ?? ''),
        );
      }),
  );
}

function timingsText(result: CheckResult): string {
  const timings = result.timings;
  if (!timings) return '';
  const parts: Array<[MessageKey, number | null]> = [
    ['phases.dns', timings.dnsMs],
    ['phases.connect', timings.connectMs],
    ['phases.tls', timings.tlsMs],
    ['phases.firstByte', timings.firstByteMs],
  ];
  return parts
    .filter(([, value]) => value !== null)
    .map(([name, value]) => `${t(name)} ${formatLatency(value)}`)
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
      h(
        'span',
        { class: 'pill', attrs: { 'data-status': result.isUp ? 'UP' : 'DOWN' } },
        t(result.isUp ? 'status.UP' : 'status.DOWN'),
      ),
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
          ...[t('detail.checked'), t('detail.result'), t('list.latency'), t('detail.details')].map((title) =>
            h('th', { attrs: { scope: 'col' } }, title),
          ),
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
    ['status', t('list.status')],
    ['uptime', t('detail.badgeUptime')],
    ['latency', t('detail.badgeLatency')],
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
    h('h2', null, t('detail.badges')),
    h('p', { class: 'muted' }, t('detail.badgesHint')),
    h('ul', { class: 'badge-list' }, ...items),
  );
}

/** A heartbeat's ping URL (editors only: viewers get none) with a Copy button and how to call it. */
export function pingUrlCard(pingUrl: string | null): HTMLElement | null {
  if (!pingUrl) return null;
  const { el, said } = copyBox(pingUrl, t('detail.pingUrl'));
  return h(
    'section',
    { class: 'card ping-url' },
    h('h2', null, t('detail.pingUrl')),
    el,
    said,
    h(
      'p',
      { class: 'muted' },
      `${t('detail.pingSuccess')} `,
      h('code', null, '/start'),
      ` ${t('detail.pingStart')} `,
      h('code', null, '/fail'),
      ` ${t('detail.pingFail')} `,
      h('code', null, '?duree_ms='),
      ` ${t('detail.pingDuration')}`,
    ),
  );
}
