// The monitor list: counts per status, filters, sorting and one live row per monitor.
import { STATUSES, type MonitorStatus } from '../api/types.ts';
import type { AppContext } from '../context.ts';
import { STATUS_LABEL } from '../format.ts';
import {
  allTags,
  queryFromSearch,
  searchFromQuery,
  SORT_LABEL,
  visibleRows,
  type ListQuery,
  type SortKey,
} from '../state/filter.ts';
import { countByStatus } from '../state/monitors.ts';
import { canEdit } from '../state/session.ts';
import { h, replace } from '../ui/dom.ts';
import type { View } from '../ui/router.ts';
import { checkUrlBox } from './check-url.ts';
import { createRowView, type RowView } from './row.ts';

let firstPaintMarked = false;

function select(label: string, name: string, options: Array<[string, string]>, value: string): HTMLLabelElement {
  const control = h(
    'select',
    { attrs: { name } },
    ...options.map(([key, text]) => h('option', { attrs: { value: key } }, text)),
  );
  control.value = value;
  return h('label', { class: 'control' }, h('span', null, label), control);
}

export function listView(ctx: AppContext, search: URLSearchParams): View {
  const editor = canEdit(ctx.session);
  const query: ListQuery = queryFromSearch(search.toString());
  const rows = new Map<string, RowView>();
  const tbody = h('tbody');
  const summary = h('div', { class: 'summary', attrs: { role: 'group', 'aria-label': 'Monitors by status' } });
  const empty = h('p', { class: 'empty', attrs: { hidden: true } });
  const count = h('p', { class: 'muted count', attrs: { 'aria-live': 'polite' } });
  const textInput = h('input', {
    attrs: { type: 'search', name: 'q', placeholder: 'Name, target or tag', value: query.text },
  });
  const statusSelect = select(
    'Status',
    'status',
    [['', 'All'], ...STATUSES.map((s): [string, string] => [s, STATUS_LABEL[s]])],
    query.status,
  );
  const tagHolder = h('span', { class: 'tag-holder' });
  const sortSelect = select('Sort', 'sort', Object.entries(SORT_LABEL) as Array<[string, string]>, query.sort);
  let order: string[] = [];

  const filters = h(
    'form',
    {
      class: 'filters',
      attrs: { role: 'search', 'aria-label': 'Filter monitors' },
      on: { submit: (event) => event.preventDefault() },
    },
    h('label', { class: 'control grow' }, h('span', null, 'Search'), textInput),
    statusSelect,
    tagHolder,
    sortSelect,
  );
  filters.addEventListener('input', (event) => {
    const target = event.target as HTMLInputElement | HTMLSelectElement;
    if (target.name === 'q') query.text = target.value;
    else if (target.name === 'status') query.status = target.value as MonitorStatus | '';
    else if (target.name === 'tag') query.tag = target.value;
    else if (target.name === 'sort') query.sort = target.value as SortKey;
    history.replaceState(null, '', location.pathname + searchFromQuery(query));
    redraw(new Set());
  });

  const renderTags = (tags: string[]): void => {
    const current = tagHolder.querySelector('select');
    const key = tags.join('\u0000');
    if (current && current.dataset['tags'] === key) return;
    const control = select('Tag', 'tag', [['', 'All'], ...tags.map((tag): [string, string] => [tag, tag])], query.tag);
    control.querySelector('select')!.dataset['tags'] = key;
    replace(tagHolder, control);
  };

  let summaryKey = '';
  const renderSummary = (): void => {
    const counts = countByStatus(ctx.store.all());
    // Rebuilt only when a count changes, so keyboard focus on a chip survives live updates.
    const key = `${STATUSES.map((status) => counts[status]).join()}|${query.status}`;
    if (key === summaryKey) return;
    summaryKey = key;
    const focused = (document.activeElement as HTMLElement | null)?.dataset?.['status'];
    replace(
      summary,
      ...STATUSES.filter((status) => counts[status] > 0).map((status) =>
        h(
          'button',
          {
            class: 'chip',
            attrs: { type: 'button', 'data-status': status, 'aria-pressed': String(query.status === status) },
            on: {
              click: () => {
                query.status = query.status === status ? '' : status;
                (statusSelect.querySelector('select') as HTMLSelectElement).value = query.status;
                history.replaceState(null, '', location.pathname + searchFromQuery(query));
                redraw(new Set());
              },
            },
          },
          h('span', { class: 'dot' }),
          `${counts[status]} ${STATUS_LABEL[status]}`,
        ),
      ),
    );
    if (focused && summary.contains(document.activeElement) === false) {
      summary.querySelector<HTMLElement>(`[data-status="${focused}"]`)?.focus();
    }
  };

  const redraw = (changed: ReadonlySet<string> | 'all'): void => {
    const all = ctx.store.all();
    for (const id of changed === 'all' ? [...rows.keys()] : changed) {
      const row = ctx.store.get(id);
      if (row) rows.get(id)?.update(row);
      else rows.delete(id);
    }
    const visible = visibleRows(all, query);
    const ids = visible.map((row) => row.id);
    if (ids.length !== order.length || ids.some((id, index) => id !== order[index])) {
      const fragment = document.createDocumentFragment();
      for (const row of visible) {
        let view = rows.get(row.id);
        if (!view) rows.set(row.id, (view = createRowView(row)));
        fragment.appendChild(view.tr);
      }
      tbody.replaceChildren(fragment);
      order = ids;
    }
    renderSummary();
    renderTags(allTags(all));
    count.textContent = ctx.store.loaded ? `${visible.length} of ${all.length} monitors` : 'Loading…';
    empty.hidden = !ctx.store.loaded || visible.length > 0;
    replace(
      empty,
      ...(all.length
        ? ['No monitor matches these filters.']
        : editor
          ? ['No monitors yet. ', h('a', { attrs: { href: '/monitors/new' } }, 'Create the first one'), '.']
          : ['No monitors yet.']),
    );
    if (!firstPaintMarked && ctx.store.loaded) {
      firstPaintMarked = true;
      requestAnimationFrame(() => performance.mark('vigie:list-painted'));
    }
  };

  // Live events arrive in bursts: coalesce them into one redraw per frame.
  let pending: Set<string> | 'all' | null = null;
  const flush = (): void => {
    const changed = pending;
    pending = null;
    if (changed) redraw(changed);
  };
  const unsubscribe = ctx.store.subscribe((changed) => {
    if (pending === null) requestAnimationFrame(flush);
    if (changed === 'all' || pending === 'all') pending = 'all';
    else {
      const set: Set<string> = pending ?? new Set();
      changed.forEach((id) => set.add(id));
      pending = set;
    }
  });

  const table = h(
    'table',
    { class: 'monitors' },
    h('caption', { class: 'visually-hidden' }, 'Monitors'),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        ...['Status', 'Monitor', 'Latency', '24 h', 'Last 50 checks'].map((title) =>
          h('th', { attrs: { scope: 'col' } }, title),
        ),
      ),
    ),
    tbody,
  );
  const el = h(
    'section',
    { class: 'list-view' },
    h(
      'div',
      { class: 'page-head' },
      h('h1', null, 'Monitors'),
      editor && h('a', { class: 'button primary', attrs: { href: '/monitors/new' } }, 'New monitor'),
    ),
    // Checking a URL makes the server send a request: editors and admins only.
    editor && checkUrlBox(ctx.api),
    summary,
    filters,
    count,
    h('div', { class: 'table-wrap' }, table),
    empty,
  );
  redraw('all');
  return { el, destroy: unsubscribe };
}
