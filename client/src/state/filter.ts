// Filtering and sorting of the monitor list, and their round trip through the URL's query string.
import { STATUSES, type MonitorStatus } from '../api/types.ts';
import type { MonitorRow } from './monitors.ts';
import { labels } from '../i18n/index.ts';

export type SortKey = 'status' | 'name' | 'latency' | 'availability';
export const SORT_LABEL: Readonly<Record<SortKey, string>> = labels({
  status: 'sort.status',
  name: 'sort.name',
  latency: 'sort.latency',
  availability: 'sort.availability',
});

export interface ListQuery {
  text: string;
  status: MonitorStatus | '';
  tag: string;
  sort: SortKey;
}

export const EMPTY_QUERY: ListQuery = { text: '', status: '', tag: '', sort: 'status' };

/** Worst first: what needs attention sorts to the top. */
export const STATUS_RANK: Record<MonitorStatus, number> = {
  DOWN: 0,
  DEGRADED: 1,
  PENDING: 2,
  MAINTENANCE: 3,
  UP: 4,
  PAUSED: 5,
};

export function matches(row: MonitorRow, query: ListQuery): boolean {
  if (query.status && row.status !== query.status) return false;
  if (query.tag && !row.tags.includes(query.tag)) return false;
  const text = query.text.trim().toLowerCase();
  if (!text) return true;
  return text
    .split(/\s+/)
    .every(
      (word) =>
        row.name.toLowerCase().includes(word) ||
        row.target.toLowerCase().includes(word) ||
        row.tags.some((tag) => tag.toLowerCase().includes(word)),
    );
}

/** One collator for every comparison: localeCompare with options builds one per call (slow for 10,000 rows). */
const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

export type RowComparator = (a: MonitorRow, b: MonitorRow) => number;

const byName: RowComparator = (a, b) => collator.compare(a.name, b.name) || Number(a.id) - Number(b.id);

/**
 * The rows' places in name order, computed once: sorting by it compares two numbers instead of two names (the
 * list sorts again on every live tick; names change far less often).
 */
export function nameRanks(rows: Iterable<MonitorRow>): Map<string, number> {
  return new Map([...rows].sort(byName).map((row, index) => [row.id, index]));
}

/** Name order from ranks; a row without a rank (added since) compares by name. */
export function byRank(ranks: ReadonlyMap<string, number>): RowComparator {
  return (a, b) => {
    const left = ranks.get(a.id);
    const right = ranks.get(b.id);
    return left === undefined || right === undefined ? byName(a, b) : left - right;
  };
}

/** Nulls (no data) sort last whatever the key. */
function nullsLast(a: number | null, b: number | null, descending: boolean): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return descending ? b - a : a - b;
}

export function compareRows(sort: SortKey, names: RowComparator = byName): RowComparator {
  const byName = names;
  switch (sort) {
    case 'name':
      return byName;
    case 'latency':
      return (a, b) => nullsLast(a.latencyMs, b.latencyMs, true) || byName(a, b);
    case 'availability':
      return (a, b) => nullsLast(a.availability, b.availability, false) || byName(a, b);
    default:
      return (a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || byName(a, b);
  }
}

export function visibleRows(rows: Iterable<MonitorRow>, query: ListQuery, names?: RowComparator): MonitorRow[] {
  return [...rows].filter((row) => matches(row, query)).sort(compareRows(query.sort, names));
}

export function allTags(rows: Iterable<MonitorRow>): string[] {
  const tags = new Set<string>();
  for (const row of rows) for (const tag of row.tags) tags.add(tag);
  return [...tags].sort((a, b) => a.localeCompare(b));
}

export function queryFromSearch(search: string): ListQuery {
  const params = new URLSearchParams(search);
  const status = params.get('status') ?? '';
  const sort = params.get('sort') ?? '';
  return {
    text: params.get('q') ?? '',
    status: (STATUSES as readonly string[]).includes(status) ? (status as MonitorStatus) : '',
    tag: params.get('tag') ?? '',
    sort: Object.hasOwn(SORT_LABEL, sort) ? (sort as SortKey) : 'status',
  };
}

export function searchFromQuery(query: ListQuery): string {
  const params = new URLSearchParams();
  if (query.text) params.set('q', query.text);
  if (query.status) params.set('status', query.status);
  if (query.tag) params.set('tag', query.tag);
  if (query.sort !== 'status') params.set('sort', query.sort);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A group of monitors as one line of the list: collapsed unless opened, showing the worst state of its monitors. */
export interface GroupItem {
  /** "group:<name>": never a monitor's id. */
  id: string;
  group: string;
  /** Its monitors that pass the filters, in the list's order. */
  members: MonitorRow[];
  status: MonitorStatus;
}

export type ListItem = MonitorRow | GroupItem;

export const isGroupItem = (item: ListItem): item is GroupItem => 'members' in item;

export function worstStatus(rows: readonly MonitorRow[]): MonitorStatus {
  let worst: MonitorStatus = 'PAUSED';
  for (const row of rows) if (STATUS_RANK[row.status] < STATUS_RANK[worst]) worst = row.status;
  return worst;
}

/**
 * The lines of the list: monitors without a group as they are, each group as one line where its first monitor
 * would be (so it sorts by its worst one), followed by its monitors when it is in `expanded`.
 */
export function groupRows(rows: readonly MonitorRow[], expanded: ReadonlySet<string>): ListItem[] {
  const members = new Map<string, MonitorRow[]>();
  for (const row of rows) {
    if (row.group === null) continue;
    const list = members.get(row.group);
    if (list) list.push(row);
    else members.set(row.group, [row]);
  }
  if (members.size === 0) return [...rows];
  const items: ListItem[] = [];
  const placed = new Set<string>();
  for (const row of rows) {
    if (row.group === null) {
      items.push(row);
      continue;
    }
    if (placed.has(row.group)) continue;
    placed.add(row.group);
    const group = members.get(row.group)!;
    items.push({ id: `group:${row.group}`, group: row.group, members: group, status: worstStatus(group) });
    if (expanded.has(row.group)) items.push(...group);
  }
  return items;
}
