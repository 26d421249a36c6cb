// The REST API: the original service's endpoints and monitor management.
import type { Logger } from 'pino';
import type { Db } from '../db/index.ts';
import type { HealthReport } from '../health.ts';
import type { MonitorService } from '../monitors/index.ts';
import { registerMonitorRoutes } from './monitor-routes.ts';
import { registerOriginalRoutes } from './original-routes.ts';
import { Router } from './router.ts';
import { restFieldName } from './shapes.ts';

export { sendJson } from './router.ts';
export type { Router } from './router.ts';

export interface RestDeps {
  db: Db;
  monitors: MonitorService;
  checkTimeoutMs: number;
  health: () => Promise<HealthReport>;
  logger: Logger;
}

export function createRestRouter(deps: RestDeps): Router {
  const router = new Router(deps.logger, restFieldName);
  registerOriginalRoutes(router, deps);
  registerMonitorRoutes(router, deps.monitors, deps.db);
  return router;
}
