// The monitor list's state: rows built from the query, changed by live events; notifies by changed ids.
import type {
  LastResult,
  ListMonitor,
  ListMonitorBase,
  ListMonitorState,
  MonitorBar,
  MonitorFigures,
  MonitorKind,
  MonitorStatus,
} from '../api/types.ts';

export const BAR_LENGTH = 50;

export interface MonitorRow {
  id: string;
  name: string;
  kind: MonitorKind;
  target: string;
  status: MonitorStatus;
  tags: string[];
  group: string | null;
  latencyMs: number | null;
  checkedAt: string | null;
  availability: number | null;
  /** The last checks, oldest first, at most BAR_LENGTH. */
  bar: boolean[];
}

export interface CheckEvent {
  monitorId: string | null;
  isUp: boolean;
  latencyMs: number;
  checkedAt: string;
}

/** Results come newest first; the bar reads left (old) to right (new). */
export function barFromResults(results: MonitorBar['results']): boolean[] {
  return results.nodes
    .slice(0, BAR_LENGTH)
    .map((node) => node.isUp)
    .reverse();
}

/**
 * A row from the list query; what the query left out is kept from `previous`: the figures (until they arrive,
 * after the first paint) and the bar (until the bars arrive).
 */
export function rowFromMonitor(
  monitor: ListMonitorState & Partial<Omit<MonitorFigures, 'id'>> & Partial<Pick<ListMonitor, 'results'>>,
  previous?: MonitorRow,
): MonitorRow {
  const figures = monitor.lastResult !== undefined;
  return {
    id: monitor.id,
    name: monitor.name,
    kind: monitor.kind,
    target: monitor.target,
    status: monitor.status,
    tags: monitor.tags,
    group: monitor.group ?? null,
    latencyMs: figures ? (monitor.lastResult?.latencyMs ?? null) : (previous?.latencyMs ?? null),
    checkedAt: figures ? (monitor.lastResult?.checkedAt ?? null) : (previous?.checkedAt ?? null),
    availability: monitor.stats ? monitor.stats.availability : (previous?.availability ?? null),
    bar: monitor.results ? barFromResults(monitor.results) : (previous?.bar ?? []),
  };
}

/** A new check: extends the bar and sets the last latency; an older, late event only extends nothing. */
export function applyCheck(row: MonitorRow, check: CheckEvent): MonitorRow {
  if (row.checkedAt && Date.parse(check.checkedAt) < Date.parse(row.checkedAt)) return row;
  const bar = [...row.bar, check.isUp].slice(-BAR_LENGTH);
  return { ...row, bar, latencyMs: check.latencyMs, checkedAt: check.checkedAt };
}

/**
 * One monitor of a `monitorsChanged` tick: its state at the end of the tick, and the last results seen for it
 * since the store last applied a change (oldest first: a tick carries only the latest, a hidden tab may see several).
 */
export interface MonitorChange {
  monitor: ListMonitorBase;
  results: LastResult[];
}

/**
 * A row as a tick says it is now. A snapshot older than the row (its last result is older: read before a reload
 * the row comes from) leaves the row as it is; otherwise the bar grows with the results newer than the row's.
 */
export function applyChange(row: MonitorRow | undefined, change: MonitorChange): MonitorRow {
  const last = change.monitor.lastResult;
  const rowTime = row?.checkedAt ? Date.parse(row.checkedAt) : -Infinity;
  if (row && last && Date.parse(last.checkedAt) < rowTime) return row;
  const next = rowFromMonitor(change.monitor, row);
  const fresh = change.results.filter((result) => Date.parse(result.checkedAt) > rowTime);
  if (fresh.length > 0) next.bar = [...next.bar, ...fresh.map((result) => result.isUp)].slice(-BAR_LENGTH);
  return next;
}

export function applyStatus(row: MonitorRow, status: MonitorStatus): MonitorRow {
  return row.status === status ? row : { ...row, status };
}

export function countByStatus(rows: Iterable<MonitorRow>): Record<MonitorStatus, number> {
  const counts: Record<MonitorStatus, number> = { UP: 0, DOWN: 0, DEGRADED: 0, PENDING: 0, PAUSED: 0, MAINTENANCE: 0 };
  for (const row of rows) counts[row.status]++;
  return counts;
}

export type StoreListener = (changedIds: ReadonlySet<string> | 'all') => void;

/** Holds the rows; views subscribe and redraw only what changed. */
export class MonitorStore {
  private rows = new Map<string, MonitorRow>();
  private listeners = new Set<StoreListener>();
  /** Changes received while the list query is on its way, applied again over its answer (see beginLoad). */
  private replay: Map<string, MonitorChange | null> | null = null;
  loaded = false;

  get size(): number {
    return this.rows.size;
  }

  all(): MonitorRow[] {
    return [...this.rows.values()];
  }

  get(id: string): MonitorRow | undefined {
    return this.rows.get(id);
  }

  has(id: string): boolean {
    return this.rows.has(id);
  }

  /**
   * The list query is about to be sent: the live changes that arrive until its answer (replaceAll) are kept and
   * applied again over it, since the answer may have been read before them.
   */
  beginLoad(): void {
    this.replay = new Map();
  }

  replaceAll(monitors: ListMonitorState[]): void {
    this.rows = new Map(monitors.map((monitor) => [monitor.id, rowFromMonitor(monitor, this.rows.get(monitor.id))]));
    const replay = this.replay;
    this.replay = null;
    for (const [id, change] of replay ?? []) {
      if (change === null) this.rows.delete(id);
      else this.rows.set(id, applyChange(this.rows.get(id), change));
    }
    this.loaded = true;
    this.emit('all');
  }

  /** One tick of `monitorsChanged` (or several, batched in one frame): one notification for all of it. */
  applyChanges(changes: Iterable<MonitorChange>, removedIds: Iterable<string> = []): void {
    const changed = new Set<string>();
    let membership = false;
    for (const change of changes) {
      const id = change.monitor.id;
      this.replay?.set(id, change);
      const row = this.rows.get(id);
      const next = applyChange(row, change);
      if (next === row) continue;
      this.rows.set(id, next);
      if (row) changed.add(id);
      else membership = true;
    }
    for (const id of removedIds) {
      this.replay?.set(id, null);
      if (this.rows.delete(id)) membership = true;
    }
    if (membership) this.emit('all');
    else if (changed.size > 0) this.emit(changed);
  }

  /** The last results and 24 h figures, read after the rows; a row a live tick made newer keeps its own. */
  setFigures(figures: MonitorFigures[]): void {
    for (const { id, lastResult, stats } of figures) {
      const row = this.rows.get(id);
      if (!row) continue;
      if (row.checkedAt && (!lastResult || Date.parse(lastResult.checkedAt) < Date.parse(row.checkedAt))) continue;
      this.rows.set(id, {
        ...row,
        latencyMs: lastResult?.latencyMs ?? null,
        checkedAt: lastResult?.checkedAt ?? null,
        availability: stats.availability,
      });
    }
    this.emit('all');
  }

  /** The bars, read after the rows. */
  setBars(bars: MonitorBar[]): void {
    for (const { id, results } of bars) {
      const row = this.rows.get(id);
      if (row) this.rows.set(id, { ...row, bar: barFromResults(results) });
    }
    this.emit('all');
  }

  upsert(monitor: ListMonitor): void {
    const isNew = !this.rows.has(monitor.id);
    this.rows.set(monitor.id, rowFromMonitor(monitor));
    this.emit(isNew ? 'all' : new Set([monitor.id]));
  }

  remove(id: string): void {
    if (this.rows.delete(id)) this.emit('all');
  }

  /** Returns false for an unknown monitor (made elsewhere: the caller fetches it). */
  check(event: CheckEvent): boolean {
    const row = event.monitorId === null ? undefined : this.rows.get(event.monitorId);
    if (!row) return false;
    const next = applyCheck(row, event);
    if (next !== row) {
      this.rows.set(row.id, next);
      this.emit(new Set([row.id]));
    }
    return true;
  }

  status(monitorId: string, status: MonitorStatus): boolean {
    const row = this.rows.get(monitorId);
    if (!row) return false;
    const next = applyStatus(row, status);
    if (next !== row) {
      this.rows.set(row.id, next);
      this.emit(new Set([row.id]));
    }
    return true;
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(changed: ReadonlySet<string> | 'all'): void {
    for (const listener of this.listeners) listener(changed);
  }
}
