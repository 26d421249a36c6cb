// The monitor list: counts per status, filters, sorting and one live row per monitor, of which only those in
// view are in the document (virtualised: 10,000 monitors scroll as smoothly as 10).
import { MaintenanceBadgesQuery } from '../api/documents.ts';
import { STATUSES, type MonitorStatus } from '../api/types.ts';
import type { AppContext } from '../context.ts';
import { STATUS_LABEL } from '../format.ts';
import {
  allTags,
  byRank,
  groupRows,
  isGroupItem,
  nameRanks,
  queryFromSearch,
  searchFromQuery,
  SORT_LABEL,
  visibleRows,
  type ListItem,
  type ListQuery,
  type SortKey,
} from '../state/filter.ts';
import { maintenanceBadges, nextBadgeChange } from '../state/maintenance-badges.ts';
import { countByStatus, type MonitorRow } from '../state/monitors.ts';
import { canEdit } from '../state/session.ts';
import { h, replace, setText } from '../ui/dom.ts';
import { inNextFrame } from '../ui/frame.ts';
import type { View } from '../ui/router.ts';
import { checkUrlBox } from './check-url.ts';
import { createGroupView, type GroupView } from './group-row.ts';
import { createRowView, type BadgeOf, type RowView } from './row.ts';
import { t, tn } from '../i18n/index.ts';

let firstPaintMarked = false;

/** Rows rendered above and below the ones in view, so that scrolling does not show blank space first. */
const OVERSCAN = 8;
/** The height of a row until one is measured (the last measure is kept for the next visit). */
let rowHeight = 64;
/** Badges are read again at least this often (a window created elsewhere shows within it). */
const BADGES_AT_MOST_MS = 10 * 60_000;

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
  /** The lines in the document (monitors, and groups as "group:<name>"), by id. */
  let rendered = new Map<string, RowView | GroupView>();
  /** The rows that pass the filters, in order. */
  let visible: MonitorRow[] = [];
  /** The lines of the list as if it were all there: groups collapsed into one line unless opened. */
  let items: ListItem[] = [];
  /** The groups opened (closed by default). */
  const expanded = new Set<string>();
  /**
   * Maintenance badges ("Maintenance until 14:30", "Next maintenance: …"): worked out in the page from the
   * maintenance windows, read in one query once the list is painted, and again when a window opens or closes.
   * Monitor.maintenance in the list query would cost a field per monitor (10,000 of them) on every load.
   */
  let badgeOf: BadgeOf = () => null;
  let badgesRequested = false;
  let badgeTimer: ReturnType<typeof setTimeout> | undefined;
  let destroyed = false;
  const loadBadges = (): void => {
    badgesRequested = true;
    clearTimeout(badgeTimer);
    ctx.api
      .query(MaintenanceBadgesQuery, {})
      .then(({ maintenanceWindows }) => {
        if (destroyed) return;
        badgeOf = maintenanceBadges(maintenanceWindows);
        for (const [id, view] of rendered) {
          const row = ctx.store.get(id);
          if (row && !view.tr.classList.contains('group')) (view as RowView).update(row);
        }
        const now = Date.now();
        const change = nextBadgeChange(maintenanceWindows, now);
        const wait = change === null ? BADGES_AT_MOST_MS : Math.min(change - now + 1000, BADGES_AT_MOST_MS);
        badgeTimer = setTimeout(loadBadges, wait);
      })
      // The badges are extra: without them (e.g. offline for a moment) the list is whole; read again later.
      .catch(() => {
        if (!destroyed) badgeTimer = setTimeout(loadBadges, BADGES_AT_MOST_MS);
      });
  };
  const toggleGroup = (group: string): void => {
    if (expanded.has(group)) expanded.delete(group);
    else expanded.add(group);
    items = groupRows(visible, expanded);
    table.setAttribute('aria-rowcount', String(items.length + 1));
    renderWindow();
  };
  let windowKey = '';
  let measured = false;
  const tbody = h('tbody');
  const spacer = (): HTMLTableRowElement =>
    h('tr', { class: 'spacer', attrs: { 'aria-hidden': 'true' } }, h('td', { attrs: { colspan: 5 } }));
  const topSpacer = spacer();
  const bottomSpacer = spacer();
  const summary = h('div', { class: 'summary', attrs: { role: 'group', 'aria-label': t('list.byStatus') } });
  const empty = h('p', { class: 'empty', attrs: { hidden: true } });
  const count = h('p', { class: 'muted count', attrs: { 'aria-live': 'polite' } });
  const textInput = h('input', {
    attrs: { type: 'search', name: 'q', placeholder: t('list.searchPlaceholder'), value: query.text },
  });
  const statusSelect = select(
    t('list.status'),
    'status',
    [['', t('list.all')], ...STATUSES.map((s): [string, string] => [s, STATUS_LABEL[s]])],
    query.status,
  );
  const tagHolder = h('span', { class: 'tag-holder' });
  const sortSelect = select(t('list.sort'), 'sort', Object.entries(SORT_LABEL) as Array<[string, string]>, query.sort);

  const filters = h(
    'form',
    {
      class: 'filters',
      attrs: { role: 'search', 'aria-label': t('list.filter') },
      on: { submit: (event) => event.preventDefault() },
    },
    h('label', { class: 'control grow' }, h('span', null, t('list.search')), textInput),
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
    redraw('all');
  });

  const renderTags = (tags: string[]): void => {
    const current = tagHolder.querySelector('select');
    const key = tags.join('\u0000');
    if (current && current.dataset['tags'] === key) return;
    const control = select(
      t('list.tag'),
      'tag',
      [['', t('list.all')], ...tags.map((tag): [string, string] => [tag, tag])],
      query.tag,
    );
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
                redraw('all');
              },
            },
          },
          h('span', { class: 'dot' }),
          t('list.chip', { count: counts[status], status: STATUS_LABEL[status] }),
        ),
      ),
    );
    if (focused && summary.contains(document.activeElement) === false) {
      summary.querySelector<HTMLElement>(`[data-status="${focused}"]`)?.focus();
    }
  };

  // Names in order, computed again only when the set of monitors or a name changes: a live tick sorts by numbers.
  let ranks = new Map<string, number>();
  let rankedNames = new Map<string, string>();
  const rankNames = (all: MonitorRow[]): void => {
    ranks = nameRanks(all);
    rankedNames = new Map(all.map((row) => [row.id, row.name]));
  };

  /** What the filters and the order read of a row: when a tick leaves it alone, nothing moves. */
  const orderKey = (row: MonitorRow): string =>
    `${row.status}|${query.sort === 'latency' ? row.latencyMs : ''}|${query.sort === 'availability' ? row.availability : ''}|` +
    `${row.name}|${row.tags.join('\u0000')}|${query.text ? row.target : ''}|${row.group ?? ''}`;
  let orderKeys = new Map<string, string>();
  let emptyKey = '';

  /** `changed`: the rows that changed, or 'all' (the set of monitors, or the filters). */
  const redraw = (changed: ReadonlySet<string> | 'all'): void => {
    for (const id of changed === 'all' ? [...rendered.keys()] : changed) {
      const row = ctx.store.get(id);
      const view = rendered.get(id);
      if (row && view && !view.tr.classList.contains('group')) (view as RowView).update(row);
    }
    // Most ticks change latencies and bars only: then the order, the counts and the tags stay as they are.
    const moved =
      changed === 'all' ||
      [...changed].some((id) => {
        const row = ctx.store.get(id);
        return (row ? orderKey(row) : undefined) !== orderKeys.get(id);
      });
    if (!moved) return;
    const all = ctx.store.all();
    if (changed === 'all') orderKeys = new Map(all.map((row) => [row.id, orderKey(row)]));
    else {
      for (const id of changed) {
        const row = ctx.store.get(id);
        if (row) orderKeys.set(id, orderKey(row));
        else orderKeys.delete(id);
      }
    }
    if (changed === 'all' || all.length !== rankedNames.size) rankNames(all);
    else {
      for (const id of changed) {
        if (ctx.store.get(id)?.name !== rankedNames.get(id)) {
          rankNames(all);
          break;
        }
      }
    }
    visible = visibleRows(all, query, byRank(ranks));
    items = groupRows(visible, expanded);
    table.setAttribute('aria-rowcount', String(items.length + 1));
    renderWindow();
    renderSummary();
    renderTags(allTags(all));
    setText(count, ctx.store.loaded ? tn('list.count', all.length, { shown: visible.length }) : t('common.loading'));
    empty.hidden = !ctx.store.loaded || visible.length > 0;
    const nextEmpty = all.length ? 'filtered' : 'none';
    if (nextEmpty !== emptyKey) {
      emptyKey = nextEmpty;
      replace(
        empty,
        ...(all.length
          ? [t('list.noMatch')]
          : editor
            ? [`${t('list.noneYet')} `, h('a', { attrs: { href: '/monitors/new' } }, t('list.createFirst'))]
            : [t('list.noneYet')]),
      );
    }
    if (!badgesRequested && ctx.store.loaded) setTimeout(() => !destroyed && !badgesRequested && loadBadges(), 0);
    if (!firstPaintMarked && ctx.store.loaded) {
      firstPaintMarked = true;
      requestAnimationFrame(() => performance.mark('vigie:list-painted'));
    }
  };

  /**
   * Only the rows in view (± OVERSCAN) are in the document, between two spacers as tall as the rows left out:
   * the page scrolls as if every row were there. Runs after a change of the rows, a scroll or a resize.
   */
  const renderWindow = (): void => {
    if (!measured) measureRow();
    const top = tbody.getBoundingClientRect().top;
    const viewport = window.innerHeight || document.documentElement.clientHeight;
    let start = Math.max(0, Math.floor(-top / rowHeight) - OVERSCAN);
    let end = Math.min(items.length, Math.ceil((viewport - top) / rowHeight) + OVERSCAN);
    if (start >= end) {
      // Scrolled past the list (or above it): keep the closest rows, so that the spacers add up to its height.
      start = Math.max(0, Math.min(start, items.length - OVERSCAN));
      end = Math.min(items.length, Math.max(end, start + OVERSCAN));
      start = Math.min(start, end);
    }
    const slice = items.slice(start, end);
    // A group's line changes with its members' states and its being open: part of the key.
    const lineKey = (item: ListItem): string =>
      isGroupItem(item)
        ? `${item.id}:${item.status}:${item.members.length}:${item.members.filter((row) => row.status === 'DOWN').length}:${expanded.has(item.group)}`
        : item.id;
    const key = `${start}:${items.length}:${rowHeight}:${slice.map(lineKey).join()}`;
    if (key === windowKey) return;
    windowKey = key;
    const focused = document.activeElement instanceof HTMLElement && tbody.contains(document.activeElement);
    const active = focused ? (document.activeElement as HTMLElement) : null;
    const next = new Map<string, RowView | GroupView>();
    const fragment = document.createDocumentFragment();
    if (start > 0) {
      topSpacer.style.height = `${start * rowHeight}px`;
      fragment.appendChild(topSpacer);
    }
    slice.forEach((item, index) => {
      let view = rendered.get(item.id);
      if (view) rendered.delete(item.id);
      if (isGroupItem(item)) {
        const open = expanded.has(item.group);
        if (view) (view as GroupView).update(item, open);
        else view = createGroupView(item, open, toggleGroup);
      } else {
        view ??= createRowView(item, (monitor) => badgeOf(monitor));
        view.tr.classList.toggle('in-group', item.group !== null && expanded.has(item.group));
      }
      view.tr.setAttribute('aria-rowindex', String(start + index + 2));
      next.set(item.id, view);
      fragment.appendChild(view.tr);
    });
    if (end < items.length) {
      bottomSpacer.style.height = `${(items.length - end) * rowHeight}px`;
      fragment.appendChild(bottomSpacer);
    }
    rendered = next;
    tbody.replaceChildren(fragment);
    // Moving the focused row took the focus away: give it back, where it is now.
    if (active?.isConnected && document.activeElement !== active) active.focus({ preventScroll: true });
    if (!measured) {
      // The first rows in the document tell the real height: the window is worked out again with it (once).
      measureRow();
      if (measured && windowKey === '') renderWindow();
    }
  };

  /** The rows' height, from one in the document (it changes with the layout: phone width, font size). */
  const measureRow = (): void => {
    const views = [...rendered.values()];
    const first = views[0];
    const last = views.at(-1);
    if (!first || !last || !first.tr.isConnected) return;
    // From the first row's top to the last one's: borders shared between rows are counted once.
    const height =
      views.length > 1
        ? (last.tr.getBoundingClientRect().top - first.tr.getBoundingClientRect().top) / (views.length - 1)
        : first.tr.getBoundingClientRect().height;
    if (height <= 0) return;
    measured = true;
    if (Math.abs(height - rowHeight) > 0.25) {
      rowHeight = height;
      windowKey = '';
    }
  };

  /** Moves the keyboard focus to the row at `index` of the list, rendering it first when it is out of view. */
  const focusRow = (index: number): void => {
    const row = items[index];
    if (!row) return;
    if (!rendered.has(row.id)) {
      const rowTop = tbody.getBoundingClientRect().top + index * rowHeight;
      window.scrollBy(0, rowTop - window.innerHeight / 2);
      renderWindow();
    }
    rendered.get(row.id)?.link.focus();
  };

  // The keyboard walks the whole list, not only the rows in the document: Tab and the arrows go from row to row.
  tbody.addEventListener('keydown', (event) => {
    const link = (event.target as HTMLElement).closest('a.name, button.group-toggle');
    const id = link?.closest('tr')?.dataset['id'];
    if (!id || event.altKey || event.ctrlKey || event.metaKey) return;
    const index = items.findIndex((row) => row.id === id);
    if (index < 0) return;
    const page = Math.max(1, Math.floor(window.innerHeight / rowHeight) - 1);
    const target =
      event.key === 'ArrowDown' || (event.key === 'Tab' && !event.shiftKey)
        ? index + 1
        : event.key === 'ArrowUp' || (event.key === 'Tab' && event.shiftKey)
          ? index - 1
          : event.key === 'PageDown'
            ? Math.min(items.length - 1, index + page)
            : event.key === 'PageUp'
              ? Math.max(0, index - page)
              : event.key === 'Home'
                ? 0
                : event.key === 'End'
                  ? items.length - 1
                  : null;
    // Tab past either end leaves the list as usual.
    if (target === null || target < 0 || target >= items.length || target === index) return;
    event.preventDefault();
    focusRow(target);
  });

  // Live ticks come in one frame (live.ts): the redraw joins that frame; bursts of other changes are merged.
  let pending: Set<string> | 'all' | null = null;
  const flush = (): void => {
    const changed = pending;
    pending = null;
    if (changed) redraw(changed);
  };
  const unsubscribe = ctx.store.subscribe((changed) => {
    inNextFrame(flush, flush);
    if (changed === 'all' || pending === 'all') pending = 'all';
    else {
      const set: Set<string> = pending ?? new Set();
      changed.forEach((id) => set.add(id));
      pending = set;
    }
  });
  const onScroll = (): void => inNextFrame(renderWindow, renderWindow);
  const onResize = (): void => {
    measured = false;
    windowKey = '';
    onScroll();
  };
  window.addEventListener('scroll', onScroll, { passive: true });
  window.addEventListener('resize', onResize);

  const table = h(
    'table',
    { class: 'monitors' },
    h('caption', { class: 'visually-hidden' }, t('nav.monitors')),
    h(
      'thead',
      null,
      h(
        'tr',
        { attrs: { 'aria-rowindex': 1 } },
        ...[t('list.status'), t('list.monitor'), t('list.latency'), t('list.24h'), t('list.last50')].map((title) =>
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
      h('h1', null, t('nav.monitors')),
      editor && h('a', { class: 'button primary', attrs: { href: '/monitors/new' } }, t('list.newMonitor')),
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
  // Built before it is in the page: the window is measured again once it is.
  inNextFrame(renderWindow, () => {
    measured = false;
    windowKey = '';
    renderWindow();
  });
  return {
    el,
    refresh: loadBadges,
    destroy() {
      destroyed = true;
      clearTimeout(badgeTimer);
      unsubscribe();
      window.removeEventListener('scroll', onScroll);
      window.removeEventListener('resize', onResize);
    },
  };
}
