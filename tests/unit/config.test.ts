// Configuration: defaults, original variable names, and a clear message naming a bad variable.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';

describe('loadConfig', () => {
  it('has the documented defaults and uses the embedded database when DATABASE_URL is unset or empty', () => {
    for (const env of [{}, { DATABASE_URL: '' }, { DATABASE_URL: '   ' }]) {
      expect(loadConfig(env)).toEqual({
        port: 8080,
        host: '0.0.0.0',
        databaseUrl: null,
        dataDir: './data',
        logLevel: 'info',
        defaultIntervalSeconds: 60,
        maxParallelChecks: 5,
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
      });
    }
  });

  it('reads the original variable names', () => {
    const config = loadConfig({
      PORT: '9000',
      DATABASE_URL: 'postgres://u:p@db:5432/vigie',
      DATA_DIR: '/var/lib/vigie',
      INTERVALLE_VERIFICATION_SECONDES: '30',
      WORKERS_MAX_PARALLELES: '50',
      SEUIL_LATENCE_LENTE_MS: '1500',
      TIMEOUT_REQUETE_SECONDES: '5',
      TIMEOUT_ARRET_SERVEUR_SECONDES: '20',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      port: 9000,
      databaseUrl: 'postgres://u:p@db:5432/vigie',
      dataDir: '/var/lib/vigie',
      defaultIntervalSeconds: 30,
      maxParallelChecks: 50,
      slowThresholdMs: 1500,
      requestTimeoutSeconds: 5,
      shutdownTimeoutSeconds: 20,
      logLevel: 'debug',
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['INTERVALLE_VERIFICATION_SECONDES', '0'],
    ['INTERVALLE_VERIFICATION_SECONDES', '1.5'],
    ['WORKERS_MAX_PARALLELES', '-3'],
    ['SEUIL_LATENCE_LENTE_MS', 'fast'],
    ['TIMEOUT_REQUETE_SECONDES', '60'],
    ['TIMEOUT_ARRET_SERVEUR_SECONDES', ''.padEnd(3, 'x')],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['DATABASE_URL', 'not a url'],
    ['LOG_LEVEL', 'verbose'],
    ['URL_PUBLIQUE', 'ftp://vigie'],
    ['NOTIFICATION_TENTATIVES_MAX', '0'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    const attempt = () => loadConfig({ [name]: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(new RegExp(`^${name}: `));
  });

  it('stops the service at start with the variable named, and no stack trace', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, WORKERS_MAX_PARALLELES: 'many', DATABASE_URL: '' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('WORKERS_MAX_PARALLELES: expected a whole number, got "many"');
    expect(run.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });
});
