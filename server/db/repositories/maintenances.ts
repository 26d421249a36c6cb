// monitoring.maintenances <-> MaintenanceWindow.
import type { MaintenanceWindow } from '../../types/index.ts';
import type { Queryable } from '../types.ts';

interface MaintenanceRow {
  id: number;
  nom: string;
  moniteurs: number[];
  etiquettes: string[];
  debut: Date | null;
  fin: Date | null;
  cron: string | null;
  duree_minutes: number | null;
  fuseau_horaire: string;
  cree_a: Date;
}

function toWindow(row: MaintenanceRow): MaintenanceWindow {
  return {
    id: row.id,
    name: row.nom,
    monitorIds: row.moniteurs,
    tags: row.etiquettes,
    startsAt: row.debut,
    endsAt: row.fin,
    cron: row.cron,
    durationMinutes: row.duree_minutes,
    timeZone: row.fuseau_horaire,
    createdAt: row.cree_a,
  };
}

export async function insertMaintenance(
  db: Queryable,
  window: Omit<MaintenanceWindow, 'id' | 'createdAt'>,
): Promise<MaintenanceWindow> {
  const { rows } = await db.query<MaintenanceRow>(
    `INSERT INTO monitoring.maintenances (nom, moniteurs, etiquettes, debut, fin, cron, duree_minutes, fuseau_horaire)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
    [
      window.name,
      window.monitorIds,
      window.tags,
      window.startsAt,
      window.endsAt,
      window.cron,
      window.durationMinutes,
      window.timeZone,
    ],
  );
  return toWindow(rows[0]!);
}

/**
 * Windows that cover any of the given monitors (by id, by one of their tags, or as windows for every monitor);
 * null monitorIds: every window.
 */
export async function listMaintenances(
  db: Queryable,
  monitorIds: number[] | null = null,
): Promise<MaintenanceWindow[]> {
  const { rows } = await db.query<MaintenanceRow>(
    `SELECT * FROM monitoring.maintenances w
      WHERE $1::int[] IS NULL
         OR (cardinality(w.moniteurs) = 0 AND cardinality(w.etiquettes) = 0)
         OR EXISTS (SELECT 1 FROM monitoring.moniteurs m
                     WHERE m.id = ANY($1)
                       AND monitoring.maintenance_couvre(w.moniteurs, w.etiquettes, m.id, m.etiquettes))
      ORDER BY w.id`,
    [monitorIds],
  );
  return rows.map(toWindow);
}

export async function getMaintenance(db: Queryable, id: number): Promise<MaintenanceWindow | null> {
  const { rows } = await db.query<MaintenanceRow>('SELECT * FROM monitoring.maintenances WHERE id = $1', [id]);
  return rows[0] ? toWindow(rows[0]) : null;
}

/** Of the given monitor ids, those no monitor has (sorted). */
export async function findMissingMonitorIds(db: Queryable, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<{ id: number }>(
    `SELECT i AS id FROM unnest($1::int[]) AS i
      WHERE NOT EXISTS (SELECT 1 FROM monitoring.moniteurs m WHERE m.id = i)
      ORDER BY i`,
    [ids],
  );
  return rows.map((row) => row.id);
}

export async function deleteMaintenance(db: Queryable, id: number): Promise<boolean> {
  return (await db.query('DELETE FROM monitoring.maintenances WHERE id = $1', [id])).rowCount > 0;
}

export async function updateMaintenance(
  db: Queryable,
  id: number,
  window: Omit<MaintenanceWindow, 'id' | 'createdAt'>,
): Promise<MaintenanceWindow | null> {
  const { rows } = await db.query<MaintenanceRow>(
    `UPDATE monitoring.maintenances
        SET nom = $2, moniteurs = $3, etiquettes = $4, debut = $5, fin = $6, cron = $7, duree_minutes = $8,
            fuseau_horaire = $9
      WHERE id = $1 RETURNING *`,
    [
      id,
      window.name,
      window.monitorIds,
      window.tags,
      window.startsAt,
      window.endsAt,
      window.cron,
      window.durationMinutes,
      window.timeZone,
    ],
  );
  return rows[0] ? toWindow(rows[0]) : null;
}
