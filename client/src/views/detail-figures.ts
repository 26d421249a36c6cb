// Figures of the monitor page: its certificate, the shown range's availability and latency percentiles, and the
// same split by location.
import type { RangeFigures } from '../api/detail-documents.ts';
import type { MonitorDetail } from '../api/types.ts';
import { formatDateTime, formatLatency, formatPercent } from '../format.ts';
import { labels, t, tn } from '../i18n/index.ts';
import { h } from '../ui/dom.ts';

const TEXT = labels({
  certificate: 'detail.certificate',
  expires: 'detail.expires',
  notRead: 'detail.certificateNotRead',
  availability: 'detail.availability',
  checks: 'detail.checks',
  average: 'chart.mean',
  byLocation: 'detail.byLocation',
  location: 'detail.location',
});

const daysLeftText = (days: number): string =>
  days < 0 ? t('detail.certificateExpiredAgo', { days: -days }) : tn('detail.certificateDaysLeft', days);
const thresholdText = (days: number): string =>
  days > 0 ? tn('detail.certificateAlertBelow', days) : t('detail.noCertificateAlert');

const DAY_MS = 86_400_000;

/** HTTPS monitors only: when the certificate the latest check saw expires, and how many days are left. */
export function certificateCard(
  monitor: Pick<MonitorDetail, 'kind' | 'target' | 'lastResult' | 'certificateAlertDays'>,
  now = Date.now(),
): HTMLElement | null {
  if (monitor.kind !== 'HTTP' || !/^https:/i.test(monitor.target)) return null;
  const reading = monitor.lastResult;
  const expiresAt = reading?.certificateExpiresAt ?? null;
  const daysLeft =
    expiresAt !== null ? Math.floor((Date.parse(expiresAt) - now) / DAY_MS) : (reading?.certificateDaysLeft ?? null);
  const head = h('h2', null, TEXT.certificate);
  if (daysLeft === null || !reading) {
    return h('section', { class: 'card certificate' }, head, h('p', { class: 'muted' }, TEXT.notRead));
  }
  const warn = daysLeft < Math.max(monitor.certificateAlertDays, 0) || daysLeft < 0;
  return h(
    'section',
    { class: 'card certificate', attrs: { 'data-warn': String(warn) } },
    head,
    h(
      'p',
      { class: 'certificate-expiry' },
      expiresAt !== null &&
        h(
          'span',
          null,
          `${TEXT.expires} `,
          h('time', { class: 'certificate-date', attrs: { datetime: expiresAt } }, formatDateTime(expiresAt)),
          ' · ',
        ),
      h('strong', { class: 'certificate-days' }, daysLeftText(daysLeft)),
    ),
    h(
      'p',
      { class: 'muted' },
      `${thresholdText(monitor.certificateAlertDays)} ${t('detail.certificateReadAt', { at: formatDateTime(reading.checkedAt) })}`,
    ),
  );
}

/** Availability, checks and latency (mean, p50, p95, p99) of the shown range. */
export function rangeFigures(figures: RangeFigures): HTMLElement {
  const item = (key: string, label: string, value: string) =>
    h(
      'div',
      { class: 'figure', attrs: { 'data-figure': key } },
      h('span', { class: 'stat-label' }, label),
      h('span', { class: 'figure-value' }, value),
    );
  return h(
    'div',
    { class: 'range-figures' },
    item('availability', TEXT.availability, formatPercent(figures.availability)),
    item('checks', TEXT.checks, String(figures.checks)),
    item('avg', TEXT.average, formatLatency(figures.latency.avg)),
    item('p50', 'p50', formatLatency(figures.latency.p50)),
    item('p95', 'p95', formatLatency(figures.latency.p95)),
    item('p99', 'p99', formatLatency(figures.latency.p99)),
  );
}

/** The shown range's figures of each location. */
export function locationTable(rows: ReadonlyArray<{ location: string; figures: RangeFigures }>): HTMLElement {
  const columns = [TEXT.location, TEXT.availability, TEXT.checks, 'p50', 'p95', 'p99'];
  return h(
    'div',
    { class: 'table-wrap by-location' },
    h('h3', null, TEXT.byLocation),
    h(
      'table',
      { class: 'locations' },
      h('thead', null, h('tr', null, ...columns.map((title) => h('th', { attrs: { scope: 'col' } }, title)))),
      h(
        'tbody',
        null,
        ...rows.map(({ location, figures }) =>
          h(
            'tr',
            { attrs: { 'data-location': location } },
            h('th', { attrs: { scope: 'row' } }, location),
            h('td', { class: 'num' }, formatPercent(figures.availability)),
            h('td', { class: 'num' }, String(figures.checks)),
            h('td', { class: 'num' }, formatLatency(figures.latency.p50)),
            h('td', { class: 'num' }, formatLatency(figures.latency.p95)),
            h('td', { class: 'num' }, formatLatency(figures.latency.p99)),
          ),
        ),
      ),
    ),
  );
}
