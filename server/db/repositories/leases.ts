// monitoring.baux: monitor leases, one per monitor × location, valid while the holding instance heartbeats.
import type { Queryable } from '../types.ts';

/** The lease owner, its location and the lease time (ms): an instance silent for longer holds nothing. */
export interface LeaseOwner {
  instanceId: string;
  location: string;
  ttlMs: number;
}

/** A lease this instance holds: the monitor, and the fencing token of this claim (results are written with it). */
export interface HeldLease {
  monitorId: number;
  token: string;
}

interface HeldLeaseRow {
  moniteur_id: number;
  jeton: string;
}

const toHeldLease = (row: HeldLeaseRow): HeldLease => ({ monitorId: row.moniteur_id, token: row.jeton });

export interface LeaseCounts {
  /** Live instances of the location, the owner included. */
  instances: number;
  /** Active monitors checked from the location, each of which needs a lease there. */
  monitors: number;
  /** Leases the owner holds. */
  held: number;
  /**
   * In how many ms the first other live instance of the location is seen dead if it heartbeats no more (its leases
   * may be claimed from then on); null when there is none.
   */
  othersLapseInMs: number | null;
}

const LIVE = `vu_a > now() - make_interval(secs => $3::double precision / 1000)`;
/** A monitor the location $2 may check: active, and naming no locations (all) or naming it. */
const ACTIVE_HERE = (m: string) => `NOT ${m}.en_pause AND (${m}.emplacements IS NULL OR $2 = ANY (${m}.emplacements))`;
/**
 * A monitor the location $2 checks: active there, and not a heartbeat whose single lease a live instance of another
 * location holds (a heartbeat is evaluated in one location: see sql/019_battements_planifies.sql). $3 is the lease time.
 */
const CHECKED_HERE = (m: string) => `${ACTIVE_HERE(m)}
  AND NOT (${m}.type = 'push' AND EXISTS (
        SELECT 1 FROM monitoring.baux o JOIN monitoring.instances oi ON oi.id = o.instance_id AND oi.${LIVE}
         WHERE o.moniteur_id = ${m}.id AND o.emplacement <> $2))`;

export async function countLeases(db: Queryable, owner: LeaseOwner): Promise<LeaseCounts> {
  const { rows } = await db.query<LeaseCounts>(
    `SELECT (SELECT count(*)::int FROM monitoring.instances WHERE emplacement = $2 AND ${LIVE}) AS instances,
            (SELECT count(*)::int FROM monitoring.moniteurs m WHERE ${CHECKED_HERE('m')}) AS monitors,
            (SELECT count(*)::int FROM monitoring.baux WHERE instance_id = $1 AND emplacement = $2) AS held,
            (SELECT extract(epoch FROM min(vu_a) - now())::float8 * 1000 + $3
               FROM monitoring.instances WHERE emplacement = $2 AND id <> $1 AND ${LIVE}) AS "othersLapseInMs"`,
    [owner.instanceId, owner.location, owner.ttlMs],
  );
  return rows[0]!;
}

/**
 * Claims up to `limit` leases of active monitors checked from the owner's location: first those whose instance is dead
 * (a heartbeat's single lease also from another location, once none of that location's instances is alive) (rows locked with SKIP
 * LOCKED, so that instances claiming together share them out instead of waiting for each other, and skipping a
 * lease whose old holder is storing a result under it right now), then monitors no one holds (a unique key
 * settles a race). Each claim gets a new fencing token. Answers the leases claimed.
 */
export async function claimLeases(db: Queryable, owner: LeaseOwner, limit: number): Promise<HeldLease[]> {
  const params = [owner.instanceId, owner.location, owner.ttlMs, limit];
  const { rows: taken } = await db.query<HeldLeaseRow>(
    `WITH expired AS (
       SELECT b.moniteur_id, b.emplacement FROM monitoring.baux b
         JOIN monitoring.moniteurs m ON m.id = b.moniteur_id AND ${ACTIVE_HERE('m')}
        WHERE b.instance_id <> $1
          AND (b.emplacement = $2
               OR (b.unique_emplacement AND NOT EXISTS (
                     SELECT 1 FROM monitoring.instances li WHERE li.emplacement = b.emplacement AND li.${LIVE})))
          AND NOT EXISTS (SELECT 1 FROM monitoring.instances i WHERE i.id = b.instance_id AND i.${LIVE})
        LIMIT $4
          FOR UPDATE OF b SKIP LOCKED)
     UPDATE monitoring.baux b
        SET instance_id = $1, emplacement = $2, pris_a = now(), jeton = nextval('monitoring.baux_jetons')
       FROM expired e
      WHERE b.moniteur_id = e.moniteur_id AND b.emplacement = e.emplacement
     RETURNING b.moniteur_id, b.jeton::text AS jeton`,
    params,
  );
  const left = limit - taken.length;
  if (left <= 0) return taken.map(toHeldLease);
  // Random order: instances claiming at once mostly pick different monitors rather than queue on the same keys.
  const { rows: free } = await db.query<HeldLeaseRow>(
    `INSERT INTO monitoring.baux (moniteur_id, emplacement, instance_id, unique_emplacement)
     SELECT m.id, $2, $1, m.type = 'push' FROM monitoring.moniteurs m
      WHERE ${CHECKED_HERE('m')}
        AND NOT EXISTS (SELECT 1 FROM monitoring.baux b WHERE b.moniteur_id = m.id AND b.emplacement = $2)
      ORDER BY random()
      LIMIT $4
     ON CONFLICT DO NOTHING
     RETURNING moniteur_id, jeton::text AS jeton`,
    [owner.instanceId, owner.location, owner.ttlMs, left],
  );
  return [...taken, ...free].map(toHeldLease);
}

/** Hands leases back (they become free to claim). Answers the ids that were still held. */
export async function releaseLeases(db: Queryable, owner: LeaseOwner, monitorIds: number[]): Promise<number[]> {
  if (monitorIds.length === 0) return [];
  const { rows } = await db.query<{ moniteur_id: number }>(
    `DELETE FROM monitoring.baux WHERE instance_id = $1 AND emplacement = $2 AND moniteur_id = ANY($3::int[])
     RETURNING moniteur_id`,
    [owner.instanceId, owner.location, monitorIds],
  );
  return rows.map((row) => row.moniteur_id);
}

/** The leases the owner holds, as the database has it. */
export async function listHeldLeases(db: Queryable, owner: LeaseOwner): Promise<HeldLease[]> {
  const { rows } = await db.query<HeldLeaseRow>(
    `SELECT moniteur_id, jeton::text AS jeton FROM monitoring.baux WHERE instance_id = $1 AND emplacement = $2`,
    [owner.instanceId, owner.location],
  );
  return rows.map(toHeldLease);
}

/** The live instance holding a monitor's lease in the owner's location; null when none does. */
export async function findLeaseHolder(db: Queryable, owner: LeaseOwner, monitorId: number): Promise<string | null> {
  const { rows } = await db.query<{ instance_id: string }>(
    `SELECT b.instance_id FROM monitoring.baux b JOIN monitoring.instances i ON i.id = b.instance_id
      WHERE b.moniteur_id = $1 AND b.emplacement = $2 AND i.${LIVE}`,
    [monitorId, owner.location, owner.ttlMs],
  );
  return rows[0]?.instance_id ?? null;
}

/** Sends a message to the other instances (on a channel no trigger notifies). */
export async function notifyInstances(db: Queryable, channel: string, payload: string): Promise<void> {
  await db.query('SELECT pg_notify($1, $2)', [channel, payload]);
}
