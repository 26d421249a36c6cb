// CRUD for monitors under /api/moniteurs, and a monitor's own results.
import { roleAtLeast, type Principal } from '../auth/index.ts';
import type { HeartbeatService, MonitorService } from '../monitors/index.ts';
import type { ResultService } from '../results/index.ts';
import { parseId, parseLimit, parseLocation } from './params.ts';
import type { Router } from './router.ts';
import { detailedStatutShape, monitorChangesFromRest, monitorInputFromRest, moniteurShape } from './shapes.ts';

export function registerMonitorRoutes(
  router: Router,
  monitors: MonitorService,
  results: ResultService,
  heartbeats: HeartbeatService,
  publicUrl: string,
): void {
  // Ping URLs are secrets: only those who may change the monitor see them.
  const pingBase = (principal: Principal | null) =>
    principal && roleAtLeast(principal.role, 'editor') ? publicUrl : null;
  router
    .on('GET', '/api/moniteurs', 'viewer', async ({ principal }) => ({
      body: { moniteurs: (await monitors.list()).map((monitor) => moniteurShape(monitor, pingBase(principal))) },
    }))
    .on('POST', '/api/moniteurs', 'editor', async ({ body }) => {
      const monitor = await monitors.create(monitorInputFromRest(await body()));
      return { status: 201, body: { moniteur: moniteurShape(monitor, publicUrl) } };
    })
    .on('GET', '/api/moniteurs/:id', 'viewer', async ({ params, principal }) => ({
      body: { moniteur: moniteurShape(await monitors.get(parseId(params.id)), pingBase(principal)) },
    }))
    .on('PUT', '/api/moniteurs/:id', 'editor', async ({ params, body }) => {
      const id = parseId(params.id);
      const monitor = await monitors.replace(id, monitorInputFromRest(await body()));
      return { body: { moniteur: moniteurShape(monitor, publicUrl) } };
    })
    .on('PATCH', '/api/moniteurs/:id', 'editor', async ({ params, body }) => {
      const id = parseId(params.id);
      const monitor = await monitors.patch(id, monitorChangesFromRest(await body()));
      return { body: { moniteur: moniteurShape(monitor, publicUrl) } };
    })
    .on('DELETE', '/api/moniteurs/:id', 'editor', async ({ params }) => {
      await monitors.remove(parseId(params.id));
      return { status: 204 };
    })
    .on('POST', '/api/moniteurs/:id/pause', 'editor', async ({ params }) => ({
      body: { moniteur: moniteurShape(await monitors.setPaused(parseId(params.id), true), publicUrl) },
    }))
    .on('POST', '/api/moniteurs/:id/reprise', 'editor', async ({ params }) => ({
      body: { moniteur: moniteurShape(await monitors.setPaused(parseId(params.id), false), publicUrl) },
    }))
    .on('POST', '/api/moniteurs/:id/jeton-ping', 'editor', async ({ params }) => {
      const id = parseId(params.id);
      await heartbeats.regenerateToken(id);
      return { body: { moniteur: moniteurShape(await monitors.get(id), publicUrl) } };
    })
    .on('GET', '/api/moniteurs/:id/resultats', 'viewer', async ({ params, query }) => {
      const id = parseId(params.id);
      await monitors.get(id);
      const latest = await results.ofMonitor(
        id,
        parseLimit(query.get('limit')),
        parseLocation(query.get('emplacement')),
      );
      return { body: { resultats: latest.map(detailedStatutShape) } };
    });
}
