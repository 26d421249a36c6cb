// Filtering and sorting the monitor list, and keeping the filters in the URL.
import { describe, expect, it } from 'vitest';
import {
  allTags,
  groupRows,
  EMPTY_QUERY,
  queryFromSearch,
  searchFromQuery,
  visibleRows,
} from '../../../client/src/state/filter.ts';
import type { MonitorRow } from '../../../client/src/state/monitors.ts';

function row(id: string, overrides: Partial<MonitorRow> = {}): MonitorRow {
  return {
    id,
    name: `Monitor ${id}`,
    kind: 'HTTP',
    target: `https://example.com/${id}`,
    status: 'UP',
    tags: [],
    group: null,
    latencyMs: 10,
    checkedAt: null,
    availability: 100,
    bar: [],
    ...overrides,
  };
}

const rows = [
  row('1', { name: 'Shop', status: 'UP', tags: ['prod'], latencyMs: 120, availability: 99.5 }),
  row('2', { name: 'API', status: 'DOWN', tags: ['prod', 'api'], latencyMs: null, availability: 50 }),
  row('3', { name: 'Blog', status: 'PAUSED', tags: ['staging'], latencyMs: 30, availability: null }),
  row('4', {
    name: 'api docs',
    status: 'DEGRADED',
    target: 'https://docs.example.org',
    latencyMs: 900,
    availability: 99.9,
  }),
  row('10', { name: 'Shop 10', status: 'UP', latencyMs: 5, availability: 100 }),
];
const ids = (query: Partial<typeof EMPTY_QUERY>) => visibleRows(rows, { ...EMPTY_QUERY, ...query }).map((r) => r.id);

describe('visibleRows', () => {
  it('sorts worst status first, then by name', () => {
    expect(ids({})).toEqual(['2', '4', '1', '10', '3']);
  });
  it('sorts by name naturally, by latency slowest first and availability lowest first, without data last', () => {
    expect(ids({ sort: 'name' })).toEqual(['2', '4', '3', '1', '10']);
    expect(ids({ sort: 'latency' })).toEqual(['4', '1', '3', '10', '2']);
    expect(ids({ sort: 'availability' })).toEqual(['2', '1', '4', '10', '3']);
  });
  it('filters by status, tag and words in the name, target or tags', () => {
    expect(ids({ status: 'UP' })).toEqual(['1', '10']);
    expect(ids({ tag: 'prod' })).toEqual(['2', '1']);
    expect(ids({ text: 'api' })).toEqual(['2', '4']);
    expect(ids({ text: 'docs.example' })).toEqual(['4']);
    expect(ids({ text: '  SHOP  10 ' })).toEqual(['10']);
    expect(ids({ text: 'staging' })).toEqual(['3']);
    expect(ids({ tag: 'prod', status: 'DOWN', text: 'api' })).toEqual(['2']);
  });
});

describe('tags and URL', () => {
  it('lists every tag once, sorted', () => {
    expect(allTags(rows)).toEqual(['api', 'prod', 'staging']);
  });
  it('round-trips the query through the search string, ignoring bad values', () => {
    const query = { text: 'shop & co', status: 'DOWN' as const, tag: 'prod', sort: 'latency' as const };
    expect(queryFromSearch(searchFromQuery(query))).toEqual(query);
    expect(searchFromQuery(EMPTY_QUERY)).toBe('');
    expect(queryFromSearch('?status=EXPLODED&sort=toString')).toEqual(EMPTY_QUERY);
  });
});

describe('groups', () => {
  const rows = [
    row('1', { status: 'DOWN', group: 'Data' }),
    row('2', { status: 'DEGRADED' }),
    row('3', { status: 'UP', group: 'Data' }),
    row('4', { status: 'UP', group: 'Edge' }),
  ];

  it('makes one line of each group where its first monitor is, with its worst state, its monitors hidden', () => {
    expect(groupRows(rows, new Set()).map((item) => [item.id, item.status])).toEqual([
      ['group:Data', 'DOWN'],
      ['2', 'DEGRADED'],
      ['group:Edge', 'UP'],
    ]);
  });

  it('lists the monitors of an opened group after its line', () => {
    expect(groupRows(rows, new Set(['Data'])).map((item) => item.id)).toEqual([
      'group:Data',
      '1',
      '3',
      '2',
      'group:Edge',
    ]);
  });

  it('leaves a list without groups as it is', () => {
    const plain = [row('1'), row('2')];
    expect(groupRows(plain, new Set())).toEqual(plain);
  });
});
