// monitoring.livraisons: claiming due deliveries with SKIP LOCKED and recording their outcome.
import type { Delivery, DeliveryChange, DeliveryStatus } from '../../types/index.ts';
import type { Queryable } from '../types.ts';

const STATUS_FROM_ROW: Record<string, DeliveryStatus> = {
  en_attente: 'PENDING',
  livree: 'DELIVERED',
  echouee: 'FAILED',
  supprimee: 'SUPPRESSED',
};

interface DeliveryRow {
  id: number;
  alerte_id: number;
  canal_id: number;
  statut: string;
  tentatives: number;
  prochaine_tentative_a: Date;
  derniere_erreur: string | null;
  raison_suppression: string | null;
  livree_a: Date | null;
  cree_a: Date;
}

function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    alertId: row.alerte_id,
    channelId: row.canal_id,
    status: STATUS_FROM_ROW[row.statut]!,
    attempts: row.tentatives,
    nextAttemptAt: row.prochaine_tentative_a,
    lastError: row.derniere_erreur,
    suppressedReason: row.raison_suppression,
    deliveredAt: row.livree_a,
    createdAt: row.cree_a,
  };
}

export interface ClaimedDelivery {
  id: number;
  alertId: number;
  channelId: number;
  attempts: number;
  token: string;
}

/**
 * Claims up to `limit` due deliveries for `leaseMs`: they are not claimable again until the lease ends, so a
 * worker that dies mid-send only delays its rows. SKIP LOCKED lets several instances claim side by side.
 * A DOWN alert waits `downGraceMs` first, so that a mass failure is seen as one before anything is sent.
 */
export async function claimDueDeliveries(
  db: Queryable,
  options: { limit: number; token: string; leaseMs: number; downGraceMs: number },
): Promise<ClaimedDelivery[]> {
  const { rows } = await db.query<{ id: number; alerte_id: number; canal_id: number; tentatives: number }>(
    `WITH due AS (
       SELECT l.id
         FROM monitoring.livraisons l
         JOIN monitoring.alertes a ON a.id = l.alerte_id
        WHERE l.statut = 'en_attente'
          AND l.prochaine_tentative_a <= now()
          AND (a.type <> 'DOWN' OR l.cree_a <= now() - $4 * interval '1 millisecond')
        ORDER BY l.prochaine_tentative_a, l.id
        LIMIT $1
        FOR UPDATE OF l SKIP LOCKED)
     UPDATE monitoring.livraisons l
        SET tentatives = l.tentatives + 1, jeton = $2, prochaine_tentative_a = now() + $3 * interval '1 millisecond'
       FROM due
      WHERE l.id = due.id
     RETURNING l.id, l.alerte_id, l.canal_id, l.tentatives`,
    [options.limit, options.token, options.leaseMs, options.downGraceMs],
  );
  return rows.map((row) => ({
    id: row.id,
    alertId: row.alerte_id,
    channelId: row.canal_id,
    attempts: row.tentatives,
    token: options.token,
  }));
}

/** The outcome of a claimed delivery; ignored (returns false) when the claim was lost to another worker. */
export type DeliveryOutcome =
  | { status: 'delivered' }
  | { status: 'retry'; error: string; retryInMs: number }
  | { status: 'failed'; error: string }
  | { status: 'suppressed'; reason: string };

export async function recordDeliveryOutcome(
  db: Queryable,
  claim: ClaimedDelivery,
  outcome: DeliveryOutcome,
): Promise<boolean> {
  const statut = { delivered: 'livree', retry: 'en_attente', failed: 'echouee', suppressed: 'supprimee' }[
    outcome.status
  ];
  const { rowCount } = await db.query(
    `UPDATE monitoring.livraisons
        SET statut = $3,
            jeton = NULL,
            livree_a = CASE WHEN $3 = 'livree' THEN now() END,
            derniere_erreur = $4,
            raison_suppression = $5,
            prochaine_tentative_a = CASE WHEN $3 = 'en_attente' THEN now() + $6 * interval '1 millisecond'
                                         ELSE prochaine_tentative_a END
      WHERE id = $1 AND jeton = $2`,
    [
      claim.id,
      claim.token,
      statut,
      outcome.status === 'retry' || outcome.status === 'failed' ? outcome.error : null,
      outcome.status === 'suppressed' ? outcome.reason : null,
      outcome.status === 'retry' ? outcome.retryInMs : 0,
    ],
  );
  return rowCount > 0;
}

export interface DeliveryFilter {
  alertIds?: number[] | null;
  channelIds?: number[] | null;
  status?: DeliveryStatus | null;
  limit: number;
}

export async function listDeliveries(db: Queryable, filter: DeliveryFilter): Promise<Delivery[]> {
  const statut = filter.status
    ? Object.entries(STATUS_FROM_ROW).find(([, status]) => status === filter.status)![0]
    : null;
  const { rows } = await db.query<DeliveryRow>(
    `SELECT * FROM monitoring.livraisons
      WHERE ($1::bigint[] IS NULL OR alerte_id = ANY($1))
        AND ($2::text IS NULL OR statut = $2)
        AND ($4::int[] IS NULL OR canal_id = ANY($4))
      ORDER BY id DESC
      LIMIT $3`,
    [filter.alertIds ?? null, statut, filter.limit, filter.channelIds ?? null],
  );
  return rows.map(toDelivery);
}

export async function getDelivery(db: Queryable, id: number): Promise<Delivery | null> {
  const { rows } = await db.query<DeliveryRow>('SELECT * FROM monitoring.livraisons WHERE id = $1', [id]);
  return rows[0] ? toDelivery(rows[0]) : null;
}

/**
 * Makes a failed delivery, or one waiting for its next try, due now; its attempts so far are kept. A delivery
 * being sent (claimed), delivered or suppressed is left alone: null. A NOTIFY on `wakeChannel` (the one the
 * delivery workers listen to) wakes them in the same statement.
 */
export async function retryDeliveryNow(db: Queryable, id: number, wakeChannel: string): Promise<Delivery | null> {
  const { rows } = await db.query<DeliveryRow>(
    `WITH retried AS (
       UPDATE monitoring.livraisons
          SET statut = 'en_attente', prochaine_tentative_a = now()
        WHERE id = $1 AND (statut = 'echouee' OR (statut = 'en_attente' AND jeton IS NULL))
        RETURNING *)
     SELECT retried.*, pg_notify($2, retried.alerte_id::text) IS NULL AS notified FROM retried`,
    [id, wakeChannel],
  );
  return rows[0] ? toDelivery(rows[0]) : null;
}

interface DeliveryChangeRow extends DeliveryRow {
  version: number;
  moniteur_id: number | null;
}

/** The highest change number of the deliveries (0 when none), where a live stream of their changes starts. */
export async function getLatestDeliveryVersion(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ version: number }>(
    'SELECT coalesce(max(version), 0) AS version FROM monitoring.livraisons',
  );
  return Number(rows[0]!.version);
}

/**
 * Deliveries whose change number is above `afterVersion` or among `holes`, oldest change first (see
 * events/table-tail.ts). A delivery changed again since shows once, with its latest number.
 */
export async function listDeliveryChangesAfter(
  db: Queryable,
  afterVersion: number,
  holes: number[],
  limit: number,
): Promise<DeliveryChange[]> {
  const { rows } = await db.query<DeliveryChangeRow>(
    `SELECT l.*, a.moniteur_id
       FROM monitoring.livraisons l
       JOIN monitoring.alertes a ON a.id = l.alerte_id
      WHERE l.version > $1 OR l.version = ANY($2::bigint[])
      ORDER BY l.version
      LIMIT $3`,
    [afterVersion, holes, limit],
  );
  return rows.map((row) => ({ id: Number(row.version), monitorId: row.moniteur_id, delivery: toDelivery(row) }));
}

/** Whether the monitor's last DOWN before this alert had a delivery suppressed for this reason. */
export async function lastDownSuppressedFor(
  db: Queryable,
  monitorId: number,
  beforeAlertId: number,
  reason: string,
): Promise<boolean> {
  const { rows } = await db.query<{ suppressed: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM monitoring.livraisons l
        WHERE l.raison_suppression = $3
          AND l.alerte_id = (SELECT a.id FROM monitoring.alertes a
                              WHERE a.moniteur_id = $1 AND a.type = 'DOWN' AND a.id < $2
                              ORDER BY a.id DESC LIMIT 1)) AS suppressed`,
    [monitorId, beforeAlertId, reason],
  );
  return rows[0]!.suppressed;
}
