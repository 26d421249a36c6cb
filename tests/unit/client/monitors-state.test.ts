// The monitor list's state: rows from the query, live checks and status changes, and the store's notifications.
import { describe, expect, it } from 'vitest';
import type { ListMonitor } from '../../../client/src/api/types.ts';
import {
  applyCheck,
  applyStatus,
  BAR_LENGTH,
  countByStatus,
  MonitorStore,
  rowFromMonitor,
} from '../../../client/src/state/monitors.ts';

function monitor(id: string, overrides: Partial<ListMonitor> = {}): ListMonitor {
  return {
    id,
    name: `monitor ${id}`,
    kind: 'HTTP',
    target: `https://example.com/${id}`,
    status: 'UP',
    tags: [],
    lastResult: { isUp: true, latencyMs: 40, checkedAt: '2025-01-10T14:30:00Z' },
    stats: { availability: 100 },
    results: { nodes: [{ isUp: true }, { isUp: false }, { isUp: true }] },
    ...overrides,
  };
}

describe('rows', () => {
  it('turn the newest-first results into an oldest-first bar', () => {
    const row = rowFromMonitor(monitor('1'));
    expect(row.bar).toEqual([true, false, true].reverse());
    expect(row.latencyMs).toBe(40);
    expect(rowFromMonitor(monitor('2', { lastResult: null })).latencyMs).toBeNull();
  });

  it('keep the previous bar when the query left the results out', () => {
    const previous = rowFromMonitor(monitor('1'));
    const { results: _left, ...base } = monitor('1', { status: 'DOWN' });
    const row = rowFromMonitor(base, previous);
    expect(row.status).toBe('DOWN');
    expect(row.bar).toEqual(previous.bar);
  });

  it('grow the bar with each check, up to its length', () => {
    let row = rowFromMonitor(monitor('1', { results: { nodes: [] }, lastResult: null }));
    for (let index = 0; index < BAR_LENGTH + 5; index++) {
      row = applyCheck(row, {
        monitorId: '1',
        isUp: index % 2 === 0,
        latencyMs: index,
        checkedAt: new Date(1e12 + index * 1000).toISOString(),
      });
    }
    expect(row.bar).toHaveLength(BAR_LENGTH);
    expect(row.bar.at(-1)).toBe((BAR_LENGTH + 4) % 2 === 0);
    expect(row.latencyMs).toBe(BAR_LENGTH + 4);
  });

  it('ignore a check older than the last one (late delivery)', () => {
    const row = rowFromMonitor(monitor('1'));
    expect(applyCheck(row, { monitorId: '1', isUp: false, latencyMs: 1, checkedAt: '2025-01-10T14:00:00Z' })).toBe(row);
  });

  it('return the same row when the status does not change', () => {
    const row = rowFromMonitor(monitor('1'));
    expect(applyStatus(row, 'UP')).toBe(row);
    expect(applyStatus(row, 'DOWN').status).toBe('DOWN');
  });
});

describe('MonitorStore', () => {
  it('notifies the ids that changed, and "all" when the set changes', () => {
    const store = new MonitorStore();
    const seen: Array<string[] | 'all'> = [];
    store.subscribe((changed) => seen.push(changed === 'all' ? 'all' : [...changed]));
    store.replaceAll([monitor('1'), monitor('2')]);
    expect(store.loaded).toBe(true);
    expect(store.check({ monitorId: '2', isUp: false, latencyMs: 9, checkedAt: '2025-01-10T14:31:00Z' })).toBe(true);
    expect(store.status('2', 'DOWN')).toBe(true);
    expect(store.status('2', 'DOWN')).toBe(true); // no change, no notification
    store.remove('1');
    expect(seen).toEqual(['all', ['2'], ['2'], 'all']);
    expect(store.all().map((row) => row.id)).toEqual(['2']);
  });

  it('tells the caller about events for monitors it does not know', () => {
    const store = new MonitorStore();
    store.replaceAll([]);
    expect(store.check({ monitorId: '9', isUp: true, latencyMs: 1, checkedAt: '2025-01-10T14:31:00Z' })).toBe(false);
    expect(store.check({ monitorId: null, isUp: true, latencyMs: 1, checkedAt: '2025-01-10T14:31:00Z' })).toBe(false);
    expect(store.status('9', 'UP')).toBe(false);
  });

  it('fills in the bars read after the rows, keeping them across a refresh', () => {
    const store = new MonitorStore();
    const { results: _a, ...first } = monitor('1');
    store.replaceAll([first]);
    expect(store.get('1')!.bar).toEqual([]);
    store.setBars([
      { id: '1', results: { nodes: [{ isUp: false }, { isUp: true }] } },
      { id: 'gone', results: { nodes: [] } },
    ]);
    expect(store.get('1')!.bar).toEqual([true, false]);
    store.replaceAll([{ ...first, status: 'DOWN' }]);
    expect(store.get('1')).toMatchObject({ status: 'DOWN', bar: [true, false] });
  });

  it('counts monitors by status', () => {
    const rows = [monitor('1'), monitor('2', { status: 'DOWN' }), monitor('3', { status: 'DOWN' })].map((m) =>
      rowFromMonitor(m),
    );
    expect(countByStatus(rows)).toEqual({ UP: 1, DOWN: 2, DEGRADED: 0, PENDING: 0, PAUSED: 0, MAINTENANCE: 0 });
  });
});
