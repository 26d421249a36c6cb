// Reads and validates the environment once; the rest of the code receives a typed Config.
import { config as loadDotenv } from 'dotenv';

export interface Config {
  port: number;
  host: string;
  /** null means the embedded PostgreSQL (PGlite) stored in dataDir. */
  databaseUrl: string | null;
  dataDir: string;
  logLevel: string;
  defaultIntervalSeconds: number;
  maxParallelChecks: number;
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

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

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
    logLevel,
    defaultIntervalSeconds: readInteger(env, 'INTERVALLE_VERIFICATION_SECONDES', 60, 1, 86_400),
    maxParallelChecks: readInteger(env, 'WORKERS_MAX_PARALLELES', 5, 1, 10_000),
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
  };
  config.publicUrl = readPublicUrl(env, config.port);
  if (config.requestTimeoutSeconds >= config.defaultIntervalSeconds && config.defaultIntervalSeconds > 1) {
    // A default timeout not below the default interval would let checks of one monitor overlap.
    throw new ConfigError(
      'TIMEOUT_REQUETE_SECONDES',
      `must be below INTERVALLE_VERIFICATION_SECONDES (${config.defaultIntervalSeconds}), got ${config.requestTimeoutSeconds}`,
    );
  }
  return config;
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
