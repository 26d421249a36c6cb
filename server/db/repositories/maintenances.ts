// monitoring.maintenances <-> MaintenanceWindow.
import type { MaintenanceWindow } from '../../types/index.ts';
import type { Queryable } from '../types.ts';

interface MaintenanceRow {
  id: number;
  nom: string;
  moniteur_id: number | null;
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
    monitorId: row.moniteur_id,
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
    `INSERT INTO monitoring.maintenances (nom, moniteur_id, debut, fin, cron, duree_minutes, fuseau_horaire)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
    [
      window.name,
      window.monitorId,
      window.startsAt,
      window.endsAt,
      window.cron,
      window.durationMinutes,
      window.timeZone,
    ],
  );
  return toWindow(rows[0]!);
}

/** Windows that apply to any of the given monitors (or to all monitors); null monitorIds: every window. */
export async function listMaintenances(
  db: Queryable,
  monitorIds: number[] | null = null,
): Promise<MaintenanceWindow[]> {
  const { rows } = await db.query<MaintenanceRow>(
    `SELECT * FROM monitoring.maintenances
      WHERE $1::int[] IS NULL OR moniteur_id IS NULL OR moniteur_id = ANY($1)
      ORDER BY id`,
    [monitorIds],
  );
  return rows.map(toWindow);
}

export async function getMaintenance(db: Queryable, id: number): Promise<MaintenanceWindow | null> {
  const { rows } = await db.query<MaintenanceRow>('SELECT * FROM monitoring.maintenances WHERE id = $1', [id]);
  return rows[0] ? toWindow(rows[0]) : null;
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
        SET nom = $2, moniteur_id = $3, debut = $4, fin = $5, cron = $6, duree_minutes = $7, fuseau_horaire = $8
      WHERE id = $1 RETURNING *`,
    [
      id,
      window.name,
      window.monitorId,
      window.startsAt,
      window.endsAt,
      window.cron,
      window.durationMinutes,
      window.timeZone,
    ],
  );
  return rows[0] ? toWindow(rows[0]) : null;
}
