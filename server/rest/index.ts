// The REST API: the original service's endpoints, monitor management, alerts, exports, users and API keys.
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { AlertService, ChannelService } from '../alerts/index.ts';
import type { MaintenanceService } from '../maintenance/index.ts';
import type { AuthService, LoginThrottle, Principal } from '../auth/index.ts';
import type { BadgeService } from '../badges/index.ts';
import type { HealthReport } from '../health.ts';
import type { HeartbeatService, MonitorService } from '../monitors/index.ts';
import type { ResultService } from '../results/index.ts';
import type { StatsService } from '../stats/index.ts';
import type { StatusPageService } from '../status-pages/index.ts';
import { MAINTENANCE_FIELDS_FR, registerAlertRoutes } from './alert-routes.ts';
import { AUTH_FIELDS_FR, registerAuthRoutes } from './auth-routes.ts';
import { registerBadgeRoutes } from './badge-routes.ts';
import { CHANNEL_FIELDS_FR, registerChannelRoutes } from './channel-routes.ts';
import { registerExportRoutes } from './export-routes.ts';
import { registerMonitorRoutes } from './monitor-routes.ts';
import { registerOriginalRoutes } from './original-routes.ts';
import { registerPingRoutes } from './ping-routes.ts';
import { Router } from './router.ts';
import { restFieldName } from './shapes.ts';
import { registerStatsRoutes } from './stats-routes.ts';
import { registerStatusPageRoutes } from './status-page-routes.ts';

export { sendJson } from './router.ts';
export type { Router } from './router.ts';

export interface RestDeps {
  monitors: MonitorService;
  heartbeats: HeartbeatService;
  /** The service's public URL (URL_PUBLIQUE), for the ping URLs of heartbeat monitors. */
  publicUrl: string;
  results: ResultService;
  stats: StatsService;
  alerts: AlertService;
  maintenance: MaintenanceService;
  channels: ChannelService;
  badges: BadgeService;
  statusPages: StatusPageService;
  auth: AuthService;
  authenticate(req: IncomingMessage): Promise<Principal | null>;
  clientAddress(req: IncomingMessage): string;
  loginThrottle: LoginThrottle;
  secureCookies: boolean;
  health: () => Promise<HealthReport>;
  logger: Logger;
}

export function createRestRouter(deps: RestDeps): Router {
  const otherFields = { ...CHANNEL_FIELDS_FR, ...MAINTENANCE_FIELDS_FR, ...AUTH_FIELDS_FR };
  const router = new Router(deps.logger, {
    fieldName: (field) => restFieldName(field, otherFields),
    authenticate: deps.authenticate,
    clientAddress: deps.clientAddress,
  });
  registerOriginalRoutes(router, deps);
  registerMonitorRoutes(router, deps.monitors, deps.results, deps.heartbeats, deps.publicUrl);
  registerPingRoutes(router, deps.heartbeats);
  registerStatsRoutes(router, deps.monitors, deps.stats);
  registerChannelRoutes(router, deps.channels, deps.monitors);
  registerAlertRoutes(router, deps.alerts, deps.maintenance);
  registerExportRoutes(router, deps.monitors, deps.results);
  registerBadgeRoutes(router, deps.badges);
  registerStatusPageRoutes(router, deps.statusPages);
  registerAuthRoutes(router, { auth: deps.auth, throttle: deps.loginThrottle, secureCookies: deps.secureCookies });
  return router;
}
