// monitoring.instances <-> Instance: registering, heartbeating and listing the Vigie instances of one database.
import type { Instance, InstanceIdentity } from '../../types/index.ts';
import type { Queryable } from '../types.ts';

interface InstanceRow {
  id: string;
  nom: string;
  emplacement: string;
  version: string;
  demarre_a: Date;
  vu_a: Date;
  moniteurs: number;
}

function toInstance(row: InstanceRow): Instance {
  return {
    id: row.id,
    name: row.nom,
    location: row.emplacement,
    version: row.version,
    startedAt: row.demarre_a,
    lastSeenAt: row.vu_a,
    monitorCount: row.moniteurs,
  };
}

/** Dead instances' rows are removed after this long (their monitors were taken over long before). */
const PURGE_AFTER = '1 hour';

export async function insertInstance(db: Queryable, identity: InstanceIdentity): Promise<Instance> {
  const { rows } = await db.query<InstanceRow>(
    `INSERT INTO monitoring.instances (nom, emplacement, version) VALUES ($1, $2, $3) RETURNING *`,
    [identity.name, identity.location, identity.version],
  );
  return toInstance(rows[0]!);
}

/**
 * Records a heartbeat and how many monitors the instance checks. Answers whether the previous heartbeat was older
 * than ttlMs (others may have taken its monitors over meanwhile), or null when its row is gone (purged as dead
 * after a long stall): the caller registers again.
 */
export async function heartbeatInstance(
  db: Queryable,
  id: string,
  monitorCount: number,
  ttlMs: number,
): Promise<{ lapsed: boolean } | null> {
  const { rows } = await db.query<{ lapsed: boolean }>(
    `UPDATE monitoring.instances i SET vu_a = now(), moniteurs = $2
       FROM monitoring.instances avant
      WHERE i.id = $1 AND avant.id = $1
     RETURNING avant.vu_a <= now() - make_interval(secs => $3::double precision / 1000) AS lapsed`,
    [id, monitorCount, ttlMs],
  );
  return rows[0] ?? null;
}

/** Puts back the row of an instance that was purged, under the same id. */
export async function restoreInstance(
  db: Queryable,
  id: string,
  identity: InstanceIdentity,
  startedAt: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO monitoring.instances (id, nom, emplacement, version, demarre_a) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET vu_a = now()`,
    [id, identity.name, identity.location, identity.version, startedAt],
  );
}

/** A clean stop: the row goes, and with it what the instance held. */
export async function deleteInstance(db: Queryable, id: string): Promise<void> {
  await db.query(`DELETE FROM monitoring.instances WHERE id = $1`, [id]);
}

/** Removes the rows of every other instance (the embedded database is opened by one process: they are dead). */
export async function deleteOtherInstances(db: Queryable, id: string): Promise<void> {
  await db.query(`DELETE FROM monitoring.instances WHERE id <> $1`, [id]);
}

/** Removes the rows of instances dead for long. */
export async function purgeDeadInstances(db: Queryable): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM monitoring.instances WHERE vu_a < now() - $1::interval`, [
    PURGE_AFTER,
  ]);
  return rowCount;
}

/** Instances that heartbeat within the last ttlMs, by location then name. */
export async function listLiveInstances(db: Queryable, ttlMs: number): Promise<Instance[]> {
  const { rows } = await db.query<InstanceRow>(
    `SELECT * FROM monitoring.instances
      WHERE vu_a > now() - make_interval(secs => $1::double precision / 1000)
      ORDER BY emplacement, nom, demarre_a, id`,
    [ttlMs],
  );
  return rows.map(toInstance);
}
