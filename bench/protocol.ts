// Messages exchanged over IPC between the bench orchestrator and its two child processes.

/** What the service child is told to run (passed as JSON in argv[2]). */
export interface ServiceRunConfig {
  databaseUrl: string;
  concurrency: number;
  intervalMs: number;
  warmupMs: number;
  windowMs: number;
}

export interface CpuTimes {
  userMs: number;
  systemMs: number;
}

export interface LagSummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Lags that fell out of the scheduler's sample buffer between two polls (should be 0). */
  lost: number;
}

/** The service child's account of one round. */
export interface ServiceReport {
  windowMs: number;
  monitors: number;
  started: number;
  completed: number;
  missedInWindow: number;
  missedTotal: number;
  lag: LagSummary;
  cpu: CpuTimes;
  peakRssBytes: number;
  peakHeapUsedBytes: number;
  gcPauseMs: number;
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  maxInFlight: number;
  maxWaiting: number;
  maxWriterPending: number;
  writer: { rowsWritten: number; batchesWritten: number; failedWrites: number; rowsInWindow: number; batchesInWindow: number };
}

export type ServiceMessage =
  | { type: 'window-start' }
  | { type: 'window-end' }
  | { type: 'report'; report: ServiceReport };

/** Sent by the targets child once every server listens. */
export interface TargetsReady {
  type: 'ready';
  urls: string[];
}

export interface TargetsStats {
  type: 'stats';
  requests: number;
  cpu: CpuTimes;
}

export type TargetsMessage = TargetsReady | TargetsStats;
