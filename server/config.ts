// Reads and validates the environment once; the rest of the code receives a typed Config.
import { hostname } from 'node:os';
import { config as loadDotenv } from 'dotenv';
import { parseNetwork } from './checks/index.ts';
import { DEFAULT_LOCATION } from './types/index.ts';

export interface Config {
  port: number;
  host: string;
  /** null means the embedded PostgreSQL (PGlite) stored in dataDir. */
  databaseUrl: string | null;
  dataDir: string;
  /** VIGIE_CONFIG: a configuration file applied at start (monitors, channels... as code), or null. */
  configFile: string | null;
  /** PostgreSQL limits of API statements (the embedded database has one connection and no such limits). */
  database: {
    statementTimeoutMs: number;
    lockTimeoutMs: number;
    /** How long a request waits for a free connection. */
    acquireTimeoutMs: number;
  };
  logLevel: string;
  defaultIntervalSeconds: number;
  maxParallelChecks: number;
  /** Most check results kept in memory while the database cannot take them; past it the oldest are dropped. */
  maxQueuedResults: number;
  /**
   * How far V8 lets the heap grow past what survived the last full collection, in percent (0: V8's own rule,
   * about 300 % when busy). Lower keeps the memory of a busy instance down for a little more CPU.
   */
  heapGrowthPercent: number;
  /** Checks in flight to one host at most (VERIFICATIONS_PAR_HOTE_MAX). */
  maxChecksPerHost: number;
  slowThresholdMs: number;
  requestTimeoutSeconds: number;
  shutdownTimeoutSeconds: number;
  /** Base URL of the dashboard, for links in notifications. */
  publicUrl: string;
  notifications: {
    timeoutSeconds: number;
    maxAttempts: number;
    /** First retry delay; each further retry waits twice as long. */
    retryDelayMs: number;
    concurrency: number;
    /** How long DOWN alerts wait before sending, so that a mass failure is seen as one. */
    groupingDelayMs: number;
    /** More than flappingChanges DOWN/UP changes within flappingMinutes is flapping. */
    flappingChanges: number;
    flappingMinutes: number;
  };
  /** How many days data is kept; 0 keeps it forever. */
  retention: {
    /** Raw check results (monitoring.statuts). */
    resultsDays: number;
    /** Hourly rollups, alerts and status transitions, which long-window statistics read. */
    rollupsDays: number;
  };
  /** Where outgoing requests (checks, one-off checks, notifications) may go, as normalised CIDRs. */
  outgoing: {
    /** Never reached (RESEAUX_INTERDITS); wins over allowedNetworks. */
    deniedNetworks: string[];
    /** When not empty, the only networks reached (RESEAUX_AUTORISES). */
    allowedNetworks: string[];
  };
  auth: {
    /** Everyone is the local operator, an admin (AUTH_DISABLED); only allowed on a loopback address. */
    disabled: boolean;
    sessionHours: number;
    /** Signs session tokens (SESSION_SECRET); null: a random one kept in the database. */
    secret: string | null;
    /** Origins whose pages may use the session cookie, besides the server's own and URL_PUBLIQUE's. */
    allowedOrigins: string[];
    /** Reverse proxies whose X-Forwarded-For is believed (PROXIES_DE_CONFIANCE), as CIDRs. */
    trustedProxies: string[];
  };
  /** GraphQL introspection and GraphiQL (default on, off when NODE_ENV=production). */
  graphqlIntrospection: boolean;
  /** One-off checks (POST /api/verifier, GraphQL checkUrl) one client address may run per minute; 0: no limit. */
  oneOffChecksPerMinute: number;
  /** How often the coalesced list stream (GraphQL monitorsChanged) sends what changed (TEMPS_REEL_INTERVALLE_MS). */
  liveTickMs: number;
  /** This running Vigie among those sharing the database. */
  instance: {
    /** INSTANCE, or the host name. */
    name: string;
    /** LOCATION (default "default"): instances of one location share its monitors between them. */
    location: string;
    /** How often it heartbeats (BATTEMENT_INSTANCE_MS); its leases lapse after LEASE_HEARTBEATS missed beats. */
    heartbeatMs: number;
  };
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

/** An instance's monitor leases lapse when it has not heartbeat for this many heartbeats. */
export const LEASE_HEARTBEATS = 3;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** 100 years: a larger value is surely a typo. */
const MAX_RETENTION_DAYS = 36_500;

type Env = Record<string, string | undefined>;

function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `expected true or false, got "${env[name]}"`);
}

function readOrigins(env: Env, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      try {
        const url = new URL(entry);
        if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === entry.replace(/\/+$/, ''))
          return url.origin;
      } catch {
        // reported below
      }
      throw new ConfigError(
        name,
        `"${entry}" is not an origin such as https://status.example.com (scheme, host and port only)`,
      );
    });
}

function readSessionSecret(env: Env): string | null {
  const raw = env.SESSION_SECRET?.trim();
  if (!raw) return null;
  if (raw.length < 32)
    throw new ConfigError('SESSION_SECRET', 'must be at least 32 characters long (e.g. openssl rand -base64 48)');
  return raw;
}

const isLoopbackHost = (host: string) => /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i.test(host);

function readDatabaseUrl(env: Env): string | null {
  const raw = env.DATABASE_URL?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL', 'is not a valid URL (expected postgres://user:password@host:5432/database)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', `must start with postgres:// or postgresql://, got "${url.protocol}"`);
  }
  return raw;
}

/** Builds the configuration from an environment (process.env by default, after loading .env). */
export function loadConfig(env: Env = loadEnvironment()): Config {
  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const config: Config = {
    port: readInteger(env, 'PORT', 8080, 0, 65535),
    host: env.HOST?.trim() || '0.0.0.0',
    databaseUrl: readDatabaseUrl(env),
    dataDir: env.DATA_DIR?.trim() || './data',
    configFile: env.VIGIE_CONFIG?.trim() || null,
    database: {
      statementTimeoutMs: readInteger(env, 'BASE_TIMEOUT_REQUETE_MS', 5_000, 100, 3_600_000),
      lockTimeoutMs: readInteger(env, 'BASE_TIMEOUT_VERROU_MS', 2_000, 100, 3_600_000),
      acquireTimeoutMs: readInteger(env, 'BASE_TIMEOUT_CONNEXION_MS', 2_000, 100, 600_000),
    },
    logLevel,
    defaultIntervalSeconds: readInteger(env, 'INTERVALLE_VERIFICATION_SECONDES', 60, 1, 86_400),
    maxParallelChecks: readInteger(env, 'WORKERS_MAX_PARALLELES', 50, 1, 10_000),
    maxQueuedResults: readInteger(env, 'RESULTATS_EN_ATTENTE_MAX', 100_000, 100, 10_000_000),
    heapGrowthPercent: readInteger(env, 'MEMOIRE_CROISSANCE_TAS_POURCENT', 50, 0, 1_000),
    maxChecksPerHost: readInteger(env, 'VERIFICATIONS_PAR_HOTE_MAX', 4, 1, 10_000),
    slowThresholdMs: readInteger(env, 'SEUIL_LATENCE_LENTE_MS', 800, 1, 3_600_000),
    requestTimeoutSeconds: readInteger(env, 'TIMEOUT_REQUETE_SECONDES', 10, 1, 3_600),
    shutdownTimeoutSeconds: readInteger(env, 'TIMEOUT_ARRET_SERVEUR_SECONDES', 5, 1, 3_600),
    publicUrl: '',
    notifications: {
      timeoutSeconds: readInteger(env, 'TIMEOUT_NOTIFICATION_SECONDES', 10, 1, 300),
      maxAttempts: readInteger(env, 'NOTIFICATION_TENTATIVES_MAX', 5, 1, 50),
      retryDelayMs: readInteger(env, 'NOTIFICATION_DELAI_RELANCE_MS', 30_000, 1, 3_600_000),
      concurrency: readInteger(env, 'NOTIFICATIONS_PARALLELES', 4, 1, 100),
      groupingDelayMs: readInteger(env, 'NOTIFICATION_DELAI_GROUPAGE_MS', 10_000, 0, 600_000),
      flappingChanges: readInteger(env, 'BASCULEMENTS_MAX', 5, 2, 1000),
      flappingMinutes: readInteger(env, 'BASCULEMENTS_FENETRE_MINUTES', 10, 1, 1440),
    },
    retention: {
      resultsDays: readInteger(env, 'RETENTION_JOURS', 90, 0, MAX_RETENTION_DAYS),
      rollupsDays: readInteger(env, 'RETENTION_CUMULS_JOURS', 730, 0, MAX_RETENTION_DAYS),
    },
    outgoing: {
      deniedNetworks: readNetworks(env, 'RESEAUX_INTERDITS'),
      allowedNetworks: readNetworks(env, 'RESEAUX_AUTORISES'),
    },
    auth: {
      disabled: readBoolean(env, 'AUTH_DISABLED', false),
      sessionHours: readInteger(env, 'SESSION_DUREE_HEURES', 168, 1, 8760),
      secret: readSessionSecret(env),
      allowedOrigins: readOrigins(env, 'ORIGINES_AUTORISEES'),
      trustedProxies: readNetworks(env, 'PROXIES_DE_CONFIANCE'),
    },
    graphqlIntrospection: readBoolean(env, 'GRAPHQL_INTROSPECTION', env.NODE_ENV?.trim() !== 'production'),
    oneOffChecksPerMinute: readInteger(env, 'VERIFICATIONS_PONCTUELLES_PAR_MINUTE', 30, 0, 100_000),
    liveTickMs: readInteger(env, 'TEMPS_REEL_INTERVALLE_MS', 100, 20, 60_000),
    instance: {
      name: readLabel(env, 'INSTANCE', hostname() || 'vigie', 200),
      location: readLabel(env, 'LOCATION', DEFAULT_LOCATION, 100),
      heartbeatMs: readInteger(env, 'BATTEMENT_INSTANCE_MS', 2_000, 100, 60_000),
    },
  };
  config.publicUrl = readPublicUrl(env, config.port);
  if (config.requestTimeoutSeconds >= config.defaultIntervalSeconds && config.defaultIntervalSeconds > 1) {
    // A default timeout not below the default interval would let checks of one monitor overlap.
    throw new ConfigError(
      'TIMEOUT_REQUETE_SECONDES',
      `must be below INTERVALLE_VERIFICATION_SECONDES (${config.defaultIntervalSeconds}), got ${config.requestTimeoutSeconds}`,
    );
  }
  if (config.auth.disabled && !isLoopbackHost(config.host) && !readBoolean(env, 'AUTH_DISABLED_ALLOW_REMOTE', false)) {
    // Without authentication anyone who reaches the port can make Vigie send requests anywhere.
    throw new ConfigError(
      'AUTH_DISABLED',
      `refused while HOST is ${config.host}, reachable from other machines: set HOST=127.0.0.1, or AUTH_DISABLED_ALLOW_REMOTE=true if something else guards access`,
    );
  }
  const { resultsDays, rollupsDays } = config.retention;
  if (resultsDays > 0 && rollupsDays > 0 && rollupsDays < resultsDays) {
    // Statistics read the rollups where raw results are gone: they must not go first.
    throw new ConfigError(
      'RETENTION_CUMULS_JOURS',
      `must be 0 (keep forever) or at least RETENTION_JOURS (${resultsDays}), got ${rollupsDays}`,
    );
  }
  return config;
}

/** A name shown to people and used as a key: printable, no surrounding spaces, at most maxLength characters. */
function readLabel(env: Env, name: string, fallback: string, maxLength: number): string {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback.slice(0, maxLength);
  const value = raw.trim();
  if (value.length > maxLength)
    throw new ConfigError(name, `must be at most ${maxLength} characters, got ${value.length}`);
  if (!/^[\p{L}\p{N}][\p{L}\p{N}._:@/ -]*$/u.test(value)) {
    throw new ConfigError(
      name,
      `${JSON.stringify(value)} must start with a letter or digit and hold only letters, digits, spaces and . _ - : @ /`,
    );
  }
  return value;
}

/** Comma-separated CIDRs or single addresses, IPv4 or IPv6; empty or unset is an empty list. */
function readNetworks(env: Env, name: string): string[] {
  const entries = (env[name] ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries.map((entry) => {
    try {
      return parseNetwork(entry);
    } catch (error) {
      throw new ConfigError(name, (error as Error).message);
    }
  });
}

function readPublicUrl(env: Env, port: number): string {
  const raw = env.URL_PUBLIQUE?.trim();
  if (!raw) return `http://localhost:${port}`;
  try {
    const url = new URL(raw);
    if (url.protocol === 'http:' || url.protocol === 'https:') return raw.replace(/\/+$/, '');
  } catch {
    // reported below
  }
  throw new ConfigError('URL_PUBLIQUE', `must be an http(s) URL such as https://vigie.example.com, got "${raw}"`);
}

function loadEnvironment(): Env {
  loadDotenv({ quiet: true });
  return process.env;
}
