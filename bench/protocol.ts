// Messages exchanged over IPC between the bench orchestrator and its two child processes.

/** What the service child is told to run (passed as JSON in argv[2]). */
export interface ServiceRunConfig {
  databaseUrl: string;
  concurrency: number;
  intervalMs: number;
  warmupMs: number;
  windowMs: number;
  /** Experiment: the scheduler's slot is freed when the check ends instead of when its row is stored. */
  detachedWrites: boolean;
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

/**
 * An event-loop stall of the service: when (seconds since the scheduler started), how long, the process's CPU
 * time meanwhile (about equal to ms: busy with its own work; far less: waiting for a core), GC inside it.
 */
export interface Stall {
  atSeconds: number;
  ms: number;
  cpuMs: number;
  gcMs: number;
  gcKinds: string[];
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
  /** Heap used right after a full GC at the end of the window. */
  liveHeapBytes: number;
  gcPauseMs: number;
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  /** Stalls of 50 ms or more in the window: how many, and the longest few. */
  stallCount: number;
  longestStalls: Stall[];
  /** Checks actually running (runCheck called, outcome not yet back): mean and peak over the window. */
  checksRunning: { mean: number; peak: number };
  /** Results handed to the BatchWriter and not yet stored; each still holds a scheduler slot. */
  awaitingWrite: { mean: number; peak: number; waitP50Ms: number; waitP99Ms: number; waitMaxMs: number };
  /** From scheduler.stats, sampled once a second over the window: slots taken, and due checks waiting for one. */
  peakInFlight: number;
  peakWaiting: number;
  writer: {
    rowsWritten: number;
    batchesWritten: number;
    failedWrites: number;
    rowsInWindow: number;
    batchesInWindow: number;
  };
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
