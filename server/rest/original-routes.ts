// The original service's four endpoints, with their exact shapes.
import type { HealthReport } from '../health.ts';
import type { ResultService } from '../results/index.ts';
import { isPlainObject } from '../validation.ts';
import { HttpError } from './http-error.ts';
import { parseLimit, parseLocation } from './params.ts';
import type { Router } from './router.ts';
import { etatShape, statutShape } from './shapes.ts';

export interface OriginalRoutesDeps {
  results: ResultService;
  health: () => Promise<HealthReport>;
}

export function registerOriginalRoutes(router: Router, deps: OriginalRoutesDeps): void {
  router
    .on('POST', '/api/verifier', 'editor', async ({ body, clientAddress }) => {
      const result = await deps.results.checkUrl(clientAddress, async () => {
        const input = await body();
        if (!isPlainObject(input))
          throw new HttpError(400, 'expected a JSON object like {"url": "https://exemple.com"}');
        const url = input.url;
        if (url === undefined || url === null) throw new HttpError(400, 'url: is required');
        if (typeof url !== 'string') throw new HttpError(400, 'url: must be a string');
        return url;
      });
      return { body: { statut: statutShape(result) } };
    })
    .on('GET', '/api/resultats', 'viewer', async ({ query }) => {
      const results = await deps.results.latest(
        parseLimit(query.get('limit')),
        parseLocation(query.get('emplacement')),
      );
      return { body: { resultats: results.map(statutShape) } };
    })
    .on('DELETE', '/api/resultats', 'admin', async () => {
      await deps.results.deleteEverything();
      return { body: { message: 'all monitors, results and alerts were deleted' } };
    })
    .on('GET', '/api/etat', 'public', async () => {
      const health = await deps.health();
      return { status: health.ok ? 200 : 503, body: etatShape(health) };
    });
}
