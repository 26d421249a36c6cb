// The public status page's markup: its heading, an overall banner, its incidents and, per section, each
// monitor's state and 90 daily bars.
import type {
  IncidentStatus,
  MonitorStatus,
  PublicMonitor,
  PublicStatusPage,
  StatusPageIncident,
} from '../api/types.ts';
import { formatDateTime, formatDay, formatPercent } from '../format.ts';
import { dailyBars, dayLevel, type DayBar } from '../state/daily.ts';
import { labels, t, tn } from '../i18n/index.ts';
import { h } from '../ui/dom.ts';
import { statusPill, updatePill } from '../ui/status.ts';
import { DAYS } from './data.ts';

export function overall(statuses: MonitorStatus[]): { level: 'ok' | 'minor' | 'major' | 'none'; text: string } {
  if (!statuses.length) return { level: 'none', text: t('statusPage.noServices') };
  const down = statuses.filter((status) => status === 'DOWN').length;
  const degraded = statuses.filter((status) => status === 'DEGRADED').length;
  if (down) return { level: 'major', text: tn('statusPage.down', down, { total: statuses.length }) };
  if (degraded) return { level: 'minor', text: tn('statusPage.slow', degraded) };
  return { level: 'ok', text: t('statusPage.allUp') };
}

function dayTitle(bar: DayBar): string {
  if (bar.availability === null) return t('statusPage.dayNoData', { day: formatDay(bar.day) });
  return t('statusPage.day', {
    day: formatDay(bar.day),
    availability: formatPercent(bar.availability),
    checks: tn('statusPage.checks', bar.checks),
  });
}

export function monitorRow(
  monitor: PublicMonitor,
  now: number,
): { el: HTMLElement; setStatus(status: MonitorStatus): void } {
  const bars = dailyBars(monitor.days.series, { days: DAYS, now });
  const badDays = bars.filter((bar) => bar.availability !== null && bar.availability < 100).length;
  const pill = statusPill(monitor.status);
  const el = h(
    'li',
    { class: 'service', attrs: { 'data-id': monitor.id, 'data-status': monitor.status } },
    h('div', { class: 'service-head' }, h('span', { class: 'service-name' }, monitor.name), pill),
    h(
      'div',
      {
        class: 'days',
        attrs: {
          role: 'img',
          'aria-label': t('statusPage.daysLabel', {
            days: DAYS,
            bad: badDays,
            availability: formatPercent(monitor.month.availability),
          }),
        },
      },
      ...bars.map((bar) =>
        h('span', { class: 'day', attrs: { 'data-day': bar.day, 'data-level': dayLevel(bar), title: dayTitle(bar) } }),
      ),
    ),
    h(
      'div',
      { class: 'days-legend muted', attrs: { 'aria-hidden': 'true' } },
      h('span', null, tn('statusPage.daysAgo', DAYS)),
      h('span', null, t('statusPage.month', { availability: formatPercent(monitor.month.availability) })),
      h('span', null, t('statusPage.today')),
    ),
  );
  return {
    el,
    setStatus(status) {
      el.dataset['status'] = status;
      updatePill(pill, status);
    },
  };
}

const INCIDENT_STATUS_TEXT: Readonly<Record<IncidentStatus, string>> = labels({
  INVESTIGATING: 'incident.INVESTIGATING',
  IDENTIFIED: 'incident.IDENTIFIED',
  MONITORING: 'incident.MONITORING',
  RESOLVED: 'incident.RESOLVED',
});

/** The page's heading: its logo, title and description (all plain text; the logo an image). */
export function pageHeader(page: PublicStatusPage): HTMLElement {
  return h(
    'div',
    { class: 'status-head' },
    page.logoUrl ? h('img', { class: 'page-logo', attrs: { src: page.logoUrl, alt: '', height: 40 } }) : null,
    h(
      'div',
      null,
      h('h1', { class: 'page-title' }, page.title),
      page.description ? h('p', { class: 'page-description muted' }, page.description) : null,
    ),
  );
}

/** An incident with its messages, newest first, as a visitor reads it. */
export function incidentItem(incident: StatusPageIncident): HTMLElement {
  const messages = [...incident.messages].reverse();
  return h(
    'li',
    { class: 'page-incident', attrs: { 'data-id': incident.id, 'data-status': incident.status } },
    h(
      'div',
      { class: 'incident-head' },
      h('span', { class: 'incident-title' }, incident.title),
      h(
        'span',
        { class: 'incident-status', attrs: { 'data-status': incident.status } },
        INCIDENT_STATUS_TEXT[incident.status],
      ),
    ),
    h(
      'ol',
      { class: 'incident-messages' },
      ...messages.map((message) =>
        h(
          'li',
          { class: 'incident-message' },
          h('strong', null, `${INCIDENT_STATUS_TEXT[message.status]} — `),
          message.message,
          h('span', { class: 'muted incident-time' }, ` · ${formatDateTime(message.createdAt)}`),
        ),
      ),
    ),
  );
}

/** Open incidents first, then those resolved this week. */
export function incidentsBlock(incidents: StatusPageIncident[]): HTMLElement | null {
  if (!incidents.length) return null;
  const open = incidents.filter((incident) => incident.status !== 'RESOLVED');
  const resolved = incidents.filter((incident) => incident.status === 'RESOLVED');
  return h(
    'div',
    { class: 'page-incidents' },
    open.length
      ? h(
          'section',
          { class: 'incidents-open', attrs: { 'aria-label': t('statusPage.currentIncidents') } },
          h('h2', null, t('statusPage.currentIncidents')),
          h('ul', { class: 'incident-list' }, ...open.map(incidentItem)),
        )
      : null,
    resolved.length
      ? h(
          'section',
          { class: 'incidents-resolved', attrs: { 'aria-label': t('statusPage.recentlyResolved') } },
          h('h2', null, t('statusPage.recentlyResolved')),
          h('ul', { class: 'incident-list' }, ...resolved.map(incidentItem)),
        )
      : null,
  );
}
