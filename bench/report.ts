// Printing one round's figures and judging them against the targets of issue 2 (a measurement, not a test).
import type { ResultCounts } from './database.ts';
import type { ServiceReport, Stall } from './protocol.ts';

export interface RoundResult {
  monitors: number;
  intervalSeconds: number;
  concurrency: number;
  warmupSeconds: number;
  service: ServiceReport;
  results: ResultCounts;
  targetsRequestsInWindow: number;
  targetsCpuPercent: number | null;
  postgresCpuPercent: number | null;
  machineCpuPercent: number | null;
  softirqCpuPercent: number | null;
  cores: number;
  timeWaitPeak: number | null;
  targetEndpoints: number;
  ephemeralPorts: [number, number] | null;
  cpuProfile: string | null;
}

export interface Verdict {
  name: string;
  pass: boolean;
  detail: string;
}

const TARGET_LAG_P99_MS = 250;
const TARGET_RSS_BYTES = 400 * 1024 * 1024;
const TARGET_THROUGHPUT_SHARE = 0.99;
// Loopback networking in softirq, PostgreSQL's background writers and the orchestrator stay below this.
const FOREIGN_CPU_NOTE_PERCENT = 25;

const int = (value: number) => Math.round(value).toLocaleString('en-US');
const fixed = (value: number | null, digits = 1) =>
  value === null || Number.isNaN(value) ? 'n/a' : value.toFixed(digits);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const percentOf = (ms: number, windowMs: number) => (ms / windowMs) * 100;

export function expectedPerSecond(round: RoundResult): number {
  return round.monitors / round.intervalSeconds;
}

export function achievedPerSecond(round: RoundResult): number {
  return round.service.completed / (round.service.windowMs / 1000);
}

/** Machine CPU used by none of the service, targets, PostgreSQL, softirq (% of one core), if known. */
export function foreignCpuPercent(round: RoundResult): number | null {
  const s = round.service;
  if (round.machineCpuPercent === null) return null;
  const ours =
    ((s.cpu.userMs + s.cpu.systemMs) / s.windowMs) * 100 +
    (round.targetsCpuPercent ?? 0) +
    (round.postgresCpuPercent ?? 0) +
    (round.softirqCpuPercent ?? 0);
  return Math.max(0, round.machineCpuPercent - ours);
}

export function verdicts(round: RoundResult): Verdict[] {
  const s = round.service;
  const share = achievedPerSecond(round) / expectedPerSecond(round);
  return [
    {
      name: `throughput >= ${TARGET_THROUGHPUT_SHARE * 100} % of N/interval`,
      pass: share >= TARGET_THROUGHPUT_SHARE,
      detail: `${(share * 100).toFixed(1)} %`,
    },
    { name: 'no missed check (whole round)', pass: s.missedTotal === 0, detail: `${int(s.missedTotal)} missed` },
    { name: `lag p99 < ${TARGET_LAG_P99_MS} ms`, pass: s.lag.p99 < TARGET_LAG_P99_MS, detail: `${int(s.lag.p99)} ms` },
    { name: `peak RSS < ${mb(TARGET_RSS_BYTES)}`, pass: s.peakRssBytes < TARGET_RSS_BYTES, detail: mb(s.peakRssBytes) },
  ];
}

/** "183 ms at +45.1 s (CPU 170 ms, GC major 80 ms)": seconds counted from the scheduler's start. */
function formatStall(stall: Stall): string {
  const gc = stall.gcMs >= 1 ? `, GC ${stall.gcKinds.join('+')} ${int(stall.gcMs)} ms` : '';
  return `${int(stall.ms)} ms at +${fixed(stall.atSeconds)} s (CPU ${int(stall.cpuMs)} ms${gc})`;
}

export function formatRound(round: RoundResult): string {
  const s = round.service;
  const windowS = s.windowMs / 1000;
  const cpu = s.cpu.userMs + s.cpu.systemMs;
  const expected = expectedPerSecond(round);
  const achieved = achievedPerSecond(round);
  const lines = [
    `── ${int(round.monitors)} HTTP monitors · interval ${round.intervalSeconds} s · concurrency ${round.concurrency} · ` +
      `window ${fixed(windowS)} s after a ${round.warmupSeconds} s warm-up`,
    `  checks/s        ${fixed(achieved)} achieved vs ${fixed(expected)} expected (${fixed((achieved / expected) * 100)} %); ` +
      `in window: ${int(s.started)} started, ${int(s.completed)} completed, ${int(round.targetsRequestsInWindow)} requests served`,
    `  schedule lag    p50 ${int(s.lag.p50)} ms · p90 ${int(s.lag.p90)} ms · p99 ${int(s.lag.p99)} ms · max ${int(s.lag.max)} ms ` +
      `(${int(s.lag.count)} checks${s.lag.lost ? `, ${int(s.lag.lost)} lags not sampled` : ''})`,
    `  missed checks   ${int(s.missedInWindow)} in window, ${int(s.missedTotal)} in the whole round`,
    `  service CPU     ${fixed(percentOf(cpu, s.windowMs))} % of one core (user ${fixed(percentOf(s.cpu.userMs, s.windowMs))} %, ` +
      `system ${fixed(percentOf(s.cpu.systemMs, s.windowMs))} %); GC ${fixed(percentOf(s.gcPauseMs, s.windowMs))} % of wall; ` +
      `event-loop delay p99 ${fixed(s.eventLoopDelayP99Ms)} ms, max ${fixed(s.eventLoopDelayMaxMs)} ms`,
    `  stalls >= 50 ms ${int(s.stallCount)} in window${s.longestStalls.length ? '; longest:' : ''}`,
    ...s.longestStalls.map((stall) => `                  ${formatStall(stall)}`),
    `  peak RSS        ${mb(s.peakRssBytes)} (peak heap used ${mb(s.peakHeapUsedBytes)}, ${mb(s.liveHeapBytes)} live after a full GC ` +
      `at the window's end)`,
    `  slots           peak ${int(s.peakInFlight)} of ${round.concurrency} in flight, peak ${int(s.peakWaiting)} due checks ` +
      `waiting for one (1/s samples); held by running checks (mean ${fixed(s.checksRunning.mean)}, ` +
      `peak ${int(s.checksRunning.peak)})`,
    `                  and by results awaiting their batch write (mean ${fixed(s.awaitingWrite.mean)}, peak ` +
      `${int(s.awaitingWrite.peak)}; wait p50 ${int(s.awaitingWrite.waitP50Ms)} ms, p99 ${int(s.awaitingWrite.waitP99Ms)} ms, ` +
      `max ${int(s.awaitingWrite.waitMaxMs)} ms)`,
    `  rows written    ${int(round.results.rows)} rows in monitoring.statuts; writer: ${int(s.writer.rowsWritten)} rows in ` +
      `${int(s.writer.batchesWritten)} batches (window: ${int(s.writer.rowsInWindow)} rows, ${int(s.writer.batchesInWindow)} batches), ` +
      `${int(s.writer.failedWrites)} failed writes`,
    `  check results   ${int(round.results.down)} down, ${int(round.results.alerts)} alerts; check latency p50 ` +
      `${round.results.latencyP50Ms ?? 'n/a'} ms, p99 ${round.results.latencyP99Ms ?? 'n/a'} ms`,
    ...round.results.causes.map((cause) => `                  ${int(cause.count)} × ${cause.cause}`),
    `  other CPU       targets ${fixed(round.targetsCpuPercent)} %, PostgreSQL ${fixed(round.postgresCpuPercent)} % ` +
      `(bench backends + background processes), softirq ${fixed(round.softirqCpuPercent)} %; ` +
      `whole machine ${fixed(round.machineCpuPercent)} % of ${round.cores * 100} %`,
    `  TIME_WAIT       peak ${round.timeWaitPeak === null ? 'n/a' : int(round.timeWaitPeak)} sockets ` +
      `(${round.targetEndpoints} target endpoints; ephemeral ports ${round.ephemeralPorts?.join('–') ?? 'n/a'})`,
  ];
  const foreign = foreignCpuPercent(round);
  if (foreign !== null && foreign >= FOREIGN_CPU_NOTE_PERCENT) {
    lines.push(
      `  NOTE            about ${fixed(foreign, 0)} % of the machine's CPU went to processes outside the bench during the ` +
        `window: the service competed for the cores, so its lags are worse than on an idle machine`,
    );
  }
  if (round.cpuProfile) lines.push(`  CPU profile     ${round.cpuProfile}`);
  for (const verdict of verdicts(round)) {
    lines.push(`  ${verdict.pass ? 'PASS' : 'FAIL'}  ${verdict.name}: ${verdict.detail}`);
  }
  return lines.join('\n');
}
