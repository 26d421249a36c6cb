// The fault benchmark's settings (BENCH_FAULTS_* variables), so that a smoke run can shrink every phase.
import { BenchConfigError, integer } from './config.ts';

export const SCENARIOS = ['outage', 'stuck', 'slow-host', 'shutdown'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface FaultsConfig {
  scenarios: Scenario[];
  /** A folder to keep each scenario's service log in (BENCH_FAULTS_LOGS), or null. */
  logDir: string | null;
  outage: {
    /** Monitors at 1 s and 2 s, alternately. */
    monitors: number;
    seconds: number;
    /** The failing target starts failing this long into the outage. */
    failAfterSeconds: number;
    /** Checks run this long before PostgreSQL is stopped. */
    warmupSeconds: number;
  };
  stuck: {
    seconds: number;
    /** Sessions asking for ACCESS EXCLUSIVE on monitoring.statuts: one holds it, the others queue behind. */
    lockers: number;
    /** Clients sending requests back to back while the table is locked, half REST and half GraphQL. */
    clients: number;
  };
  slowHost: {
    slowMonitors: number;
    fastMonitors: number;
    intervalSeconds: number;
    slowAnswerMs: number;
    /** Measured window, after one interval and a half of warm-up. */
    seconds: number;
  };
  shutdown: {
    hangingChecks: number;
    timeoutSeconds: number;
  };
}

function scenarios(): Scenario[] {
  const raw = process.env.BENCH_FAULTS_SCENARIOS?.trim();
  if (!raw) return [...SCENARIOS];
  const names = raw.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(SCENARIOS as readonly string[]).includes(name));
  if (unknown.length) {
    throw new BenchConfigError(
      `BENCH_FAULTS_SCENARIOS: unknown ${unknown.join(', ')} (expected ${SCENARIOS.join(',')})`,
    );
  }
  return SCENARIOS.filter((name) => names.includes(name));
}

export function loadFaultsConfig(): FaultsConfig {
  const outageSeconds = integer('BENCH_FAULTS_OUTAGE_SECONDS', 20, 2, 3600);
  const intervalSeconds = integer('BENCH_FAULTS_SLOW_INTERVAL_SECONDS', 5, 2, 3600);
  return {
    scenarios: scenarios(),
    logDir: process.env.BENCH_FAULTS_LOGS?.trim() || null,
    outage: {
      monitors: integer('BENCH_FAULTS_OUTAGE_MONITORS', 50, 2, 10_000),
      seconds: outageSeconds,
      failAfterSeconds: integer(
        'BENCH_FAULTS_FAIL_AFTER_SECONDS',
        Math.min(3, outageSeconds - 1),
        0,
        outageSeconds - 1,
      ),
      warmupSeconds: integer('BENCH_FAULTS_OUTAGE_WARMUP_SECONDS', 6, 3, 3600),
    },
    stuck: {
      seconds: integer('BENCH_FAULTS_LOCK_SECONDS', 15, 1, 3600),
      lockers: integer('BENCH_FAULTS_LOCKERS', 5, 1, 100),
      clients: integer('BENCH_FAULTS_CLIENTS', 16, 2, 1000),
    },
    slowHost: {
      slowMonitors: integer('BENCH_FAULTS_SLOW_MONITORS', 300, 1, 100_000),
      fastMonitors: integer('BENCH_FAULTS_FAST_MONITORS', 10, 1, 10_000),
      intervalSeconds,
      slowAnswerMs: integer('BENCH_FAULTS_SLOW_ANSWER_MS', 2_000, 1, (intervalSeconds - 1) * 1000),
      seconds: integer('BENCH_FAULTS_SLOW_SECONDS', 60, 5, 3600),
    },
    shutdown: {
      hangingChecks: integer('BENCH_FAULTS_HANGING_CHECKS', 2, 1, 100),
      timeoutSeconds: integer('BENCH_FAULTS_SHUTDOWN_TIMEOUT_SECONDS', 2, 1, 60),
    },
  };
}
