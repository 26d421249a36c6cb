// The public status page's markup: an overall banner and, per monitor, its state and 90 daily bars.
import type { MonitorStatus, PublicMonitor } from '../api/types.ts';
import { formatPercent } from '../format.ts';
import { dailyBars, dayLevel, type DayBar } from '../state/daily.ts';
import { h } from '../ui/dom.ts';
import { statusPill, updatePill } from '../ui/status.ts';
import { DAYS } from './data.ts';

export function overall(statuses: MonitorStatus[]): { level: 'ok' | 'minor' | 'major' | 'none'; text: string } {
  if (!statuses.length) return { level: 'none', text: 'No services are monitored yet.' };
  const down = statuses.filter((status) => status === 'DOWN').length;
  const degraded = statuses.filter((status) => status === 'DEGRADED').length;
  if (down) return { level: 'major', text: `${down} of ${statuses.length} services ${down === 1 ? 'is' : 'are'} down` };
  if (degraded) return { level: 'minor', text: `${degraded} service${degraded === 1 ? ' is' : 's are'} slow` };
  return { level: 'ok', text: 'All services are operational' };
}

function dayTitle(bar: DayBar): string {
  if (bar.availability === null) return `${bar.day}: no data`;
  return `${bar.day}: ${formatPercent(bar.availability)} up (${bar.checks} check${bar.checks === 1 ? '' : 's'})`;
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
          'aria-label': `Last ${DAYS} days: ${badDays} with failed checks; 30-day availability ${formatPercent(monitor.month.availability)}`,
        },
      },
      ...bars.map((bar) =>
        h('span', { class: 'day', attrs: { 'data-day': bar.day, 'data-level': dayLevel(bar), title: dayTitle(bar) } }),
      ),
    ),
    h(
      'div',
      { class: 'days-legend muted', attrs: { 'aria-hidden': 'true' } },
      h('span', null, `${DAYS} days ago`),
      h('span', null, `${formatPercent(monitor.month.availability)} over 30 days`),
      h('span', null, 'Today'),
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
