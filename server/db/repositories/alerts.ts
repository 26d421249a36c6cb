// monitoring.alertes and monitoring.transitions <-> Alert and StatusTransition.
import type { Alert, AlertKind, MonitorStatus, StatusTransition } from '../../types/index.ts';
import type { Queryable } from '../types.ts';

interface AlertRow {
  id: number;
  moniteur_id: number | null;
  type: AlertKind;
  cause: string | null;
  statut_id: number | null;
  emplacements: string[] | null;
  cree_a: Date;
  acquittee_a: Date | null;
}

interface TransitionRow {
  id: number;
  moniteur_id: number;
  precedent: MonitorStatus;
  etat: MonitorStatus;
  statut_id: number | null;
  cree_a: Date;
}

function toAlert(row: AlertRow): Alert {
  return {
    id: row.id,
    monitorId: row.moniteur_id,
    kind: row.type,
    cause: row.cause,
    resultId: row.statut_id,
    locations: row.emplacements,
    createdAt: row.cree_a,
    acknowledgedAt: row.acquittee_a,
  };
}

function toTransition(row: TransitionRow): StatusTransition {
  return {
    id: row.id,
    monitorId: row.moniteur_id,
    previous: row.precedent,
    status: row.etat,
    resultId: row.statut_id,
    changedAt: row.cree_a,
  };
}

const ALERT_COLUMNS = 'id, moniteur_id, type, cause, statut_id, emplacements, cree_a, acquittee_a';

export interface AlertFilter {
  monitorIds?: number[] | null;
  acknowledged?: boolean | null;
  kinds?: AlertKind[] | null;
  /** Only alerts with an id below this (cursor pagination, newest first). */
  beforeId?: number | null;
  limit: number;
}

/** Newest first. */
export async function listAlerts(db: Queryable, filter: AlertFilter): Promise<Alert[]> {
  const { rows } = await db.query<AlertRow>(
    `SELECT ${ALERT_COLUMNS} FROM monitoring.alertes
      WHERE ($1::int[] IS NULL OR moniteur_id = ANY($1))
        AND ($2::boolean IS NULL OR (acquittee_a IS NOT NULL) = $2)
        AND ($3::bigint IS NULL OR id < $3)
        AND ($5::text[] IS NULL OR type = ANY($5))
      ORDER BY id DESC
      LIMIT $4`,
    [
      filter.monitorIds ?? null,
      filter.acknowledged ?? null,
      filter.beforeId ?? null,
      filter.limit,
      filter.kinds ?? null,
    ],
  );
  return rows.map(toAlert);
}

/** The latest `limit` alerts of each given monitor, newest first, in one statement. */
export async function listRecentAlertsOfMonitors(db: Queryable, monitorIds: number[], limit: number): Promise<Alert[]> {
  const { rows } = await db.query<AlertRow>(
    `SELECT a.* FROM unnest($1::int[]) AS ids(moniteur_id)
       CROSS JOIN LATERAL (
         SELECT ${ALERT_COLUMNS} FROM monitoring.alertes a
          WHERE a.moniteur_id = ids.moniteur_id
          ORDER BY a.id DESC
          LIMIT $2) a`,
    [monitorIds, limit],
  );
  return rows.map(toAlert);
}

/** Oldest first: alerts above afterId, plus the given ids that were missing (see events/table-tail.ts). */
export async function listAlertsAfter(
  db: Queryable,
  afterId: number,
  holes: number[],
  limit: number,
): Promise<Alert[]> {
  const { rows } = await db.query<AlertRow>(
    `SELECT ${ALERT_COLUMNS} FROM monitoring.alertes WHERE id > $1 OR id = ANY($2::bigint[]) ORDER BY id LIMIT $3`,
    [afterId, holes, limit],
  );
  return rows.map(toAlert);
}

/**
 * How long after its check ended the alert was written, in seconds (0 when at once): more than a moment when the
 * result waited through a database outage. Null for an alert without a check (notices about Vigie).
 */
export async function alertWriteDelaySeconds(db: Queryable, alertId: number): Promise<number | null> {
  const { rows } = await db.query<{ delay: number }>(
    `SELECT greatest(0, extract(epoch FROM a.enregistre_a - a.cree_a) - s.latence_ms / 1000.0)::float8 AS delay
       FROM monitoring.alertes a
       JOIN monitoring.statuts s ON s.id = a.statut_id AND s.moniteur_id = a.moniteur_id
      WHERE a.id = $1`,
    [alertId],
  );
  return rows[0]?.delay ?? null;
}

/**
 * When the outage a monitor recovered from at `upAt` began: its first failed check after its last successful one
 * (the first check at all for a monitor down from the start). Null when no failed check precedes `upAt`.
 */
export async function getOutageStart(db: Queryable, monitorId: number, upAt: Date): Promise<Date | null> {
  const { rows } = await db.query<{ depuis: Date | null }>(
    `SELECT min(s.verifie_a) AS depuis FROM monitoring.statuts s
      WHERE s.moniteur_id = $1 AND s.verifie_a < $2 AND NOT s.est_disponible
        AND s.verifie_a > coalesce((SELECT max(u.verifie_a) FROM monitoring.statuts u
                                     WHERE u.moniteur_id = $1 AND u.verifie_a < $2 AND u.est_disponible),
                                   '-infinity')`,
    [monitorId, upAt],
  );
  return rows[0]?.depuis ?? null;
}

export async function getAlert(db: Queryable, id: number): Promise<Alert | null> {
  const { rows } = await db.query<AlertRow>(`SELECT ${ALERT_COLUMNS} FROM monitoring.alertes WHERE id = $1`, [id]);
  return rows[0] ? toAlert(rows[0]) : null;
}

/** The alerts of the given ids, in their order (null for an id that has none). */
export async function getAlertsByIds(db: Queryable, ids: readonly number[]): Promise<Array<Alert | null>> {
  const { rows } = await db.query<AlertRow>(
    `SELECT ${ALERT_COLUMNS} FROM monitoring.alertes WHERE id = ANY($1::bigint[])`,
    [[...ids]],
  );
  const byId = new Map(rows.map((row) => [Number(row.id), toAlert(row)]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** Sets the acknowledgement time once; returns null when the alert does not exist. */
export async function acknowledgeAlert(db: Queryable, id: number): Promise<Alert | null> {
  const { rows } = await db.query<AlertRow>(
    `UPDATE monitoring.alertes SET acquittee_a = coalesce(acquittee_a, now()) WHERE id = $1 RETURNING ${ALERT_COLUMNS}`,
    [id],
  );
  return rows[0] ? toAlert(rows[0]) : null;
}

export async function listTransitionsAfter(
  db: Queryable,
  afterId: number,
  holes: number[],
  limit: number,
): Promise<StatusTransition[]> {
  const { rows } = await db.query<TransitionRow>(
    `SELECT id, moniteur_id, precedent, etat, statut_id, cree_a FROM monitoring.transitions
      WHERE id > $1 OR id = ANY($2::bigint[]) ORDER BY id LIMIT $3`,
    [afterId, holes, limit],
  );
  return rows.map(toTransition);
}

/** The highest alert id (0 when none), where a live stream of alerts starts. */
export async function getLatestAlertId(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ id: number }>('SELECT coalesce(max(id), 0) AS id FROM monitoring.alertes');
  return Number(rows[0]!.id);
}

/** The highest transition id (0 when none), where a live stream of transitions starts. */
export async function getLatestTransitionId(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ id: number }>('SELECT coalesce(max(id), 0) AS id FROM monitoring.transitions');
  return Number(rows[0]!.id);
}
