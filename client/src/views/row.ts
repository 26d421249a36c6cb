// One row of the monitor list; update() touches only the cells whose value changed. Every row has the same
// height (the list is virtualised): one line for the name, one for the target and the tags.
import { formatClock, formatDateTime, formatLatency, formatPercent } from '../format.ts';
import { badgeKey, type BadgeMonitor, type MaintenanceBadge } from '../state/maintenance-badges.ts';
import { BAR_LENGTH, type MonitorRow } from '../state/monitors.ts';
import { h, setText } from '../ui/dom.ts';
import { paintBar, statusPill, updatePill } from '../ui/status.ts';
import { t } from '../i18n/index.ts';

export interface RowView {
  tr: HTMLTableRowElement;
  /** The row's link, which keyboard navigation focuses. */
  link: HTMLAnchorElement;
  update(row: MonitorRow): void;
}

/** Its maintenance badge (read again on each update), or none. */
export type BadgeOf = (monitor: BadgeMonitor) => MaintenanceBadge | null;

/** "Maintenance until 14:30" (the window open now) or "Next maintenance: 2026-12-01 02:00:00", with its name. */
function paintBadge(badge: HTMLElement, value: MaintenanceBadge | null): void {
  badge.hidden = !value;
  if (!value) return badge.replaceChildren();
  badge.dataset['kind'] = value.kind;
  badge.textContent =
    value.kind === 'active'
      ? t('row.maintenanceUntil', { until: formatClock(value.until) })
      : t('row.maintenanceNext', { at: formatDateTime(value.startsAt) });
  badge.title = value.name;
}

/** What a row says under the name: the target, with the kind where the target alone does not tell it. */
function targetText(row: MonitorRow): string {
  if (row.kind === 'PUSH') return t('row.heartbeat');
  if (row.kind === 'DNS') return `DNS ${row.target}`;
  return row.target;
}

export function createRowView(row: MonitorRow, badgeOf: BadgeOf = () => null): RowView {
  const pill = statusPill(row.status);
  const name = h('a', { class: 'name', attrs: { href: `/monitors/${encodeURIComponent(row.id)}` } });
  const target = h('span', { class: 'target' });
  const tags = h('span', { class: 'tags' });
  const badge = h('span', { class: 'maintenance-badge', attrs: { hidden: true } });
  const latency = h('td', { class: 'num latency', attrs: { 'data-label': t('list.latency') } });
  const availability = h('td', { class: 'num availability', attrs: { 'data-label': t('list.24h') } });
  const bar = h('span', { class: 'bar', attrs: { role: 'img' } });
  const tr = h(
    'tr',
    { attrs: { 'data-id': row.id } },
    h('td', { class: 'status' }, pill),
    h('td', { class: 'monitor' }, name, h('span', { class: 'sub' }, badge, target, tags)),
    latency,
    availability,
    h('td', { class: 'checks', attrs: { 'data-label': t('list.last50') } }, bar),
  );
  let tagKey = '';
  let maintenanceKey = '';
  const update = (next: MonitorRow): void => {
    tr.dataset['status'] = next.status;
    updatePill(pill, next.status);
    setText(name, next.name);
    setText(target, targetText(next));
    const key = next.tags.join('\u0000');
    if (key !== tagKey) {
      tagKey = key;
      tags.replaceChildren(...next.tags.map((tag) => h('span', { class: 'tag' }, tag)));
    }
    setText(latency, formatLatency(next.latencyMs));
    latency.title = next.checkedAt ? t('row.checkedAt', { at: formatDateTime(next.checkedAt) }) : t('row.notChecked');
    setText(availability, formatPercent(next.availability));
    paintBar(bar, next.bar, BAR_LENGTH);
    const maintenance = badgeOf(next);
    const nextKey = badgeKey(maintenance);
    if (nextKey !== maintenanceKey) {
      maintenanceKey = nextKey;
      paintBadge(badge, maintenance);
    }
  };
  update(row);
  return { tr, link: name, update };
}
