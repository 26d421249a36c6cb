// Small builders for rows the tests need: a monitor, a check result.
import type { Db } from '../../server/db/index.ts';
import { insertMonitor } from '../../server/db/index.ts';
import { DEFAULT_HTTP_SETTINGS } from '../../server/checks/index.ts';
import type { Monitor, MonitorSettings } from '../../server/monitors/index.ts';
import type { NewCheckResult } from '../../server/results/index.ts';

export function monitorSettings(overrides: Partial<MonitorSettings> = {}): MonitorSettings {
  return {
    name: 'test monitor',
    kind: 'http',
    target: 'http://127.0.0.1:9/',
    intervalSeconds: 60,
    timeoutSeconds: 5,
    retries: 1,
    slowThresholdMs: 800,
    paused: false,
    tags: [],
    http: { ...DEFAULT_HTTP_SETTINGS },
    reminderMinutes: null,
    certificateAlertDays: 14,
    ...overrides,
  };
}

export function createMonitor(db: Db, overrides: Partial<MonitorSettings> = {}): Promise<Monitor> {
  return insertMonitor(db, monitorSettings(overrides));
}

let clock = Date.parse('2026-01-01T00:00:00Z');

/** A result; each call is one second later than the previous one unless checkedAt is given. */
export function result(monitorId: number | null, isUp: boolean, overrides: Partial<NewCheckResult> = {}): NewCheckResult {
  clock += 1000;
  return {
    monitorId,
    isUp,
    httpStatus: isUp ? 200 : 500,
    latencyMs: 20,
    checkedAt: new Date(clock),
    target: 'http://127.0.0.1:9/',
    cause: isUp ? null : 'http_status',
    error: isUp ? null : 'HTTP 500',
    timings: null,
    certificateDaysLeft: null,
    ...overrides,
  };
}
