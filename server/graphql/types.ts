// The context every resolver receives.
import type DataLoader from 'dataloader';
import type { Alert, AlertService, ChannelService } from '../alerts/index.ts';
import type { MaintenanceService } from '../maintenance/index.ts';
import type { AuthService, Principal } from '../auth/index.ts';
import type { EventHub } from '../events/index.ts';
import type { HealthReport } from '../health.ts';
import type { Instance } from '../instances/index.ts';
import type { HeartbeatService, Monitor, MonitorService } from '../monitors/index.ts';
import type { CheckResult, ResultService } from '../results/index.ts';
import type { StatusPageService } from '../status-pages/index.ts';
import type {
  CheckStats,
  IncidentSummary,
  LatencyPercentiles,
  RangeRequest,
  SeriesPoint,
  StatsRange,
} from '../stats/index.ts';

export interface Loaders {
  monitor: DataLoader<number, Monitor | null>;
  lastResult: DataLoader<number, CheckResult | null>;
  alert: DataLoader<number, Alert | null>;
  /** The latest n results of a monitor (first pages of Monitor.results). */
  recentResults(limit: number): DataLoader<number, CheckResult[]>;
  recentAlerts(limit: number): DataLoader<number, Alert[]>;
  /** A stats range, with "now" shared by every field of one resolving pass. */
  statsRange(request: RangeRequest): StatsRange;
  checkStats(range: StatsRange): DataLoader<number, CheckStats>;
  percentiles(range: StatsRange): DataLoader<number, LatencyPercentiles>;
  incidents(range: StatsRange): DataLoader<number, IncidentSummary>;
  series(key: { range: StatsRange; resolutionSeconds: number }): DataLoader<number, SeriesPoint[]>;
}

/** A tick of monitorsChanged: its monitors, and the time its figures are computed at. */
export interface LoaderTick {
  readonly ids: readonly number[];
  readonly at: Date;
}

export interface GraphQLContext {
  /** Who is asking; null when not authenticated. */
  principal: Principal | null;
  /** Why credentials that were sent were refused (expired, revoked...), to say so rather than "log in". */
  authError: Error | null;
  auth: AuthService;
  monitors: MonitorService;
  heartbeats: HeartbeatService;
  /** The service's public URL (URL_PUBLIQUE): ping URLs are under it. */
  publicUrl: string;
  results: ResultService;
  alerts: AlertService;
  maintenance: MaintenanceService;
  channels: ChannelService;
  statusPages: StatusPageService;
  events: EventHub;
  loaders: Loaders;
  /** The loaders every execution resolving one tick of monitorsChanged shares (see loaders.ts). */
  loadersOfTick(tick: LoaderTick): Loaders;
  health(): Promise<HealthReport>;
  /** The live Vigie instances sharing the database. */
  instances(): Promise<Instance[]>;
  /** The client's address (X-Forwarded-For only from trusted proxies), for rate limits. */
  clientAddress: string;
}
