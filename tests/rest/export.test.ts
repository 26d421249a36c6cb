// GET /api/export: results and alerts as CSV or JSON, compared with the rows in the database; page
// boundaries (pages of 3 rows here), time ranges, filters, bad parameters, and what the client sees when
// it leaves or the database fails mid-way.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/index.ts';
import type { Monitor } from '../../server/monitors/index.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { insertResults } from '../../server/results/index.ts';
import { createMonitor, result } from '../helpers/factories.ts';
import { call, waitFor } from './support.ts';

const PAGE_SIZE = 3;
const RESULT_COLUMNS = [
  'id',
  'moniteur_id',
  'est_disponible',
  'code_http',
  'latence_ms',
  'verifie_a',
  'url',
  'cause',
  'erreur',
  'duree_dns_ms',
  'duree_connexion_ms',
  'duree_tls_ms',
  'duree_premier_octet_ms',
  'jours_certificat',
];
const ALERT_COLUMNS = ['id', 'moniteur_id', 'type', 'cause', 'statut_id', 'numero_transition', 'cree_a', 'acquittee_a'];
/** Text that breaks naive CSV or JSON writers. */
const AWKWARD = [
  'a, b',
  'say "hello"',
  '"',
  'line 1\nline 2',
  'cr\rlf\r\n',
  ' leading and trailing ',
  'héllo ✓ 日本語 🚀',
  'tab\tbell\u0007back\\slash',
  '',
  ',,,""\n',
];

let app: TestApp;
let first: Monitor;
let second: Monitor;
/** Statements the app sent to format export pages; from the failFrom-th one on, they fail. */
let exportQueries = 0;
let failFrom = Infinity;

function observed(db: Db): Db {
  return {
    ...db,
    query(sql, params) {
      if (sql.includes('string_agg(page.line')) {
        exportQueries++;
        if (exportQueries >= failFrom) return Promise.reject(new Error('injected export failure'));
      }
      return db.query(sql, params);
    },
  };
}

beforeAll(async () => {
  app = await startTestApp({}, { app: { exportPageSize: PAGE_SIZE }, wrapDb: observed });
  // Paused: the scheduler writes nothing, so the tables hold only what the tests put there.
  first = await createMonitor(app.testDb.db, { name: 'export first', paused: true });
  second = await createMonitor(app.testDb.db, { name: 'export second', paused: true });
  const db = app.testDb.db;
  // Every awkward text in each text column, on results of both monitors and one-off checks (monitor NULL).
  // The triggers add alerts for the monitors' UP/DOWN transitions. Raw SQL: no check reports such causes.
  await db.query(
    `INSERT INTO monitoring.statuts (moniteur_id, est_disponible, code_http, latence_ms, verifie_a, url, cause, erreur,
                                     duree_dns_ms, duree_connexion_ms, duree_tls_ms, duree_premier_octet_ms, jours_certificat)
     SELECT (ARRAY[$1, $2, NULL]::int[])[1 + i % 3], i % 2 = 0, CASE WHEN i % 4 = 1 THEN NULL ELSE 200 + i END, i * 10,
            timestamptz '2026-03-01T00:00:00Z' + make_interval(secs => i * 60),
            CASE WHEN i <= cardinality($3::text[]) THEN ($3::text[])[i] ELSE 'http://x.test/' || i END,
            CASE WHEN i % 11 = 0 THEN NULL ELSE ($3::text[])[1 + (i + 3) % cardinality($3::text[])] END,
            CASE WHEN i % 7 = 0 THEN NULL ELSE ($3::text[])[1 + i % cardinality($3::text[])] END,
            CASE WHEN i % 3 = 0 THEN NULL ELSE i END, i + 1, CASE WHEN i % 2 = 0 THEN NULL ELSE i + 2 END, i + 3,
            CASE WHEN i % 3 = 0 THEN NULL ELSE 90 - i END
       FROM generate_series(1, 30) AS i`,
    [first.id, second.id, AWKWARD],
  );
  await db.query(
    `INSERT INTO monitoring.alertes (moniteur_id, type, cause, statut_id, numero_transition, cree_a, acquittee_a)
     SELECT CASE WHEN i % 4 = 0 THEN NULL ELSE (ARRAY[$1, $2]::int[])[1 + i % 2] END,
            (ARRAY['DOWN', 'UP', 'REMINDER', 'CHECKER_DEGRADED'])[1 + i % 4],
            CASE WHEN i % 6 = 0 THEN NULL ELSE ($3::text[])[1 + i % cardinality($3::text[])] END,
            CASE WHEN i % 5 = 0 THEN NULL ELSE i END, NULL,
            timestamptz '2026-03-01T00:00:00Z' + make_interval(secs => i * 90),
            CASE WHEN i % 3 = 0 THEN timestamptz '2026-03-02T00:00:00.123Z' + make_interval(secs => i) END
       FROM generate_series(1, 20) AS i`,
    [first.id, second.id, AWKWARD],
  );
});

afterAll(async () => {
  await app?.close();
});

type Row = Record<string, unknown>;

/** The rows as the export must show them, straight from the tables, oldest first. */
async function rowsOf(data: 'resultats' | 'alertes', where = 'true', params: unknown[] = []): Promise<Row[]> {
  const [table, time, columns] =
    data === 'resultats'
      ? ['monitoring.statuts', 'verifie_a', RESULT_COLUMNS]
      : ['monitoring.alertes', 'cree_a', ALERT_COLUMNS];
  const { rows } = await app.testDb.db.query<Row>(
    `SELECT ${columns.join(', ')} FROM ${table} WHERE ${where} ORDER BY ${time}, id`,
    params,
  );
  return rows.map((row) =>
    Object.fromEntries(
      columns.map((column) => {
        const value = row[column];
        if (value instanceof Date) return [column, value.toISOString()];
        if (typeof value === 'bigint') return [column, Number(value)];
        return [column, value];
      }),
    ),
  );
}

/** What a CSV parser gives back for a row: every field a string, NULL an empty one. */
function asCsvRecord(row: Row): string[] {
  return Object.values(row).map((value) => (value === null ? '' : String(value)));
}

async function download(query: string): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await app.request(`/api/export${query}`);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

async function exportCsv(query: string): Promise<string[][]> {
  const { status, headers, text } = await download(query);
  expect(status, text).toBe(200);
  expect(headers.get('content-type')).toBe('text/csv; charset=utf-8');
  return parse(text, { relaxQuotes: false, relaxColumnCount: false });
}

async function exportJson(query: string): Promise<Row[]> {
  const { status, headers, text } = await download(query);
  expect(status, text).toBe(200);
  expect(headers.get('content-type')).toBe('application/json; charset=utf-8');
  return JSON.parse(text);
}

describe('GET /api/export of results', () => {
  it('sends every result as RFC 4180 CSV by default, awkward text and NULLs included', async () => {
    const { status, headers, text } = await download('');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(headers.get('content-disposition')).toMatch(/^attachment; filename="vigie-resultats-\d{8}T\d{6}Z\.csv"$/);
    const records: string[][] = parse(text);
    const expected = await rowsOf('resultats');
    expect(expected.length).toBe(30);
    expect(records[0]).toEqual(RESULT_COLUMNS);
    expect(records.slice(1)).toEqual(expected.map(asCsvRecord));
    for (const column of ['url', 'cause', 'erreur']) {
      for (const value of AWKWARD)
        expect(
          expected.some((row) => row[column] === value),
          `${column} ${JSON.stringify(value)}`,
        ).toBe(true);
    }
    // CRLF line ends; a quoted empty string stays distinct from NULL (an empty field).
    expect(text.startsWith(`${RESULT_COLUMNS.join(',')}\r\n`)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const lines = text.split('\r\n');
    const emptyUrl = expected.find((row) => row.url === '')!;
    expect(lines.find((line) => line.startsWith(`${emptyUrl.id},`))).toMatch(/,"",/);
    const oneLine = (row: Row) => ['url', 'cause', 'erreur'].every((column) => !/[\r\n]/.test(String(row[column])));
    const nullError = expected.find((row) => row.erreur === null && oneLine(row))!;
    expect(lines.find((line) => line.startsWith(`${nullError.id},`))).toMatch(/,,\d*,\d*,\d*,\d*,\d*$/);
  });

  it('sends the same rows as a JSON array of objects with JSON types', async () => {
    const { headers } = await download('?format=json');
    expect(headers.get('content-disposition')).toMatch(/^attachment; filename="vigie-resultats-\d{8}T\d{6}Z\.json"$/);
    const rows = await exportJson('?format=json');
    expect(rows).toEqual(await rowsOf('resultats'));
    expect(Object.keys(rows[0]!)).toEqual(RESULT_COLUMNS);
    expect(rows.some((row) => row.moniteur_id === null)).toBe(true);
    expect(rows.every((row) => typeof row.est_disponible === 'boolean' && typeof row.id === 'number')).toBe(true);
    for (const row of rows) expect(row.verifie_a).toBe(new Date(row.verifie_a as string).toISOString());
  });

  it('keeps one monitor with moniteur_id (one-off checks are not part of it)', async () => {
    const records = await exportCsv(`?moniteur_id=${first.id}`);
    const expected = await rowsOf('resultats', 'moniteur_id = $1', [first.id]);
    expect(expected.length).toBe(10);
    expect(records.slice(1)).toEqual(expected.map(asCsvRecord));
    expect(await exportJson(`?format=json&moniteur_id=${second.id}`)).toEqual(
      await rowsOf('resultats', 'moniteur_id = $1', [second.id]),
    );
    const { headers } = await download(`?moniteur_id=${first.id}`);
    expect(headers.get('content-disposition')).toContain(`filename="vigie-resultats-moniteur-${first.id}-`);
  });

  it('keeps one location with emplacement', async () => {
    const monitor = await createMonitor(app.testDb.db, { name: 'export locations', paused: true });
    await insertResults(
      app.testDb.db,
      // After every range the other tests read.
      ['lima', 'oslo', 'lima'].map((location, index) =>
        result(monitor.id, true, { location, checkedAt: new Date(Date.UTC(2026, 2, 5, 0, index)) }),
      ),
    );
    const lima = await exportJson(`?format=json&moniteur_id=${monitor.id}&emplacement=lima`);
    expect(lima).toEqual(await rowsOf('resultats', "moniteur_id = $1 AND emplacement = 'lima'", [monitor.id]));
    expect(lima).toHaveLength(2);
    expect(await exportCsv(`?moniteur_id=${monitor.id}&emplacement=oslo`)).toHaveLength(2);
  });

  it('keeps [debut, fin): debut included, fin excluded, in any offset', async () => {
    // Results are one minute apart from 00:01 on: 00:05 is the 5th, 00:10 the 10th.
    const inRange = await rowsOf(
      'resultats',
      `verifie_a >= '2026-03-01T00:05:00Z' AND verifie_a < '2026-03-01T00:10:00Z'`,
    );
    expect(inRange.length).toBe(5);
    const exported = await exportJson('?format=json&debut=2026-03-01T00:05:00Z&fin=2026-03-01T00:10:00Z');
    expect(exported).toEqual(inRange);
    expect(exported[0]!.verifie_a).toBe('2026-03-01T00:05:00.000Z');
    // The same instants with offsets; an unencoded "+" arrives as a space and still means "+".
    expect(await exportJson('?format=json&debut=2026-03-01T01:05:00%2B01:00&fin=2026-02-28T23:10:00-01:00')).toEqual(
      inRange,
    );
    expect(await exportJson('?format=json&debut=2026-03-01T02:05:00+02:00&fin=2026-03-01T00:10:00.000Z')).toEqual(
      inRange,
    );
    // One open end each; a date alone is midnight UTC.
    expect(await exportJson('?format=json&fin=2026-03-01T00:03:00Z')).toEqual(
      await rowsOf('resultats', `verifie_a < '2026-03-01T00:03:00Z'`),
    );
    expect(await exportJson('?format=json&debut=2026-03-01T00:28:00Z')).toEqual(
      await rowsOf('resultats', `verifie_a >= '2026-03-01T00:28:00Z'`),
    );
    expect(await exportJson('?format=json&debut=2026-03-02&fin=2026-03-03')).toEqual([]);
    expect(await exportJson('?format=json&fin=2026-03-01')).toEqual([]);
    // Together with a monitor.
    expect(
      await exportJson(`?format=json&moniteur_id=${first.id}&debut=2026-03-01T00:05:00Z&fin=2026-03-01T00:20:00Z`),
    ).toEqual(
      await rowsOf(
        'resultats',
        `moniteur_id = $1 AND verifie_a >= '2026-03-01T00:05:00Z' AND verifie_a < '2026-03-01T00:20:00Z'`,
        [first.id],
      ),
    );
  });

  it('sends just the header, or [], when nothing matches', async () => {
    const { text } = await download('?debut=2030-01-01T00:00:00Z');
    expect(text).toBe(`${RESULT_COLUMNS.join(',')}\r\n`);
    const json = await download('?format=json&debut=2030-01-01T00:00:00Z');
    expect(JSON.parse(json.text)).toEqual([]);
  });

  it('orders by time then id across page boundaries, with equal and microsecond-apart times', async () => {
    const monitor = await createMonitor(app.testDb.db, { name: 'export ties', paused: true });
    // 11 results at one instant (ids break the tie), then 7 that differ only by microseconds (the exported
    // text shows the same millisecond for all of them), inserted out of time order. Raw SQL: insertResults
    // keeps milliseconds only and writes in time order.
    await app.testDb.db.query(
      `INSERT INTO monitoring.statuts (moniteur_id, est_disponible, latence_ms, verifie_a, url)
       SELECT $1, true, i, timestamptz '2026-04-01T00:00:00.500Z', 'tie/' || i FROM generate_series(1, 11) AS i`,
      [monitor.id],
    );
    await app.testDb.db.query(
      `INSERT INTO monitoring.statuts (moniteur_id, est_disponible, latence_ms, verifie_a, url)
       SELECT $1, true, i, timestamptz '2026-04-01T00:00:00.700Z' + make_interval(secs => (7 - i) * 0.000001), 'micro/' || i
         FROM generate_series(1, 7) AS i`,
      [monitor.id],
    );
    const expected = await rowsOf('resultats', 'moniteur_id = $1', [monitor.id]);
    expect(expected.length).toBe(18);
    expect(expected.slice(11).map((row) => row.url)).toEqual([
      'micro/7',
      'micro/6',
      'micro/5',
      'micro/4',
      'micro/3',
      'micro/2',
      'micro/1',
    ]);
    const pagesBefore = exportQueries;
    expect(await exportJson(`?format=json&moniteur_id=${monitor.id}`)).toEqual(expected);
    // 18 rows in pages of 3: 6 pages formatted.
    expect(exportQueries - pagesBefore).toBe(6);
    expect((await exportCsv(`?moniteur_id=${monitor.id}`)).slice(1)).toEqual(expected.map(asCsvRecord));
    expect(
      await exportJson(
        `?format=json&moniteur_id=${monitor.id}&debut=2026-04-01T00:00:00.7Z&fin=2026-04-01T00:00:00.701Z`,
      ),
    ).toEqual(expected.slice(11));
    // Across all monitors too.
    expect(await exportJson('?format=json&debut=2026-04-01T00:00:00Z&fin=2026-04-02T00:00:00Z')).toEqual(expected);
  });
});

describe('GET /api/export of alerts', () => {
  it('sends every alert as CSV and as JSON', async () => {
    const expected = await rowsOf('alertes');
    expect(expected.length).toBeGreaterThanOrEqual(20);
    expect(expected.some((row) => row.moniteur_id === null && row.acquittee_a === null)).toBe(true);
    const records = await exportCsv('?donnees=alertes');
    expect(records[0]).toEqual(ALERT_COLUMNS);
    expect(records.slice(1)).toEqual(expected.map(asCsvRecord));
    const rows = await exportJson('?donnees=alertes&format=json');
    expect(rows).toEqual(expected);
    expect(Object.keys(rows[0]!)).toEqual(ALERT_COLUMNS);
    const { headers } = await download('?donnees=alertes&format=json');
    expect(headers.get('content-disposition')).toMatch(/^attachment; filename="vigie-alertes-\d{8}T\d{6}Z\.json"$/);
  });

  it('filters alerts by monitor and by creation time', async () => {
    expect(await exportJson(`?donnees=alertes&format=json&moniteur_id=${second.id}`)).toEqual(
      await rowsOf('alertes', 'moniteur_id = $1', [second.id]),
    );
    // The alerts written above are 90 s apart from 00:01:30 on (the triggers' ones sit on results' minutes).
    const range = await exportJson('?donnees=alertes&format=json&debut=2026-03-01T00:06:00Z&fin=2026-03-01T00:12:00Z');
    expect(range).toEqual(
      await rowsOf('alertes', `cree_a >= '2026-03-01T00:06:00Z' AND cree_a < '2026-03-01T00:12:00Z'`),
    );
    expect(range[0]!.cree_a).toBe('2026-03-01T00:06:00.000Z');
    const times = range.map((row) => row.cree_a);
    expect(times).toContain('2026-03-01T00:10:30.000Z');
    expect(times).not.toContain('2026-03-01T00:12:00.000Z');
  });
});

describe('GET /api/export with bad parameters', () => {
  const cases: Array<[string, number, RegExp]> = [
    ['?format=xml', 400, /^format: expected one of csv, json, got "xml"$/],
    ['?format=JSON', 400, /^format: expected one of csv, json/],
    ['?donnees=statuts', 400, /^donnees: expected one of resultats, alertes, got "statuts"$/],
    ['?moniteur_id=abc', 400, /^moniteur_id: expected a positive whole number, got "abc"$/],
    ['?moniteur_id=-1', 400, /^moniteur_id: /],
    ['?moniteur_id=999999', 404, /^monitor 999999 does not exist$/],
    ['?donnees=alertes&moniteur_id=999999', 404, /^monitor 999999 does not exist$/],
    ['?debut=yesterday', 400, /^debut: expected an ISO-8601 date or instant/],
    ['?debut=2026-02-30T00:00:00Z', 400, /^debut: expected an ISO-8601/],
    ['?fin=2026-03-01T25:00:00Z', 400, /^fin: expected an ISO-8601/],
    ['?fin=1741000000', 400, /^fin: expected an ISO-8601/],
    ['?debut=2026-03-01T00:00:00Z&fin=2026-03-01T00:00:00Z', 400, /^fin: must be after debut/],
    ['?debut=2026-03-02&fin=2026-03-01', 400, /^fin: must be after debut/],
    ['?donnees=alertes&emplacement=lima', 400, /^emplacement: only results have a location/],
    [
      '?moniteur=1',
      400,
      /^unknown parameter "moniteur"; expected format, donnees, moniteur_id, emplacement, debut, fin$/,
    ],
  ];
  it.each(cases)('%s answers %i with a JSON error naming the problem', async (query, status, message) => {
    const response = await call(app, 'GET', `/api/export${query}`);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-disposition')).toBeNull();
    expect(Object.keys(response.body)).toEqual(['erreur']);
    expect(response.body.erreur).toMatch(message);
  });

  it('answers only GET', async () => {
    const response = await call(app, 'POST', '/api/export');
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('GET /api/export of large rows', () => {
  let monitor: Monitor;
  beforeAll(async () => {
    monitor = await createMonitor(app.testDb.db, { name: 'export big rows', paused: true });
    // 50 kB per row (compressed to almost nothing in the table), 1200 rows in 400 pages: 60 MB to send, far
    // more than the socket buffers hold, so the server has to wait for the client. Raw SQL: the rows are made in
    // the database rather than sent to it.
    await app.testDb.db.query(
      `INSERT INTO monitoring.statuts (moniteur_id, est_disponible, latence_ms, verifie_a, url, erreur)
       SELECT $1, false, i, timestamptz '2026-05-01T00:00:00Z' + make_interval(secs => i), 'big/' || i, repeat('x', 50000)
         FROM generate_series(1, 1200) AS i`,
      [monitor.id],
    );
  });

  afterAll(async () => {
    await app.testDb.db.query('DELETE FROM monitoring.statuts WHERE moniteur_id = $1', [monitor.id]);
  });

  it('gives a slow client every row, in order', async () => {
    // The first 300 rows (15 MB), read a little at a time.
    const response = await app.request(`/api/export?moniteur_id=${monitor.id}&fin=2026-05-01T00:05:01Z`);
    expect(response.status).toBe(200);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const parts: string[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const records: string[][] = parse(parts.join(''));
    const expected = await rowsOf('resultats', `moniteur_id = $1 AND verifie_a < '2026-05-01T00:05:01Z'`, [monitor.id]);
    expect(expected.length).toBe(300);
    expect(records.length).toBe(301);
    expect(records.slice(1).map((record) => record[0])).toEqual(expected.map((row) => String(row.id)));
    expect(records.slice(1).every((record) => record[8]!.length === 50000)).toBe(true);
  });

  it('stops reading pages when the client goes away', async () => {
    const controller = new AbortController();
    const before = exportQueries;
    const response = await app.request(`/api/export?moniteur_id=${monitor.id}`, { signal: controller.signal });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await reader.read().catch(() => undefined);
    // The server notices, stops, and reads no more pages; it read far fewer than the 400 of the whole export.
    let settled = exportQueries;
    await waitFor('the export to stop reading', async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const stable = exportQueries === settled;
      settled = exportQueries;
      return stable;
    });
    expect(exportQueries - before).toBeLessThan(200);
    // And it still serves the next request.
    expect((await call(app, 'GET', `/api/export?moniteur_id=999999`)).status).toBe(404);
  });
});

describe('GET /api/export when the database fails', () => {
  it('answers a JSON 500 when the database fails before the first byte', async () => {
    failFrom = exportQueries + 1;
    try {
      const response = await call(app, 'GET', '/api/export?format=json');
      expect(response.status).toBe(500);
      expect(response.body).toEqual({ erreur: 'internal error' });
      expect(response.headers.get('content-disposition')).toBeNull();
    } finally {
      failFrom = Infinity;
    }
  });

  it('cuts the download short when the database fails mid-way, rather than ending a partial file cleanly', async () => {
    // The first page is sent; formatting the third one fails (pages are formatted ahead of the client).
    failFrom = exportQueries + 3;
    try {
      const response = await app.request('/api/export?format=json');
      expect(response.status).toBe(200);
      const received: string[] = [];
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      const readAll = async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return received.join('');
          received.push(value);
        }
      };
      await expect(readAll()).rejects.toThrow();
      expect(received.join('')).toMatch(/^\[\n\{"id":/);
    } finally {
      failFrom = Infinity;
    }
    expect((await call(app, 'GET', '/api/export?moniteur_id=999999')).status).toBe(404);
  });
});
