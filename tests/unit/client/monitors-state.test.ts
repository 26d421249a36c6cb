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
import { ChangeBuffer } from '../../../client/src/live.ts';

function monitor(id: string, overrides: Partial<ListMonitor> = {}): ListMonitor {
  return {
    id,
    name: `monitor ${id}`,
    kind: 'HTTP',
    target: `https://example.com/${id}`,
    status: 'UP',
    tags: [],
    group: null,
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

describe('monitorsChanged ticks', () => {
  const at = (minute: number) => `2025-01-10T14:${String(minute).padStart(2, '0')}:00.000Z`;
  const tick = (id: string, minute: number, overrides: Partial<ListMonitor> = {}) => {
    const { results: _r, ...base } = monitor(id, {
      lastResult: { isUp: minute % 2 === 0, latencyMs: minute, checkedAt: at(minute) },
      ...overrides,
    });
    return base;
  };

  it('apply in one notification: changed rows by id, "all" when a monitor comes or goes', () => {
    const store = new MonitorStore();
    store.replaceAll([monitor('1'), monitor('2')]);
    const seen: Array<string[] | 'all'> = [];
    store.subscribe((changed) => seen.push(changed === 'all' ? 'all' : [...changed]));
    const buffer = new ChangeBuffer();
    buffer.add([tick('1', 31, { status: 'DOWN' }), tick('2', 31)], []);
    const { changes, removedIds } = buffer.take();
    store.applyChanges(changes, removedIds);
    expect(seen).toEqual([['1', '2']]);
    expect(store.get('1')).toMatchObject({ status: 'DOWN', latencyMs: 31, checkedAt: at(31) });
    expect(store.get('1')!.bar.at(-1)).toBe(false);
    buffer.add([tick('3', 32)], ['2']);
    store.applyChanges(buffer.take().changes, ['2']);
    expect(seen.at(-1)).toBe('all');
    expect(store.all().map((row) => row.id)).toEqual(['1', '3']);
  });

  it('merge the ticks of several frames, keeping every result for the bar', () => {
    const store = new MonitorStore();
    store.replaceAll([monitor('1', { lastResult: { isUp: true, latencyMs: 1, checkedAt: at(30) } })]);
    const before = store.get('1')!.bar.length;
    const buffer = new ChangeBuffer();
    buffer.add([tick('1', 31)], []);
    buffer.add([tick('1', 32)], []);
    buffer.add([tick('1', 32)], []); // the same result again (another field changed): counted once
    expect(buffer.size).toBe(1);
    store.applyChanges(buffer.take().changes);
    expect(store.get('1')!.bar).toHaveLength(before + 2);
    expect(store.get('1')!.bar.slice(-2)).toEqual([false, true]);
    expect(buffer.size).toBe(0);
  });

  it('leave a row alone when the tick is older than it, and replay ticks received during a reload', () => {
    const store = new MonitorStore();
    store.replaceAll([monitor('1', { lastResult: { isUp: true, latencyMs: 1, checkedAt: at(40) } })]);
    const row = store.get('1');
    store.applyChanges([{ monitor: tick('1', 35, { status: 'DOWN' }), results: [] }]);
    expect(store.get('1')).toBe(row);

    store.beginLoad();
    store.applyChanges([{ monitor: tick('1', 45, { status: 'DOWN' }), results: [] }], ['2']);
    // the answer of the list query was read before that tick
    store.replaceAll([monitor('1', { lastResult: { isUp: true, latencyMs: 1, checkedAt: at(41) } }), monitor('2')]);
    expect(store.get('1')).toMatchObject({ status: 'DOWN', checkedAt: at(45) });
    expect(store.has('2')).toBe(false);
  });

  it('paint from names and states first, and take the figures read after unless a tick was newer', () => {
    const store = new MonitorStore();
    store.replaceAll([
      { id: '1', name: 'a', kind: 'HTTP', target: 't', status: 'UP', tags: [], group: null },
      { id: '2', name: 'b', kind: 'HTTP', target: 't', status: 'UP', tags: [], group: null },
    ]);
    expect(store.get('1')).toMatchObject({ latencyMs: null, availability: null, bar: [] });
    store.applyChanges([{ monitor: tick('2', 50), results: [] }]);
    store.setFigures([
      { id: '1', lastResult: { isUp: true, latencyMs: 7, checkedAt: at(44) }, stats: { availability: 99 } },
      { id: '2', lastResult: { isUp: true, latencyMs: 7, checkedAt: at(44) }, stats: { availability: 99 } },
    ]);
    expect(store.get('1')).toMatchObject({ latencyMs: 7, checkedAt: at(44), availability: 99 });
    expect(store.get('2')).toMatchObject({ latencyMs: 50, checkedAt: at(50), availability: 100 });
  });
});
