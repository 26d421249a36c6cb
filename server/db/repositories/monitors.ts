// monitoring.moniteurs (+ the state in monitoring.etats_moniteurs) <-> Monitor.
import type {
  CheckKind,
  DnsCheckSettings,
  HeartbeatSchedule,
  HttpCheckSettings,
  Monitor,
  MonitorSettings,
  MonitorStatus,
} from '../../types/index.ts';
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../types.ts';
import { uniqueKeys } from '../unique.ts';

interface MonitorRow {
  id: number;
  nom: string;
  type: CheckKind;
  cible: string;
  intervalle_secondes: number;
  timeout_secondes: number;
  tentatives: number;
  seuil_lent_ms: number;
  en_pause: boolean;
  etiquettes: string[];
  parametres_http: HttpCheckSettings;
  rappel_minutes: number | null;
  alerte_certificat_jours: number;
  badges_actifs: boolean;
  slug: string | null;
  emplacements: string[] | null;
  quorum: number;
  delai_grace_secondes: number;
  planification: HeartbeatSchedule | null;
  jeton_ping: string | null;
  parametres_dns: DnsCheckSettings | null;
  assertions: string[];
  groupe: string | null;
  depend_de: number | null;
  cree_a: Date;
  modifie_a: Date;
  etat: 'PENDING' | 'UP' | 'DOWN' | null;
  lent: boolean | null;
  dernier_verifie_a: Date | null;
}

const SELECT_MONITORS = `
  SELECT m.*, e.etat, e.lent, e.dernier_verifie_a
    FROM monitoring.moniteurs m
    LEFT JOIN monitoring.etats_moniteurs e ON e.moniteur_id = m.id`;

/** Which monitors a list holds; null or absent: any. */
export interface MonitorFilter {
  /** As stored (MAINTENANCE depends on the clock and is not). */
  status?: Exclude<MonitorStatus, 'MAINTENANCE'> | null;
  tag?: string | null;
  /** Only unpaused monitors that a maintenance window applies to (whether or not it is open now). */
  underMaintenanceWindow?: boolean;
}

// statusOf's rule, for filtering in SQL.
const STATUS = `CASE WHEN m.en_pause THEN 'PAUSED' WHEN e.etat = 'UP' AND e.lent THEN 'DEGRADED' ELSE coalesce(e.etat, 'PENDING') END`;

function statusOf(row: MonitorRow): MonitorStatus {
  if (row.en_pause) return 'PAUSED';
  if (row.etat === 'UP' && row.lent) return 'DEGRADED';
  return row.etat ?? 'PENDING';
}

function toMonitor(row: MonitorRow): Monitor {
  return {
    id: row.id,
    name: row.nom,
    kind: row.type,
    target: row.cible,
    intervalSeconds: row.intervalle_secondes,
    timeoutSeconds: Number(row.timeout_secondes),
    retries: row.tentatives,
    slowThresholdMs: row.seuil_lent_ms,
    paused: row.en_pause,
    tags: row.etiquettes,
    http: row.parametres_http,
    reminderMinutes: row.rappel_minutes,
    certificateAlertDays: row.alerte_certificat_jours,
    badgesEnabled: row.badges_actifs,
    slug: row.slug,
    locations: row.emplacements,
    quorum: row.quorum,
    graceSeconds: row.delai_grace_secondes,
    schedule: row.planification,
    pingToken: row.jeton_ping,
    dns: row.parametres_dns,
    assertions: row.assertions,
    group: row.groupe,
    dependsOn: row.depend_de,
    status: statusOf(row),
    lastCheckedAt: row.dernier_verifie_a,
    createdAt: row.cree_a,
    updatedAt: row.modifie_a,
  };
}

function settingsParams(settings: MonitorSettings): unknown[] {
  return [
    settings.name,
    settings.kind,
    settings.target,
    settings.intervalSeconds,
    settings.timeoutSeconds,
    settings.retries,
    settings.slowThresholdMs,
    settings.paused,
    settings.tags,
    JSON.stringify(settings.http),
    settings.reminderMinutes,
    settings.certificateAlertDays,
    settings.badgesEnabled,
    settings.slug,
    settings.locations,
    settings.quorum,
    settings.graceSeconds,
    settings.dns === null ? null : JSON.stringify(settings.dns),
    settings.assertions,
    settings.group,
    settings.dependsOn,
    settings.schedule === null ? null : JSON.stringify(settings.schedule),
  ];
}

/** A heartbeat's ping token: 32 URL-safe characters, 192 random bits. */
export function newPingToken(): string {
  return randomBytes(24).toString('base64url');
}

export async function insertMonitor(db: Queryable, settings: MonitorSettings): Promise<Monitor> {
  const { rows } = await uniqueKeys(
    db.query<MonitorRow>(
      `WITH inserted AS (
         INSERT INTO monitoring.moniteurs
           (nom, type, cible, intervalle_secondes, timeout_secondes, tentatives, seuil_lent_ms, en_pause,
            etiquettes, parametres_http, rappel_minutes, alerte_certificat_jours, badges_actifs, slug,
            emplacements, quorum, delai_grace_secondes, parametres_dns, jeton_ping, assertions, groupe, depend_de,
            planification)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13, $14, $15, $16, $17, $18::jsonb,
                 CASE WHEN $2 = 'push' THEN $23 END, $19, $20, $21, $22::jsonb)
         RETURNING *)
       SELECT inserted.*, 'PENDING' AS etat, false AS lent, NULL::timestamptz AS dernier_verifie_a FROM inserted`,
      [...settingsParams(settings), newPingToken()],
    ),
  );
  return toMonitor(rows[0]!);
}

/** Returns null when the monitor does not exist. */
export async function updateMonitor(db: Queryable, id: number, settings: MonitorSettings): Promise<Monitor | null> {
  const { rows } = await uniqueKeys(
    db.query<{ id: number }>(
      `UPDATE monitoring.moniteurs
          SET nom = $1, type = $2, cible = $3, intervalle_secondes = $4, timeout_secondes = $5, tentatives = $6,
              seuil_lent_ms = $7, en_pause = $8, etiquettes = $9, parametres_http = $10::jsonb, rappel_minutes = $11,
              alerte_certificat_jours = $12, badges_actifs = $13, slug = $14, emplacements = $15,
              quorum = $16, delai_grace_secondes = $17, parametres_dns = $18::jsonb, assertions = $19, groupe = $20,
              depend_de = $21, planification = $22::jsonb,
              -- A heartbeat keeps its token; another kind has none (its old ping URL stops working).
              jeton_ping = CASE WHEN $2 = 'push' THEN coalesce(jeton_ping, $24) END, modifie_a = now()
        WHERE id = $23
        RETURNING id`,
      [...settingsParams(settings), id, newPingToken()],
    ),
  );
  return rows.length ? getMonitor(db, id) : null;
}

export async function setMonitorPaused(db: Queryable, id: number, paused: boolean): Promise<Monitor | null> {
  const { rowCount } = await db.query(
    `UPDATE monitoring.moniteurs SET en_pause = $1, modifie_a = now() WHERE id = $2`,
    [paused, id],
  );
  return rowCount ? getMonitor(db, id) : null;
}

export async function getMonitor(db: Queryable, id: number): Promise<Monitor | null> {
  const { rows } = await db.query<MonitorRow>(`${SELECT_MONITORS} WHERE m.id = $1`, [id]);
  return rows[0] ? toMonitor(rows[0]) : null;
}

export async function getMonitors(db: Queryable, ids: number[]): Promise<Monitor[]> {
  const { rows } = await db.query<MonitorRow>(`${SELECT_MONITORS} WHERE m.id = ANY($1::int[])`, [ids]);
  return rows.map(toMonitor);
}

export async function listMonitors(db: Queryable, filter: MonitorFilter = {}): Promise<Monitor[]> {
  const { rows } = await db.query<MonitorRow>(
    `${SELECT_MONITORS}
      WHERE ($1::text IS NULL OR ${STATUS} = $1)
        AND ($2::text IS NULL OR m.etiquettes @> ARRAY[$2::text])
        AND (NOT $3::boolean OR (NOT m.en_pause AND EXISTS (
              SELECT 1 FROM monitoring.maintenances w
               WHERE monitoring.maintenance_couvre(w.moniteurs, w.etiquettes, m.id, m.etiquettes))))
      ORDER BY m.id`,
    [filter.status ?? null, filter.tag ?? null, filter.underMaintenanceWindow ?? false],
  );
  return rows.map(toMonitor);
}

export async function listActiveMonitors(db: Queryable): Promise<Monitor[]> {
  const { rows } = await db.query<MonitorRow>(`${SELECT_MONITORS} WHERE NOT m.en_pause ORDER BY m.id`);
  return rows.map(toMonitor);
}

/** Returns false when the monitor does not exist. Its results and alerts go with it. */
export async function deleteMonitor(db: Queryable, id: number): Promise<boolean> {
  const { rowCount } = await db.query(`DELETE FROM monitoring.moniteurs WHERE id = $1`, [id]);
  return rowCount > 0;
}
