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

// The instance's location (the parameter) is known, and present again if it was gone, in the statement that
// registers it.
const locationPresent = (param: string) => `WITH emplacement AS (
  INSERT INTO monitoring.emplacements (nom) VALUES (${param}) ON CONFLICT (nom) DO UPDATE SET disparu_a = NULL)`;

export async function insertInstance(db: Queryable, identity: InstanceIdentity): Promise<Instance> {
  const { rows } = await db.query<InstanceRow>(
    `${locationPresent('$2')}
     INSERT INTO monitoring.instances (nom, emplacement, version) VALUES ($1, $2, $3) RETURNING *`,
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
    `${locationPresent('$3')}
     INSERT INTO monitoring.instances (id, nom, emplacement, version, demarre_a) VALUES ($1, $2, $3, $4, $5)
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

/** A location none of whose instances is alive: it drops out of the quorum of its monitors. */
export interface GoneLocation {
  location: string;
  goneAt: Date;
}

export interface LocationChanges {
  /** Locations this call found gone (each is found so by one caller only, once). */
  gone: string[];
  /** The caller's own location, which had been found gone, present again. */
  back: boolean;
  /** Every location gone now. */
  allGone: GoneLocation[];
}

/**
 * Marks gone the locations none of whose instances heartbeat within the last goneAfterMs (the caller's own
 * excepted: it is alive), and the caller's location present again. Concurrent callers cannot both mark one location:
 * the second finds it marked.
 */
export async function markGoneLocations(
  db: Queryable,
  ownLocation: string,
  goneAfterMs: number,
): Promise<LocationChanges> {
  const { rows } = await db.query<{ change: 'gone' | 'back' | 'all'; nom: string; disparu_a: Date | null }>(
    `WITH back AS (
       UPDATE monitoring.emplacements SET disparu_a = NULL WHERE nom = $1 AND disparu_a IS NOT NULL RETURNING nom),
     gone AS (
       UPDATE monitoring.emplacements e SET disparu_a = now()
        WHERE e.disparu_a IS NULL AND e.nom <> $1
          AND NOT EXISTS (SELECT 1 FROM monitoring.instances i
                           WHERE i.emplacement = e.nom
                             AND i.vu_a > now() - make_interval(secs => $2::double precision / 1000))
       RETURNING nom, disparu_a)
     SELECT 'back' AS change, nom, NULL::timestamptz AS disparu_a FROM back
     UNION ALL SELECT 'gone', nom, disparu_a FROM gone
     UNION ALL SELECT 'all', nom, disparu_a FROM monitoring.emplacements WHERE disparu_a IS NOT NULL AND nom <> $1
     ORDER BY 2`,
    [ownLocation, goneAfterMs],
  );
  const gone = rows.filter((row) => row.change === 'gone');
  // The statement's snapshot does not see its own updates: the locations it marked are added to the others.
  const allGone = [...rows.filter((row) => row.change === 'all'), ...gone].map((row) => ({
    location: row.nom,
    goneAt: row.disparu_a!,
  }));
  allGone.sort((a, b) => a.location.localeCompare(b.location));
  return { gone: gone.map((row) => row.nom), back: rows.some((row) => row.change === 'back'), allGone };
}
