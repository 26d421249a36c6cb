// The fan-out bench's settings, read from BENCH_FANOUT_* environment variables so a smoke run can shrink them.
import { DEFAULT_TICK_MS } from '../server/events/index.ts';
import { BenchConfigError, integer } from './config.ts';

export type ScenarioName = 'results' | 'alerts' | 'list' | 'browser' | 'cluster';

export interface FanoutConfig {
  scenarios: ScenarioName[];
  /** Seconds results are written for (results and list scenarios), after the warm-up. */
  seconds: number;
  warmupSeconds: number;
  resultSubscribers: number;
  resultsPerSecond: number;
  alertSubscribers: number;
  alerts: number;
  /** alerts: every subscriber follows every alert (`alertRaised`), rather than one monitor's each. */
  alertsToAll: boolean;
  listSubscribers: number;
  /** list: distinct operations the subscribers are spread over (each a group with its own execution). */
  listGroups: number;
  /**
   * list: what makes the groups differ — their operation's name (each follows every monitor), or their `ids`
   * filter (each follows a distinct half of the monitors, as dashboards filtered differently do).
   */
  listGroupBy: 'name' | 'ids';
  /** Monitors of the list and browser scenarios. */
  listMonitors: number;
  listIntervalSeconds: number;
  /** cluster: subscribers (half checkCompleted, half alertRaised) spread over two instances. */
  clusterSubscribers: number;
  /** cluster: monitors with a result every listIntervalSeconds, one in clusterFlapEvery flapping (alerts). */
  clusterMonitors: number;
  clusterFlapEvery: number;
  /** The service's TEMPS_REEL_INTERVALLE_MS. */
  tickMs: number;
  /** list: every this many subscribers, one reads its messages in full (latency per monitor, what is lost). */
  sampleEvery: number;
  /** Client processes the subscribers are spread over. */
  clientProcesses: number;
  adminDatabaseUrl: string;
}

const SCENARIOS: ScenarioName[] = ['results', 'alerts', 'list', 'browser', 'cluster'];

function scenarios(): ScenarioName[] {
  const raw = process.env.BENCH_FANOUT_SCENARIOS?.trim();
  if (!raw) return SCENARIOS;
  const names = raw.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !SCENARIOS.includes(name as ScenarioName));
  if (unknown.length) {
    throw new BenchConfigError(
      `BENCH_FANOUT_SCENARIOS: unknown ${unknown.join(', ')} (known: ${SCENARIOS.join(', ')})`,
    );
  }
  return names as ScenarioName[];
}

function listGroupBy(): FanoutConfig['listGroupBy'] {
  const raw = process.env.BENCH_FANOUT_LIST_GROUP_BY?.trim() || 'name';
  if (raw !== 'name' && raw !== 'ids')
    throw new BenchConfigError(`BENCH_FANOUT_LIST_GROUP_BY: name or ids, not ${raw}`);
  return raw;
}

export function loadFanoutConfig(): FanoutConfig {
  return {
    scenarios: scenarios(),
    seconds: integer('BENCH_FANOUT_SECONDS', 20, 1, 3600),
    warmupSeconds: integer('BENCH_FANOUT_WARMUP_SECONDS', 3, 0, 600),
    resultSubscribers: integer('BENCH_FANOUT_RESULT_SUBSCRIBERS', 1000, 1, 20_000),
    resultsPerSecond: integer('BENCH_FANOUT_RESULTS_PER_SECOND', 100, 1, 10_000),
    alertSubscribers: integer('BENCH_FANOUT_ALERT_SUBSCRIBERS', 10_000, 1, 18_000),
    alerts: integer('BENCH_FANOUT_ALERTS', 1000, 1, 100_000),
    alertsToAll: process.env.BENCH_FANOUT_ALERTS_TO_ALL === '1',
    listSubscribers: integer('BENCH_FANOUT_LIST_SUBSCRIBERS', 1000, 1, 20_000),
    listGroups: integer('BENCH_FANOUT_LIST_GROUPS', 1, 1, 1000),
    listGroupBy: listGroupBy(),
    listMonitors: integer('BENCH_FANOUT_MONITORS', 10_000, 1, 1_000_000),
    listIntervalSeconds: integer('BENCH_FANOUT_INTERVAL_SECONDS', 10, 1, 3600),
    clusterSubscribers: integer('BENCH_FANOUT_CLUSTER_SUBSCRIBERS', 1000, 2, 20_000),
    clusterMonitors: integer('BENCH_FANOUT_CLUSTER_MONITORS', 1000, 1, 1_000_000),
    clusterFlapEvery: integer('BENCH_FANOUT_CLUSTER_FLAP_EVERY', 20, 1, 1_000_000),
    tickMs: integer('BENCH_FANOUT_TICK_MS', DEFAULT_TICK_MS, 20, 60_000),
    sampleEvery: integer('BENCH_FANOUT_SAMPLE_EVERY', 10, 1, 20_000),
    clientProcesses: integer('BENCH_FANOUT_CLIENT_PROCESSES', 2, 1, 16),
    adminDatabaseUrl: process.env.BENCH_DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres',
  };
}
