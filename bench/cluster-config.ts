// bench:cluster's settings, from BENCH_CLUSTER_* variables so a smoke run can shrink them.
import { integer } from './config.ts';

export interface ClusterConfig {
  monitors: number;
  intervalSeconds: number;
  /** Measured window of each round. */
  seconds: number;
  /** Before the window: first checks spread, leases shared out. */
  warmupSeconds: number;
  /** Into the two-instance window, when one instance is killed (0: no kill). */
  killAfterSeconds: number;
  concurrency: number;
  /** Also run one instance alone first, for the side-by-side figures. */
  single: boolean;
  adminDatabaseUrl: string;
}

export function loadClusterConfig(): ClusterConfig {
  const intervalSeconds = integer('BENCH_CLUSTER_INTERVAL_SECONDS', 10, 2, 3_600);
  const seconds = integer('BENCH_CLUSTER_SECONDS', 60, 10, 3_600);
  return {
    monitors: integer('BENCH_CLUSTER_MONITORS', 20_000, 1, 200_000),
    intervalSeconds,
    seconds,
    warmupSeconds: integer('BENCH_CLUSTER_WARMUP_SECONDS', 2 * intervalSeconds + 5, 0, 3_600),
    killAfterSeconds: integer('BENCH_CLUSTER_KILL_AFTER_SECONDS', Math.floor(seconds / 2), 0, 3_600),
    concurrency: integer('BENCH_CLUSTER_CONCURRENCY', 200, 1, 10_000),
    single: integer('BENCH_CLUSTER_SINGLE', 1, 0, 1) === 1,
    adminDatabaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  };
}
