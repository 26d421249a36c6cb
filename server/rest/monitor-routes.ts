// CRUD for monitors under /api/moniteurs, and a monitor's own results.
import type { MonitorService } from '../monitors/index.ts';
import type { ResultService } from '../results/index.ts';
import { parseId, parseLimit, parseLocation } from './params.ts';
import type { Router } from './router.ts';
import { detailedStatutShape, monitorChangesFromRest, monitorInputFromRest, moniteurShape } from './shapes.ts';

export function registerMonitorRoutes(router: Router, monitors: MonitorService, results: ResultService): void {
  router
    .on('GET', '/api/moniteurs', 'viewer', async () => ({
      body: { moniteurs: (await monitors.list()).map(moniteurShape) },
    }))
    .on('POST', '/api/moniteurs', 'editor', async ({ body }) => {
      const monitor = await monitors.create(monitorInputFromRest(await body()));
      return { status: 201, body: { moniteur: moniteurShape(monitor) } };
    })
    .on('GET', '/api/moniteurs/:id', 'viewer', async ({ params }) => ({
      body: { moniteur: moniteurShape(await monitors.get(parseId(params.id))) },
    }))
    .on('PUT', '/api/moniteurs/:id', 'editor', async ({ params, body }) => {
      const id = parseId(params.id);
      const monitor = await monitors.replace(id, monitorInputFromRest(await body()));
      return { body: { moniteur: moniteurShape(monitor) } };
    })
    .on('PATCH', '/api/moniteurs/:id', 'editor', async ({ params, body }) => {
      const id = parseId(params.id);
      const monitor = await monitors.patch(id, monitorChangesFromRest(await body()));
      return { body: { moniteur: moniteurShape(monitor) } };
    })
    .on('DELETE', '/api/moniteurs/:id', 'editor', async ({ params }) => {
      await monitors.remove(parseId(params.id));
      return { status: 204 };
    })
    .on('POST', '/api/moniteurs/:id/pause', 'editor', async ({ params }) => ({
      body: { moniteur: moniteurShape(await monitors.setPaused(parseId(params.id), true)) },
    }))
    .on('POST', '/api/moniteurs/:id/reprise', 'editor', async ({ params }) => ({
      body: { moniteur: moniteurShape(await monitors.setPaused(parseId(params.id), false)) },
    }))
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
