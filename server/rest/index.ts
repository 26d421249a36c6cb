// The REST API: the original service's endpoints and monitor management.
import type { Logger } from 'pino';
import type { Db } from '../db/index.ts';
import type { HealthReport } from '../health.ts';
import type { ChannelService } from '../alerts/index.ts';
import type { MonitorService } from '../monitors/index.ts';
import { MAINTENANCE_FIELDS_FR, registerAlertRoutes } from './alert-routes.ts';
import { CHANNEL_FIELDS_FR, registerChannelRoutes } from './channel-routes.ts';
import { registerMonitorRoutes } from './monitor-routes.ts';
import { registerOriginalRoutes } from './original-routes.ts';
import { Router } from './router.ts';
import { restFieldName } from './shapes.ts';

export { sendJson } from './router.ts';
export type { Router } from './router.ts';

export interface RestDeps {
  db: Db;
  monitors: MonitorService;
  channels: ChannelService;
  checkTimeoutMs: number;
  health: () => Promise<HealthReport>;
  logger: Logger;
}

export function createRestRouter(deps: RestDeps): Router {
  const otherFields = { ...CHANNEL_FIELDS_FR, ...MAINTENANCE_FIELDS_FR };
  const router = new Router(deps.logger, (field) => restFieldName(field, otherFields));
  registerOriginalRoutes(router, deps);
  registerMonitorRoutes(router, deps.monitors, deps.db);
  registerChannelRoutes(router, deps.channels, deps.monitors);
  registerAlertRoutes(router, deps.db);
  return router;
}
