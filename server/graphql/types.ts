// The context every resolver receives.
import type DataLoader from 'dataloader';
import type { Alert, ChannelService } from '../alerts/index.ts';
import type { Db } from '../db/index.ts';
import type { EventHub } from '../events/index.ts';
import type { HealthReport } from '../health.ts';
import type { Monitor, MonitorService } from '../monitors/index.ts';
import type { CheckResult } from '../results/index.ts';
import type { CheckStats, IncidentSummary, LatencyPercentiles, RangeRequest, StatsRange } from '../stats/index.ts';

export interface Loaders {
  monitor: DataLoader<number, Monitor | null>;
  lastResult: DataLoader<number, CheckResult | null>;
  /** The latest n results of a monitor (first pages of Monitor.results). */
  recentResults(limit: number): DataLoader<number, CheckResult[]>;
  recentAlerts(limit: number): DataLoader<number, Alert[]>;
  /** A stats range, with "now" shared by every field of one resolving pass. */
  statsRange(request: RangeRequest): StatsRange;
  checkStats(range: StatsRange): DataLoader<number, CheckStats>;
  percentiles(range: StatsRange): DataLoader<number, LatencyPercentiles>;
  incidents(range: StatsRange): DataLoader<number, IncidentSummary>;
}

export interface GraphQLContext {
  db: Db;
  monitors: MonitorService;
  channels: ChannelService;
  events: EventHub;
  loaders: Loaders;
  checkTimeoutMs: number;
  health(): Promise<HealthReport>;
}
