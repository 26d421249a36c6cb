// A group's line in the monitor list: its name, how many monitors and the worst state among them; a button opens
// or closes it. As tall as a monitor's row (the list is virtualised on one row height).
import type { GroupItem } from '../state/filter.ts';
import { STATUS_LABEL } from '../format.ts';
import { h, setText } from '../ui/dom.ts';
import { statusPill, updatePill } from '../ui/status.ts';
import { t, tn } from '../i18n/index.ts';

export interface GroupView {
  tr: HTMLTableRowElement;
  /** The open/close button, which keyboard navigation focuses. */
  link: HTMLButtonElement;
  update(item: GroupItem, expanded: boolean): void;
}

export function createGroupView(item: GroupItem, expanded: boolean, toggle: (group: string) => void): GroupView {
  const pill = statusPill(item.status);
  const name = h('span', { class: 'group-name' });
  const sub = h('span', { class: 'sub' });
  const button = h(
    'button',
    { class: 'group-toggle', attrs: { type: 'button' }, on: { click: () => toggle(current.group) } },
    h('span', { class: 'chevron', attrs: { 'aria-hidden': 'true' } }),
    name,
  );
  const tr = h(
    'tr',
    { class: 'group', attrs: { 'data-id': item.id } },
    h('td', { class: 'status' }, pill),
    h('td', { class: 'monitor' }, button, sub),
    h('td', { class: 'num latency' }),
    h('td', { class: 'num availability' }),
    h('td', { class: 'checks' }),
  );
  let current = item;
  const update = (next: GroupItem, open: boolean): void => {
    current = next;
    tr.dataset['status'] = next.status;
    tr.dataset['group'] = next.group;
    updatePill(pill, next.status);
    setText(name, next.group);
    button.setAttribute('aria-expanded', String(open));
    const down = next.members.filter((row) => row.status === 'DOWN').length;
    const count = tn('group.monitors', next.members.length);
    setText(sub, down > 0 ? `${count} · ${down} ${STATUS_LABEL.DOWN.toLowerCase()}` : count);
    button.title = t(open ? 'group.close' : 'group.open', { group: next.group });
  };
  update(item, expanded);
  return { tr, link: button, update };
}
