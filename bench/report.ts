// Printing one round's figures and judging them against the targets of issue 2 (a measurement, not a test).
import type { ResultCounts } from './database.ts';
import type { ServiceReport } from './protocol.ts';

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

const int = (value: number) => Math.round(value).toLocaleString('en-US');
const fixed = (value: number | null, digits = 1) => (value === null || Number.isNaN(value) ? 'n/a' : value.toFixed(digits));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const percentOf = (ms: number, windowMs: number) => (ms / windowMs) * 100;

export function expectedPerSecond(round: RoundResult): number {
  return round.monitors / round.intervalSeconds;
}

export function achievedPerSecond(round: RoundResult): number {
  return round.service.completed / (round.service.windowMs / 1000);
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
    `  peak RSS        ${mb(s.peakRssBytes)} (peak heap used ${mb(s.peakHeapUsedBytes)}); peak in flight ${int(s.maxInFlight)}, ` +
      `peak waiting ${int(s.maxWaiting)}, peak writer backlog ${int(s.maxWriterPending)}`,
    `  rows written    ${int(round.results.rows)} rows in monitoring.statuts; writer: ${int(s.writer.rowsWritten)} rows in ` +
      `${int(s.writer.batchesWritten)} batches (window: ${int(s.writer.rowsInWindow)} rows, ${int(s.writer.batchesInWindow)} batches), ` +
      `${int(s.writer.failedWrites)} failed writes`,
    `  check results   ${int(round.results.down)} down, ${int(round.results.alerts)} alerts; check latency p50 ` +
      `${round.results.latencyP50Ms ?? 'n/a'} ms, p99 ${round.results.latencyP99Ms ?? 'n/a'} ms`,
    ...round.results.causes.map((cause) => `                  ${int(cause.count)} × ${cause.cause}`),
    `  other CPU       targets ${fixed(round.targetsCpuPercent)} %, PostgreSQL backends ${fixed(round.postgresCpuPercent)} %, ` +
      `whole machine ${fixed(round.machineCpuPercent)} % of ${round.cores * 100} %`,
    `  TIME_WAIT       peak ${round.timeWaitPeak === null ? 'n/a' : int(round.timeWaitPeak)} sockets ` +
      `(${round.targetEndpoints} target endpoints; ephemeral ports ${round.ephemeralPorts?.join('–') ?? 'n/a'})`,
  ];
  if (round.cpuProfile) lines.push(`  CPU profile     ${round.cpuProfile}`);
  for (const verdict of verdicts(round)) {
    lines.push(`  ${verdict.pass ? 'PASS' : 'FAIL'}  ${verdict.name}: ${verdict.detail}`);
  }
  return lines.join('\n');
}
