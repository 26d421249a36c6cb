// The benchmark's settings, read from BENCH_* environment variables so a smoke run can shrink them.

export interface BenchConfig {
  /** One round per entry, in order. */
  monitorCounts: number[];
  /** Length of the measured window of each round. */
  seconds: number;
  /** Time the scheduler runs before the window opens (first checks spread, JIT warm). */
  warmupSeconds: number;
  intervalSeconds: number;
  concurrency: number;
  /** Loopback addresses 127.0.0.1 .. 127.0.0.<targetHosts>, each with targetPortsPerHost listening ports. */
  targetHosts: number;
  targetPortsPerHost: number;
  /** An existing database on the server, used to create and drop the throwaway one. */
  adminDatabaseUrl: string;
  /** Directory for a V8 CPU profile of each service round, or null for none. */
  cpuProfileDir: string | null;
  /** Experiment (not the service as it is): free a check's slot before its row is stored. */
  detachedWrites: boolean;
}

export class BenchConfigError extends Error {}

/** An integer BENCH_* variable, or `fallback` when unset; out of [min, max] is a BenchConfigError. */
export function integer(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BenchConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function integerList(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const values = raw.split(',').map((part) => Number(part.trim()));
  if (values.some((value) => !Number.isInteger(value) || value < 1 || value > 1_000_000)) {
    throw new BenchConfigError(`${name} must be a comma-separated list of monitor counts (1..1000000), got "${raw}"`);
  }
  return values;
}

export function loadBenchConfig(): BenchConfig {
  const intervalSeconds = integer('BENCH_INTERVAL_SECONDS', 10, 2, 3600);
  return {
    monitorCounts: integerList('BENCH_MONITORS', [1_000, 10_000]),
    seconds: integer('BENCH_SECONDS', 60, 1, 3600),
    warmupSeconds: integer('BENCH_WARMUP_SECONDS', intervalSeconds + 5, 0, 3600),
    intervalSeconds,
    concurrency: integer('BENCH_CONCURRENCY', 200, 1, 10_000),
    targetHosts: integer('BENCH_TARGET_HOSTS', 4, 1, 254),
    targetPortsPerHost: integer('BENCH_TARGET_PORTS', 2, 1, 64),
    adminDatabaseUrl: process.env.BENCH_DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres',
    cpuProfileDir: process.env.BENCH_CPU_PROF?.trim() || null,
    detachedWrites: process.env.BENCH_EXPERIMENT_DETACHED_WRITES === '1',
  };
}
