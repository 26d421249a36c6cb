// Exports of monitoring.statuts and monitoring.alertes: pages of rows that PostgreSQL has already formatted as
// CSV lines or JSON objects and joined into one text, so Node only passes text along (no row objects).
import type { Queryable } from '../types.ts';

export type ExportTable = 'results' | 'alerts';
export type ExportFormat = 'csv' | 'json';

/** The exported columns, in order: the original French names, as in the tables and the REST API. */
export const EXPORT_COLUMNS: Record<ExportTable, readonly string[]> = {
  results: [
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
  ],
  alerts: ['id', 'moniteur_id', 'type', 'cause', 'statut_id', 'numero_transition', 'cree_a', 'acquittee_a'],
};

interface TableSpec {
  name: string;
  /** The column rows are ordered and filtered by (then id). */
  time: string;
  timestamps: ReadonlySet<string>;
  texts: ReadonlySet<string>;
}

const TABLES: Record<ExportTable, TableSpec> = {
  results: {
    name: 'monitoring.statuts',
    time: 'verifie_a',
    timestamps: new Set(['verifie_a']),
    texts: new Set(['url', 'cause', 'erreur']),
  },
  alerts: {
    name: 'monitoring.alertes',
    time: 'cree_a',
    timestamps: new Set(['cree_a', 'acquittee_a']),
    texts: new Set(['type', 'cause']),
  },
};

// The SQL below is assembled from the constant column lists above, never from input.

/** Exactly what Date.prototype.toISOString() gives (milliseconds, Z); NULL stays NULL. */
const isoTime = (column: string) => `to_char(x.${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * RFC 4180 field: quoted (inner quotes doubled) when it holds a comma, quote, CR or LF. An empty string is
 * quoted too, so that it stays distinct from NULL, which is an empty field.
 */
const csvText = (column: string) =>
  `CASE WHEN x.${column} = '' OR x.${column} ~ E'[",\\r\\n]' THEN '"' || replace(x.${column}, '"', '""') || '"' ELSE x.${column} END`;

function csvLine(table: TableSpec, columns: readonly string[]): string {
  const fields = columns.map((column) => {
    if (table.timestamps.has(column)) return isoTime(column);
    if (table.texts.has(column)) return csvText(column);
    // Numbers, and booleans as true/false (concat() alone would print t/f); concat() prints NULL as nothing.
    return column === 'est_disponible' ? `x.${column}::text` : `x.${column}`;
  });
  return `concat(${fields.join(`, ',', `)})`;
}

/** A JSON object with the columns as keys, in order (row_to_json does the same, about half as fast). */
function jsonLine(table: TableSpec, columns: readonly string[]): string {
  const values = columns.map((column) => {
    if (table.timestamps.has(column)) return `coalesce('"' || ${isoTime(column)} || '"', 'null')`;
    if (table.texts.has(column)) return `coalesce(to_json(x.${column})::text, 'null')`;
    return `coalesce(x.${column}::text, 'null')`;
  });
  return `concat(${values.map((value, index) => `'${index === 0 ? '{' : ','}"${columns[index]}":', ${value}`).join(', ')}, '}')`;
}

export interface ExportCursor {
  /** The time of a row, ISO-8601 with microseconds (a JS Date would drop them and repeat rows). */
  time: string;
  id: number;
}

export interface ExportFilter {
  table: ExportTable;
  /** null: every monitor (and, for results, one-off checks). */
  monitorId: number | null;
  /** Results only: those checked from this location; null or absent: every location. */
  location?: string | null;
  /** Range [from, to) on the time column; null leaves that end open. */
  from: Date | null;
  to: Date | null;
}

export interface ExportPageEnd {
  /** Rows in the page: fewer than asked means it is the last one. */
  rowCount: number;
  /** Its last row in (time, id) order; null when the page is empty. */
  last: ExportCursor | null;
}

export interface ExportPage {
  /** The rows, formatted and joined by the separator. */
  text: string;
  rowCount: number;
}

// Rows are ordered by (time, id). Each statement is short, on an index range, and starts after a given row
// (keyset pagination) rather than going on from a cursor held open: nothing stays locked or open between
// pages, and the embedded database's single connection stays free for the check writer in between.
function conditionsOf(filter: ExportFilter, after: ExportCursor | null, params: unknown[]): string[] {
  const time = `x.${TABLES[filter.table].time}`;
  const param = (value: unknown) => `$${params.push(value)}`;
  const conditions: string[] = [];
  if (filter.monitorId !== null) conditions.push(`x.moniteur_id = ${param(filter.monitorId)}`);
  if (filter.table === 'results' && filter.location) conditions.push(`x.emplacement = ${param(filter.location)}`);
  if (after) {
    // The plain bound lets the planner start the index range there; the row comparison breaks ties.
    const at = param(after.time);
    conditions.push(
      `${time} >= ${at}::timestamptz`,
      `(${time}, x.id) > (${at}::timestamptz, ${param(after.id)}::bigint)`,
    );
  } else if (filter.from) {
    conditions.push(`${time} >= ${param(filter.from)}::timestamptz`);
  }
  if (filter.to) conditions.push(`${time} < ${param(filter.to)}::timestamptz`);
  return conditions;
}

const where = (conditions: string[]) => (conditions.length ? `WHERE ${conditions.join(' AND ')}` : '');

/**
 * Where the page of `limit` rows after `after` ends, without formatting anything: cheap, so the pages
 * themselves can be formatted several at a time (see readExportPage).
 */
export async function findExportPageEnd(
  db: Queryable,
  filter: ExportFilter,
  after: ExportCursor | null,
  limit: number,
): Promise<ExportPageEnd> {
  const time = TABLES[filter.table].time;
  const params: unknown[] = [limit];
  const conditions = conditionsOf(filter, after, params);
  const { rows } = await db.query<{ row_count: number; last_time: string | null; last_id: number | null }>(
    `SELECT count(*)::int AS row_count,
            to_char(max(page.t) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS last_time,
            (array_agg(page.k ORDER BY page.t, page.k))[count(*)] AS last_id
       FROM (SELECT x.${time} AS t, x.id AS k FROM ${TABLES[filter.table].name} AS x
              ${where(conditions)}
              ORDER BY x.${time}, x.id
              LIMIT $1) AS page`,
    params,
  );
  const row = rows[0]!;
  return {
    rowCount: row.row_count,
    last: row.last_time === null ? null : { time: row.last_time, id: Number(row.last_id) },
  };
}

/** The rows after `after` up to `last` included (a page found by findExportPageEnd), formatted and joined. */
export async function readExportPage(
  db: Queryable,
  filter: ExportFilter,
  format: ExportFormat,
  range: { after: ExportCursor | null; last: ExportCursor },
  separator: string,
): Promise<ExportPage> {
  const table = TABLES[filter.table];
  const params: unknown[] = [separator];
  const conditions = conditionsOf(filter, range.after, params);
  const last = `$${params.push(range.last.time)}::timestamptz`;
  conditions.push(
    `x.${table.time} <= ${last}`,
    `(x.${table.time}, x.id) <= (${last}, $${params.push(range.last.id)}::bigint)`,
  );
  const columns = EXPORT_COLUMNS[filter.table];
  const line = format === 'json' ? jsonLine(table, columns) : csvLine(table, columns);
  // The aggregate names its order: PostgreSQL does not promise to feed it the subquery's order otherwise.
  // (From PostgreSQL 16 on, that costs no sort: the subquery is already in that order.)
  const { rows } = await db.query<{ text: string | null; row_count: number }>(
    `SELECT string_agg(page.line, $1::text ORDER BY page.t, page.k) AS text, count(*)::int AS row_count
       FROM (SELECT x.${table.time} AS t, x.id AS k, ${line} AS line FROM ${table.name} AS x
              ${where(conditions)}) AS page`,
    params,
  );
  return { text: rows[0]!.text ?? '', rowCount: rows[0]!.row_count };
}
