// Configuration: defaults, original variable names, and a clear message naming a bad variable.
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { SERVICE_COMMAND } from '../helpers/process.ts';

describe('loadConfig', () => {
  it('has the documented defaults and uses the embedded database when DATABASE_URL is unset or empty', () => {
    for (const env of [{}, { DATABASE_URL: '' }, { DATABASE_URL: '   ' }]) {
      expect(loadConfig(env)).toEqual({
        port: 8080,
        host: '0.0.0.0',
        databaseUrl: null,
        dataDir: './data',
        configFile: null,
        database: { statementTimeoutMs: 5_000, lockTimeoutMs: 2_000, acquireTimeoutMs: 2_000 },
        logLevel: 'info',
        defaultIntervalSeconds: 60,
        maxParallelChecks: 50,
        maxQueuedResults: 100_000,
        heapGrowthPercent: 50,
        maxChecksPerHost: 4,
        slowThresholdMs: 800,
        requestTimeoutSeconds: 10,
        shutdownTimeoutSeconds: 5,
        publicUrl: 'http://localhost:8080',
        notifications: {
          timeoutSeconds: 10,
          maxAttempts: 5,
          retryDelayMs: 30_000,
          concurrency: 4,
          groupingDelayMs: 10_000,
          flappingChanges: 5,
          flappingMinutes: 10,
        },
        retention: { resultsDays: 90, rollupsDays: 730 },
        outgoing: { deniedNetworks: [], allowedNetworks: [] },
        auth: { disabled: false, sessionHours: 168, secret: null, allowedOrigins: [], trustedProxies: [] },
        graphqlIntrospection: true,
        oneOffChecksPerMinute: 30,
        liveTickMs: 100,
        instance: { name: hostname(), location: 'default', heartbeatMs: 2_000 },
      });
    }
  });

  it('reads the authentication settings', () => {
    const config = loadConfig({
      AUTH_DISABLED: 'true',
      HOST: '127.0.0.1',
      SESSION_DUREE_HEURES: '12',
      SESSION_SECRET: 'x'.repeat(40),
      ORIGINES_AUTORISEES: 'https://status.example.com, http://localhost:5173/',
      PROXIES_DE_CONFIANCE: '10.0.0.0/8, ::1',
      NODE_ENV: 'production',
    });
    expect(config.auth).toEqual({
      disabled: true,
      sessionHours: 12,
      secret: 'x'.repeat(40),
      allowedOrigins: ['https://status.example.com', 'http://localhost:5173'],
      trustedProxies: ['10.0.0.0/8', '::1/128'],
    });
    expect(config.graphqlIntrospection).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true' }).graphqlIntrospection).toBe(true);
    expect(loadConfig({ AUTH_DISABLED: 'true', AUTH_DISABLED_ALLOW_REMOTE: 'true' }).auth.disabled).toBe(true);
  });

  it.each([
    [{ AUTH_DISABLED: 'true' }, 'AUTH_DISABLED', /HOST is 0\.0\.0\.0/],
    [{ AUTH_DISABLED: 'true', HOST: '192.168.1.5' }, 'AUTH_DISABLED', /HOST=127\.0\.0\.1/],
    [{ AUTH_DISABLED: 'maybe' }, 'AUTH_DISABLED', /true or false/],
    [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET', /32 characters/],
    [{ SESSION_DUREE_HEURES: '0' }, 'SESSION_DUREE_HEURES', /between 1 and 8760/],
    [{ ORIGINES_AUTORISEES: 'https://ok.example.com/path' }, 'ORIGINES_AUTORISEES', /not an origin/],
    [{ PROXIES_DE_CONFIANCE: '10.0.0.0/33' }, 'PROXIES_DE_CONFIANCE', /CIDR/],
    [{ VERIFICATIONS_PONCTUELLES_PAR_MINUTE: '-1' }, 'VERIFICATIONS_PONCTUELLES_PAR_MINUTE', /between 0 and 100000/],
    [{ BASE_TIMEOUT_REQUETE_MS: '50' }, 'BASE_TIMEOUT_REQUETE_MS', /between 100 and 3600000/],
    [{ BASE_TIMEOUT_VERROU_MS: 'soon' }, 'BASE_TIMEOUT_VERROU_MS', /whole number/],
    [{ BASE_TIMEOUT_CONNEXION_MS: '0' }, 'BASE_TIMEOUT_CONNEXION_MS', /between 100 and 600000/],
    [{ TEMPS_REEL_INTERVALLE_MS: '5' }, 'TEMPS_REEL_INTERVALLE_MS', /between 20 and 60000/],
  ])('refuses %o naming %s', (env, variable, message) => {
    const attempt = () => loadConfig(env);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(new RegExp(`^${variable}: `));
    expect(attempt).toThrow(message);
  });

  it('reads the deny and allow lists of networks: comma-separated CIDRs or single addresses, IPv4 and IPv6', () => {
    const config = loadConfig({
      RESEAUX_INTERDITS: ' 10.0.0.0/8, 192.168.1.10 ,fd00::/8,[2001:db8::1],::ffff:172.16.0.0/108,',
      RESEAUX_AUTORISES: '127.0.0.1/32',
    });
    expect(config.outgoing).toEqual({
      deniedNetworks: ['10.0.0.0/8', '192.168.1.10/32', 'fd00::/8', '2001:db8::1/128', '172.16.0.0/12'],
      allowedNetworks: ['127.0.0.1/32'],
    });
    expect(loadConfig({ RESEAUX_INTERDITS: '  ', RESEAUX_AUTORISES: '' }).outgoing).toEqual({
      deniedNetworks: [],
      allowedNetworks: [],
    });
  });

  it.each([
    ['RESEAUX_INTERDITS', '10.0.0.0/33'],
    ['RESEAUX_INTERDITS', '10.0.0.0/8;192.168.0.0/16'],
    ['RESEAUX_INTERDITS', 'intranet.example.com'],
    ['RESEAUX_AUTORISES', '10.0.0.0/8, 300.1.2.3'],
    ['RESEAUX_AUTORISES', 'fd00::/129'],
    ['RESEAUX_AUTORISES', '10.0.0.0/'],
  ])('refuses %s=%s, naming the variable and the entry', (name, value) => {
    const attempt = () => loadConfig({ [name]: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(new RegExp(`^${name}: ".*" is not an IP address or a CIDR network`));
  });

  it('reads the original variable names', () => {
    const config = loadConfig({
      PORT: '9000',
      DATABASE_URL: 'postgres://u:p@db:5432/vigie',
      DATA_DIR: '/var/lib/vigie',
      VIGIE_CONFIG: './vigie.yaml',
      INTERVALLE_VERIFICATION_SECONDES: '30',
      WORKERS_MAX_PARALLELES: '50',
      VERIFICATIONS_PAR_HOTE_MAX: '8',
      SEUIL_LATENCE_LENTE_MS: '1500',
      TIMEOUT_REQUETE_SECONDES: '5',
      TIMEOUT_ARRET_SERVEUR_SECONDES: '20',
      LOG_LEVEL: 'debug',
      RETENTION_JOURS: '30',
      RETENTION_CUMULS_JOURS: '365',
      RESULTATS_EN_ATTENTE_MAX: '5000',
    });
    expect(config).toMatchObject({
      port: 9000,
      databaseUrl: 'postgres://u:p@db:5432/vigie',
      configFile: './vigie.yaml',
      dataDir: '/var/lib/vigie',
      defaultIntervalSeconds: 30,
      maxParallelChecks: 50,
      maxQueuedResults: 5000,
      maxChecksPerHost: 8,
      slowThresholdMs: 1500,
      requestTimeoutSeconds: 5,
      shutdownTimeoutSeconds: 20,
      logLevel: 'debug',
      retention: { resultsDays: 30, rollupsDays: 365 },
    });
  });

  it('names the instance and its location (INSTANCE, LOCATION), refusing what cannot be a name', () => {
    expect(loadConfig({ INSTANCE: ' vigie-2 ', LOCATION: 'paris', BATTEMENT_INSTANCE_MS: '500' }).instance).toEqual({
      name: 'vigie-2',
      location: 'paris',
      heartbeatMs: 500,
    });
    expect(loadConfig({ INSTANCE: '', LOCATION: '  ' }).instance).toMatchObject({
      name: hostname(),
      location: 'default',
    });
    for (const [name, value, message] of [
      ['INSTANCE', '-x', /^INSTANCE: "-x" must start with a letter or digit/],
      ['LOCATION', 'eu\nwest', /^LOCATION: ".*" must start with a letter or digit/],
      ['LOCATION', 'x'.repeat(101), /^LOCATION: must be at most 100 characters, got 101$/],
      ['INSTANCE', 'x'.repeat(201), /^INSTANCE: must be at most 200 characters, got 201$/],
      ['BATTEMENT_INSTANCE_MS', '50', /^BATTEMENT_INSTANCE_MS: must be between 100 and 60000, got 50$/],
    ] as const) {
      const attempt = () => loadConfig({ [name]: value });
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(message);
    }
  });

  it('keeps data forever with 0, and lets rollups be kept as long as results or longer', () => {
    expect(loadConfig({ RETENTION_JOURS: '0' }).retention).toEqual({ resultsDays: 0, rollupsDays: 730 });
    expect(loadConfig({ RETENTION_JOURS: '1000', RETENTION_CUMULS_JOURS: '0' }).retention).toEqual({
      resultsDays: 1000,
      rollupsDays: 0,
    });
    expect(loadConfig({ RETENTION_JOURS: '400', RETENTION_CUMULS_JOURS: '400' }).retention).toEqual({
      resultsDays: 400,
      rollupsDays: 400,
    });
  });

  it.each([
    [{ RETENTION_CUMULS_JOURS: '30' }],
    [{ RETENTION_JOURS: '1000' }],
    [{ RETENTION_JOURS: '100', RETENTION_CUMULS_JOURS: '99' }],
  ])('refuses rollups kept for less time than results (%o), naming RETENTION_CUMULS_JOURS', (env) => {
    const attempt = () => loadConfig(env);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/^RETENTION_CUMULS_JOURS: must be 0 \(keep forever\) or at least RETENTION_JOURS/);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['INTERVALLE_VERIFICATION_SECONDES', '0'],
    ['INTERVALLE_VERIFICATION_SECONDES', '1.5'],
    ['WORKERS_MAX_PARALLELES', '-3'],
    ['VERIFICATIONS_PAR_HOTE_MAX', '0'],
    ['SEUIL_LATENCE_LENTE_MS', 'fast'],
    ['TIMEOUT_REQUETE_SECONDES', '60'],
    ['TIMEOUT_ARRET_SERVEUR_SECONDES', ''.padEnd(3, 'x')],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['DATABASE_URL', 'not a url'],
    ['LOG_LEVEL', 'verbose'],
    ['URL_PUBLIQUE', 'ftp://vigie'],
    ['NOTIFICATION_TENTATIVES_MAX', '0'],
    ['RETENTION_JOURS', '-1'],
    ['RETENTION_JOURS', '90.5'],
    ['RETENTION_JOURS', '36501'],
    ['RETENTION_JOURS', '3 months'],
    ['RETENTION_CUMULS_JOURS', '-730'],
    ['RETENTION_CUMULS_JOURS', '1e3'],
    ['RETENTION_CUMULS_JOURS', '100000'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    const attempt = () => loadConfig({ [name]: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(new RegExp(`^${name}: `));
  });

  it('stops the service at start with the variable named, and no stack trace', () => {
    const run = spawnSync(SERVICE_COMMAND[0]!, SERVICE_COMMAND.slice(1), {
      env: { ...process.env, WORKERS_MAX_PARALLELES: 'many', DATABASE_URL: '' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('WORKERS_MAX_PARALLELES: expected a whole number, got "many"');
    expect(run.stderr).not.toMatch(/\bat .*\.[jt]s:\d+/);
  });
});
