// Every monitor with its stored status and its last result, in one statement: what a metrics scrape reads.
import type { CheckKind, MonitorStatus } from '../../types/index.ts';
import type { Queryable } from '../types.ts';

export interface LastResultReading {
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
  /** As stored (MAINTENANCE depends on the clock and is not). */
  status: Exclude<MonitorStatus, 'MAINTENANCE'>;
  /** null before the first check (or once retention removed it). */
  lastResult: LastResultReading | null;
}

interface ReadingRow {
  id: number;
  nom: string;
  type: CheckKind;
  cible: string;
  intervalle_secondes: number;
  statut: Exclude<MonitorStatus, 'MAINTENANCE'>;
  est_disponible: boolean | null;
  code_http: number | null;
  latence_ms: number | null;
  verifie_a: Date | null;
  jours_certificat: number | null;
}

/**
 * All monitors by id. The last result is found through the state row's pointer; the LIMIT keeps that lookup a
 * primary-key probe per monitor (without it the planner may hash-join the whole results table: 650 ms instead
 * of 80 ms for 10,000 monitors over 1.6 million results), and its time (set with the id) one probe in its week's
 * partition instead of one in each partition.
 */
export async function listMonitorReadings(db: Queryable): Promise<MonitorReading[]> {
  const { rows } = await db.query<ReadingRow>(
    `SELECT m.id, m.nom, m.type, m.cible, m.intervalle_secondes,
            monitoring.statut_affiche(coalesce(e.etat, 'PENDING'), coalesce(e.lent, false), m.en_pause) AS statut,
            s.est_disponible, s.code_http, s.latence_ms, s.verifie_a, s.jours_certificat
       FROM monitoring.moniteurs m
       LEFT JOIN monitoring.etats_moniteurs e ON e.moniteur_id = m.id
       LEFT JOIN LATERAL (SELECT * FROM monitoring.statuts s
                           WHERE s.id = e.dernier_statut_id AND s.verifie_a = e.dernier_verifie_a LIMIT 1) s ON true
      ORDER BY m.id`,
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.nom,
    kind: row.type,
    target: row.cible,
    intervalSeconds: row.intervalle_secondes,
    status: row.statut,
    lastResult:
      row.est_disponible === null
        ? null
        : {
            isUp: row.est_disponible,
            httpStatus: row.code_http,
            latencyMs: row.latence_ms!,
            checkedAt: row.verifie_a!,
            certificateDaysLeft: row.jours_certificat,
          },
  }));
}
