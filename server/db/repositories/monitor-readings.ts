// Every monitor with its stored status and its last result, in one statement: what a metrics scrape reads.
import type { CheckKind, MonitorStatus } from '../../types/index.ts';
import type { Queryable } from '../types.ts';

export interface LastResultReading {
  /** The location that made it: a monitor has one last result per location that checks it. */
  location: string;
  isUp: boolean;
  httpStatus: number | null;
  latencyMs: number;
  checkedAt: Date;
  certificateDaysLeft: number | null;
}

export interface MonitorReading {
  id: number;
  name: string;
  kind: CheckKind;
  target: string;
  intervalSeconds: number;
  /** Its tags (a maintenance window may cover it by one). */
  tags: string[];
  /** As stored (MAINTENANCE depends on the clock and is not). */
  status: Exclude<MonitorStatus, 'MAINTENANCE'>;
  /** The last result of each location that checks it, by location; empty before the first check. */
  lastResults: LastResultReading[];
}

interface ReadingRow {
  id: number;
  nom: string;
  type: CheckKind;
  cible: string;
  intervalle_secondes: number;
  etiquettes: string[];
  statut: Exclude<MonitorStatus, 'MAINTENANCE'>;
  emplacement: string | null;
  est_disponible: boolean | null;
  code_http: number | null;
  latence_ms: number | null;
  verifie_a: Date | null;
  jours_certificat: number | null;
}

/**
 * All monitors by id. The last result of each location is found through the state row's view of that location
 * (its time): an index probe per monitor and location, in the time's week partition only, not a scan of the
 * monitor's results.
 */
export async function listMonitorReadings(db: Queryable): Promise<MonitorReading[]> {
  const { rows } = await db.query<ReadingRow>(
    `SELECT m.id, m.nom, m.type, m.cible, m.intervalle_secondes, m.etiquettes,
            monitoring.statut_affiche(coalesce(e.etat, 'PENDING'), coalesce(e.lent, false), m.en_pause) AS statut,
            s.emplacement, s.est_disponible, s.code_http, s.latence_ms, s.verifie_a, s.jours_certificat
       FROM monitoring.moniteurs m
       LEFT JOIN monitoring.etats_moniteurs e ON e.moniteur_id = m.id
       LEFT JOIN LATERAL (
         SELECT s.* FROM unnest(e.vues) AS v
          CROSS JOIN LATERAL (
            SELECT * FROM monitoring.statuts s
             WHERE s.moniteur_id = m.id AND s.verifie_a = v.verifie_a AND s.emplacement = v.emplacement
             LIMIT 1) s) s ON true
      ORDER BY m.id, s.emplacement`,
  );
  const readings: MonitorReading[] = [];
  for (const row of rows) {
    let reading = readings.at(-1);
    if (reading?.id !== row.id) {
      reading = {
        id: row.id,
        name: row.nom,
        kind: row.type,
        target: row.cible,
        intervalSeconds: row.intervalle_secondes,
        tags: row.etiquettes,
        status: row.statut,
        lastResults: [],
      };
      readings.push(reading);
    }
    if (row.est_disponible !== null) {
      reading.lastResults.push({
        location: row.emplacement!,
        isUp: row.est_disponible,
        httpStatus: row.code_http,
        latencyMs: row.latence_ms!,
        checkedAt: row.verifie_a!,
        certificateDaysLeft: row.jours_certificat,
      });
    }
  }
  return readings;
}
