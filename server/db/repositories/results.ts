// monitoring.statuts <-> CheckResult. Batched writes go through one INSERT ... SELECT FROM unnest(...).
import { DEFAULT_LOCATION, type CheckResult, type FailureCause, type NewCheckResult } from '../../types/index.ts';
import type { Queryable } from '../types.ts';

interface ResultRow {
  id: number;
  moniteur_id: number | null;
  est_disponible: boolean;
  code_http: number | null;
  latence_ms: number;
  verifie_a: Date;
  url: string;
  cause: FailureCause | null;
  erreur: string | null;
  duree_dns_ms: number | null;
  duree_connexion_ms: number | null;
  duree_tls_ms: number | null;
  duree_premier_octet_ms: number | null;
  jours_certificat: number | null;
  expiration_certificat: Date | null;
  emplacement: string;
}

function toResult(row: ResultRow): CheckResult {
  const hasTimings = row.duree_connexion_ms !== null || row.duree_dns_ms !== null;
  return {
    id: row.id,
    monitorId: row.moniteur_id,
    isUp: row.est_disponible,
    httpStatus: row.code_http,
    latencyMs: row.latence_ms,
    checkedAt: row.verifie_a,
    target: row.url,
    cause: row.cause,
    error: row.erreur,
    timings: hasTimings
      ? {
          dnsMs: row.duree_dns_ms,
          connectMs: row.duree_connexion_ms,
          tlsMs: row.duree_tls_ms,
          firstByteMs: row.duree_premier_octet_ms,
          totalMs: row.latence_ms,
        }
      : null,
    certificateDaysLeft: row.jours_certificat,
    certificateExpiresAt: row.expiration_certificat,
    location: row.emplacement,
  };
}

const COLUMNS = `moniteur_id, est_disponible, code_http, latence_ms, verifie_a, url, cause, erreur,
  duree_dns_ms, duree_connexion_ms, duree_tls_ms, duree_premier_octet_ms, jours_certificat, emplacement,
  expiration_certificat`;

const UNNEST_COLUMNS = COLUMNS.split(',')
  .map((name) => `r.${name.trim()}`)
  .join(', ');

const roundOrNull = (value: number | null | undefined) => (value == null ? null : Math.round(value));

/**
 * The parameters of INSERT_RESULTS: one array per column, rows in (monitor, time) order so that concurrent
 * batches lock the monitors' state rows in the same order and cannot deadlock.
 */
function resultColumns(results: readonly NewCheckResult[]): unknown[] {
  const sorted = [...results].sort(
    (a, b) => (a.monitorId ?? 0) - (b.monitorId ?? 0) || a.checkedAt.getTime() - b.checkedAt.getTime(),
  );
  const column = <T>(pick: (result: NewCheckResult) => T) => sorted.map(pick);
  return [
    column((r) => r.monitorId),
    column((r) => r.isUp),
    column((r) => r.httpStatus),
    column((r) => Math.max(0, Math.round(r.latencyMs))),
    column((r) => r.checkedAt),
    column((r) => r.target),
    column((r) => r.cause),
    column((r) => r.error),
    column((r) => roundOrNull(r.timings?.dnsMs)),
    column((r) => roundOrNull(r.timings?.connectMs)),
    column((r) => roundOrNull(r.timings?.tlsMs)),
    column((r) => roundOrNull(r.timings?.firstByteMs)),
    column((r) => r.certificateDaysLeft),
    column((r) => r.location ?? DEFAULT_LOCATION),
    column((r) => r.certificateExpiresAt),
    column((r) => r.leaseToken ?? null),
  ];
}

/**
 * One statement writes a batch. `fence` locks (FOR KEY SHARE, in monitor order) the leases the results were checked
 * under, when they still have the result's token: a lease taken over meanwhile (its token changed) drops the result,
 * and a takeover skips (SKIP LOCKED) a lease whose result is being stored, so the new holder schedules from it.
 * Results of monitors deleted or paused meanwhile (no lease left) are skipped too, and not counted as fenced.
 */
const writeStatement = (returning: string) => `
  WITH r AS (
    SELECT * FROM unnest($1::int[], $2::bool[], $3::int[], $4::int[], $5::timestamptz[], $6::text[], $7::text[],
                         $8::text[], $9::int[], $10::int[], $11::int[], $12::int[], $13::int[], $14::text[],
                         $15::timestamptz[], $16::bigint[])
           WITH ORDINALITY AS r(${COLUMNS}, jeton, position)),
  fence AS (
    SELECT b.moniteur_id, b.jeton FROM monitoring.baux b
     WHERE b.moniteur_id = ANY($1::int[]) AND b.jeton = ANY($16::bigint[])
     ORDER BY b.moniteur_id
       FOR KEY SHARE),
  fenced AS (
    SELECT r.position, EXISTS (SELECT 1 FROM monitoring.baux b WHERE b.moniteur_id = r.moniteur_id) AS taken_over
      FROM r
     WHERE r.jeton IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM fence f WHERE f.moniteur_id = r.moniteur_id AND f.jeton = r.jeton)),
  written AS (
    INSERT INTO monitoring.statuts (${COLUMNS})
    SELECT ${UNNEST_COLUMNS} FROM r
     WHERE (r.moniteur_id IS NULL OR EXISTS (SELECT 1 FROM monitoring.moniteurs m WHERE m.id = r.moniteur_id))
       AND r.position NOT IN (SELECT position FROM fenced)
     ORDER BY r.position
    RETURNING ${returning})
  `;

const WRITE_COUNTING = `${writeStatement('1')}
  SELECT (SELECT count(*) FROM written)::int AS written, (SELECT count(*) FROM fenced WHERE taken_over)::int AS fenced`;

const WRITE_RETURNING_ROWS = `${writeStatement('*')} SELECT * FROM written`;

/** What a batch write did: rows stored, and results dropped because another instance took their lease over meanwhile. */
export interface ResultsWritten {
  written: number;
  fenced: number;
}

/**
 * Writes results in one statement: every result write goes through it, a scheduler batch as a one-off check.
 * Results of monitors deleted meanwhile, and results whose lease moved on (see writeStatement), are skipped.
 */
export async function writeResults(db: Queryable, results: readonly NewCheckResult[]): Promise<ResultsWritten> {
  if (results.length === 0) return { written: 0, fenced: 0 };
  const { rows } = await db.query<ResultsWritten>(WRITE_COUNTING, resultColumns(results));
  return rows[0]!;
}

/**
 * writeResults answering how many rows were written, or with `{ returnRows: true }` the written rows with their
 * ids (one-off checks, "check now"; the batches of the scheduler do not pay for RETURNING).
 */
export async function insertResults(db: Queryable, results: readonly NewCheckResult[]): Promise<number>;
export async function insertResults(
  db: Queryable,
  results: readonly NewCheckResult[],
  options: { returnRows: true },
): Promise<CheckResult[]>;
export async function insertResults(
  db: Queryable,
  results: readonly NewCheckResult[],
  options?: { returnRows: true },
): Promise<number | CheckResult[]> {
  if (options?.returnRows) {
    if (results.length === 0) return [];
    const { rows } = await db.query<ResultRow>(WRITE_RETURNING_ROWS, resultColumns(results));
    return rows.map(toResult);
  }
  return (await writeResults(db, results)).written;
}

/** Newest first, across all monitors and one-off checks; only those of `location` when given. */
export async function listLatestResults(
  db: Queryable,
  limit: number,
  location: string | null = null,
): Promise<CheckResult[]> {
  const { rows } = await db.query<ResultRow>(
    `SELECT * FROM monitoring.statuts WHERE ($2::text IS NULL OR emplacement = $2)
      ORDER BY verifie_a DESC, id DESC LIMIT $1`,
    [limit, location],
  );
  return rows.map(toResult);
}

/** One result by id; null when it is gone. */
export async function getResult(db: Queryable, id: number): Promise<CheckResult | null> {
  const { rows } = await db.query<ResultRow>(`SELECT * FROM monitoring.statuts WHERE id = $1`, [id]);
  return rows[0] ? toResult(rows[0]) : null;
}

/** A monitor's results, newest first; only those of `location` when given. */
export async function listMonitorResults(
  db: Queryable,
  monitorId: number,
  limit: number,
  location: string | null = null,
): Promise<CheckResult[]> {
  const { rows } = await db.query<ResultRow>(
    `SELECT * FROM monitoring.statuts WHERE moniteur_id = $1 AND ($3::text IS NULL OR emplacement = $3)
      ORDER BY verifie_a DESC, id DESC LIMIT $2`,
    [monitorId, limit, location],
  );
  return rows.map(toResult);
}

/** The latest `limit` results of each given monitor, newest first, in one statement. */
export async function listRecentResultsOfMonitors(
  db: Queryable,
  monitorIds: number[],
  limit: number,
): Promise<CheckResult[]> {
  const { rows } = await db.query<ResultRow>(
    `SELECT s.* FROM unnest($1::int[]) AS ids(moniteur_id)
       CROSS JOIN LATERAL (
         SELECT * FROM monitoring.statuts s
          WHERE s.moniteur_id = ids.moniteur_id
          ORDER BY s.verifie_a DESC, s.id DESC
          LIMIT $2) s`,
    [monitorIds, limit],
  );
  return rows.map(toResult);
}

export interface ResultPage {
  monitorId: number | null;
  from: Date | null;
  to: Date | null;
  /** Keyset cursor: results strictly older than (checkedAt, id). */
  before: { checkedAt: Date; id: number } | null;
  limit: number;
  /** Only the results checked from this location; null or absent: every location. */
  location?: string | null;
}

/** Newest first, for cursor pagination; monitorId null means every monitor and one-off check. */
export async function listResultPage(db: Queryable, page: ResultPage): Promise<CheckResult[]> {
  const { rows } = await db.query<ResultRow>(
    `SELECT * FROM monitoring.statuts
      WHERE ($1::int IS NULL OR moniteur_id = $1)
        AND ($2::timestamptz IS NULL OR verifie_a >= $2)
        AND ($3::timestamptz IS NULL OR verifie_a < $3)
        AND ($4::timestamptz IS NULL OR (verifie_a, id) < ($4, $5::bigint))
        AND ($7::text IS NULL OR emplacement = $7)
      ORDER BY verifie_a DESC, id DESC
      LIMIT $6`,
    [
      page.monitorId,
      page.from,
      page.to,
      page.before?.checkedAt ?? null,
      page.before?.id ?? null,
      page.limit,
      page.location ?? null,
    ],
  );
  return rows.map(toResult);
}

/** Oldest first: the results a live subscriber has not seen yet. */
export async function listResultsAfter(
  db: Queryable,
  afterId: number,
  holes: number[],
  limit: number,
): Promise<CheckResult[]> {
  const { rows } = await db.query<ResultRow>(
    `SELECT * FROM monitoring.statuts WHERE id > $1 OR id = ANY($2::bigint[]) ORDER BY id LIMIT $3`,
    [afterId, holes, limit],
  );
  return rows.map(toResult);
}

/** The highest result id (0 when none), where a live stream of results starts. */
export async function getLatestResultId(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ id: number }>('SELECT coalesce(max(id), 0) AS id FROM monitoring.statuts');
  return Number(rows[0]!.id);
}

/**
 * Empties all monitoring data: monitors with their results, state, alerts, deliveries and the maintenance
 * windows naming only them. Channels and maintenance windows for all monitors or by tag are configuration, and stay. Run it in a
 * transaction.
 */
export async function deleteAllData(db: Queryable): Promise<void> {
  // The large tables are truncated; monitors are deleted, as maintenance windows (kept) still reference the table.
  await db.query(
    `TRUNCATE monitoring.livraisons, monitoring.alertes, monitoring.transitions, monitoring.statuts,
              monitoring.statuts_horaires, monitoring.etats_moniteurs, monitoring.moniteurs_canaux`,
  );
  // Deleting the monitors removes them from the windows naming them, and the windows naming nothing else
  // (monitoring.retirer_moniteurs_maintenances): windows by tag stay, as configuration.
  await db.query('DELETE FROM monitoring.moniteurs');
}
