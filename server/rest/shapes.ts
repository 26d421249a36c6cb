// The REST JSON shapes: the original service's French names <-> the domain's English names.
import { maskUrlSecrets } from '../checks/index.ts';
import type { HealthReport } from '../health.ts';
import type { Instance } from '../instances/index.ts';
import type { Monitor, MonitorChanges, MonitorInput } from '../monitors/index.ts';
import {
  formatStatusRanges,
  parseMonitorChanges,
  parseMonitorInput,
  parseStatusRanges,
  pingUrlOf,
  redactHeaders,
} from '../monitors/index.ts';
import type { CheckResult } from '../results/index.ts';
import { isPlainObject } from '../validation.ts';
import { HttpError } from './http-error.ts';

/** ISO-8601 UTC to the second, as the original service wrote it ("2025-01-10T14:30:00Z"). */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The original `statut` object, exactly. */
export function statutShape(result: CheckResult) {
  return {
    est_disponible: result.isUp,
    code_http: result.httpStatus,
    latence_ms: result.latencyMs,
    verifie_a: isoSeconds(result.checkedAt),
    url: maskUrlSecrets(result.target),
  };
}

/** A monitor's result with every detail (the monitor's own results endpoint). */
export function detailedStatutShape(result: CheckResult) {
  return {
    id: result.id,
    moniteur_id: result.monitorId,
    ...statutShape(result),
    cause: result.cause,
    erreur: result.error,
    duree_dns_ms: result.timings?.dnsMs ?? null,
    duree_connexion_ms: result.timings?.connectMs ?? null,
    duree_tls_ms: result.timings?.tlsMs ?? null,
    duree_premier_octet_ms: result.timings?.firstByteMs ?? null,
    jours_certificat: result.certificateDaysLeft,
    expiration_certificat: result.certificateExpiresAt?.toISOString() ?? null,
    emplacement: result.location,
  };
}

const MONITOR_FIELDS: Record<string, string> = {
  nom: 'name',
  type: 'kind',
  cible: 'target',
  intervalle_secondes: 'intervalSeconds',
  timeout_secondes: 'timeoutSeconds',
  tentatives: 'retries',
  seuil_lent_ms: 'slowThresholdMs',
  en_pause: 'paused',
  etiquettes: 'tags',
  parametres_http: 'http',
  rappel_minutes: 'reminderMinutes',
  alerte_certificat_jours: 'certificateAlertDays',
  badges_actifs: 'badgesEnabled',
  slug: 'slug',
  emplacements: 'locations',
  quorum: 'quorum',
  delai_grace_secondes: 'graceSeconds',
  parametres_dns: 'dns',
  planification: 'schedule',
  assertions: 'assertions',
  groupe: 'group',
  depend_de: 'dependsOn',
};

const DNS_FIELDS: Record<string, string> = {
  type_enregistrement: 'recordType',
  valeurs_attendues: 'expected',
  correspondance: 'match',
  resolveur: 'resolver',
};

// As maintenance windows name them (cron, fuseau_horaire).
const SCHEDULE_FIELDS: Record<string, string> = { cron: 'cron', fuseau_horaire: 'timeZone' };

const HTTP_FIELDS: Record<string, string> = {
  methode: 'method',
  entetes: 'headers',
  corps: 'body',
  codes_attendus: 'expectedStatus',
  suivre_redirections: 'followRedirects',
  mot_cle: 'keyword',
  mot_cle_regex: 'keywordIsRegex',
  mot_cle_absent: 'keywordMustBeAbsent',
  ignorer_erreurs_tls: 'ignoreTlsErrors',
};

const invert = (map: Record<string, string>) => Object.fromEntries(Object.entries(map).map(([fr, en]) => [en, fr]));
const MONITOR_FIELDS_FR = invert(MONITOR_FIELDS);
const HTTP_FIELDS_FR = invert(HTTP_FIELDS);
const DNS_FIELDS_FR = invert(DNS_FIELDS);
const SCHEDULE_FIELDS_FR = invert(SCHEDULE_FIELDS);

/**
 * Renames a domain field path ("http.keyword") to its REST name ("parametres_http.mot_cle"); `extra` adds the
 * names of other resources (channels, maintenance windows).
 */
export function restFieldName(field: string, extra: Record<string, string> = {}): string {
  const [head, ...rest] = field.split('.');
  const top = MONITOR_FIELDS_FR[head!] ?? extra[head!] ?? head!;
  if (head === 'http' && rest.length) return [top, HTTP_FIELDS_FR[rest[0]!] ?? rest[0], ...rest.slice(1)].join('.');
  if (head === 'dns' && rest.length) return [top, DNS_FIELDS_FR[rest[0]!] ?? rest[0], ...rest.slice(1)].join('.');
  if (head === 'schedule' && rest.length) return [top, SCHEDULE_FIELDS_FR[rest[0]!] ?? rest[0]].join('.');
  return [top, ...rest].join('.');
}

/**
 * A REST body (French keys) to a domain input (English keys); values are validated later. Anything but a JSON
 * object, or a key not in `names`, is a 400; `where` prefixes the messages of a nested object.
 */
export function renameFields(
  body: unknown,
  names: Record<string, string>,
  notAnObject: string,
  where = '',
): Record<string, unknown> {
  if (!isPlainObject(body)) throw new HttpError(400, `${where}${notAnObject}`);
  const renamed: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(body)) {
    const name = names[key];
    if (!name)
      throw new HttpError(400, `${where}unknown field "${key}" (expected one of ${Object.keys(names).join(', ')})`);
    renamed[name] = item;
  }
  return renamed;
}

/** A REST monitor (POST, PUT), checked. */
export function monitorInputFromRest(body: unknown): MonitorInput {
  return parseMonitorInput(renameMonitorFields(body));
}

/** A REST monitor's changes (PATCH), checked. */
export function monitorChangesFromRest(body: unknown): MonitorChanges {
  return parseMonitorChanges(renameMonitorFields(body));
}

function renameMonitorFields(body: unknown): Record<string, unknown> {
  const input = renameFields(body, MONITOR_FIELDS, 'expected a JSON object describing a monitor');
  if (input.http !== undefined) {
    const settings = renameFields(input.http, HTTP_FIELDS, 'expected an object', 'parametres_http: ');
    if (typeof settings.expectedStatus === 'string') {
      try {
        settings.expectedStatus = parseStatusRanges(settings.expectedStatus);
      } catch (error) {
        throw new HttpError(400, `parametres_http.codes_attendus: ${(error as Error).message}`);
      }
    }
    input.http = settings;
  }
  if (input.dns !== undefined && input.dns !== null) {
    input.dns = renameFields(input.dns, DNS_FIELDS, 'expected an object or null', 'parametres_dns: ');
  }
  if (input.schedule !== undefined && input.schedule !== null) {
    input.schedule = renameFields(input.schedule, SCHEDULE_FIELDS, 'expected an object or null', 'planification: ');
  }
  return input;
}

/**
 * A monitor in REST. `pingBase` (the public URL, for editors and admins only) adds a heartbeat's ping URL:
 * url_ping is null for other kinds, and absent for those who may not see it.
 */
export function moniteurShape(monitor: Monitor, pingBase: string | null = null) {
  return {
    id: monitor.id,
    nom: monitor.name,
    type: monitor.kind,
    cible: maskUrlSecrets(monitor.target),
    intervalle_secondes: monitor.intervalSeconds,
    timeout_secondes: monitor.timeoutSeconds,
    tentatives: monitor.retries,
    seuil_lent_ms: monitor.slowThresholdMs,
    en_pause: monitor.paused,
    etiquettes: monitor.tags,
    parametres_http: {
      methode: monitor.http.method,
      entetes: redactHeaders(monitor.http.headers),
      corps: monitor.http.body,
      codes_attendus: formatStatusRanges(monitor.http.expectedStatus),
      suivre_redirections: monitor.http.followRedirects,
      mot_cle: monitor.http.keyword,
      mot_cle_regex: monitor.http.keywordIsRegex,
      mot_cle_absent: monitor.http.keywordMustBeAbsent,
      ignorer_erreurs_tls: monitor.http.ignoreTlsErrors,
    },
    rappel_minutes: monitor.reminderMinutes,
    alerte_certificat_jours: monitor.certificateAlertDays,
    badges_actifs: monitor.badgesEnabled,
    slug: monitor.slug,
    emplacements: monitor.locations,
    quorum: monitor.quorum,
    delai_grace_secondes: monitor.graceSeconds,
    parametres_dns: monitor.dns && {
      type_enregistrement: monitor.dns.recordType,
      valeurs_attendues: monitor.dns.expected,
      correspondance: monitor.dns.match,
      resolveur: monitor.dns.resolver,
    },
    planification: monitor.schedule && {
      cron: monitor.schedule.cron,
      fuseau_horaire: monitor.schedule.timeZone,
    },
    ...(pingBase !== null && { url_ping: monitor.pingToken && pingUrlOf(pingBase, monitor.pingToken) }),
    assertions: monitor.assertions,
    groupe: monitor.group,
    depend_de: monitor.dependsOn,
    etat: monitor.status,
    derniere_verification_a: monitor.lastCheckedAt ? monitor.lastCheckedAt.toISOString() : null,
    cree_a: monitor.createdAt.toISOString(),
    modifie_a: monitor.updatedAt.toISOString(),
  };
}

/** GET /api/etat. */
export function etatShape(health: HealthReport) {
  return {
    statut: health.ok ? 'ok' : 'degrade',
    version: health.version,
    demarre_a: health.startedAt.toISOString(),
    base_de_donnees: health.database.ok
      ? { statut: 'ok', type: health.database.kind, latence_ms: health.database.latencyMs }
      : health.database.latencyMs !== null
        ? // It answers, but queries wait past their timeouts (a lock, a slow statement, the pool exhausted).
          {
            statut: 'lente',
            type: health.database.kind,
            latence_ms: health.database.latencyMs,
            raison: health.database.reason,
          }
        : { statut: 'injoignable', type: health.database.kind, raison: health.database.reason },
    planificateur: {
      moniteurs_actifs: health.activeMonitors,
      verifications_en_cours: health.checksInFlight,
      verifications_en_attente: health.checksWaiting,
      // Saturated: checks miss their intervals; limite_par names the setting to raise.
      sature: health.saturation.saturated,
      verifications_en_retard: health.saturation.overdueChecks,
      retard_max_secondes: Math.round(health.saturation.worstLagMs / 100) / 10,
      limite_par: health.saturation.limitedBy,
      hotes_satures: health.saturation.busyHosts,
    },
    resultats: {
      en_attente: health.results.queued,
      perdus: health.results.dropped,
      refuses: health.results.refused,
      // Not stored: checked under a lease another instance took over meanwhile (this one had stalled).
      ecartes: health.results.fenced,
      ecritures_en_panne: health.results.databaseAway,
    },
    instances: health.instances.map(instanceShape),
    // Locations none of whose instances is alive: they no longer count in the quorum of their monitors.
    emplacements_disparus: health.goneLocations.map((gone) => ({
      emplacement: gone.location,
      disparu_a: gone.goneAt.toISOString(),
    })),
  };
}

/** A live Vigie instance, in GET /api/etat. */
export function instanceShape(instance: Instance) {
  return {
    id: instance.id,
    nom: instance.name,
    emplacement: instance.location,
    version: instance.version,
    demarre_a: instance.startedAt.toISOString(),
    vu_a: instance.lastSeenAt.toISOString(),
    moniteurs: instance.monitorCount,
  };
}
