// monitoring.livraisons: claiming due deliveries with SKIP LOCKED and recording their outcome.
import type { Delivery, DeliveryStatus } from '../../types/index.ts';
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

export async function listDeliveries(
  db: Queryable,
  filter: { alertIds?: number[] | null; status?: DeliveryStatus | null; limit: number },
): Promise<Delivery[]> {
  const statut = filter.status
    ? Object.entries(STATUS_FROM_ROW).find(([, status]) => status === filter.status)![0]
    : null;
  const { rows } = await db.query<DeliveryRow>(
    `SELECT * FROM monitoring.livraisons
      WHERE ($1::bigint[] IS NULL OR alerte_id = ANY($1))
        AND ($2::text IS NULL OR statut = $2)
      ORDER BY id DESC
      LIMIT $3`,
    [filter.alertIds ?? null, statut, filter.limit],
  );
  return rows.map(toDelivery);
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
