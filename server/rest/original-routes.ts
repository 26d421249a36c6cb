// The original service's four endpoints, with their exact shapes.
import type { Db } from '../db/index.ts';
import type { HealthReport } from '../health.ts';
import type { AddressPolicies } from '../checks/index.ts';
import type { RateLimit } from '../rate-limit.ts';
import { checkUrlNow, deleteEverything, latestResults } from '../results/index.ts';
import { isPlainObject } from '../validation.ts';
import { HttpError } from './http-error.ts';
import { parseLimit } from './params.ts';
import type { Router } from './router.ts';
import { etatShape, statutShape } from './shapes.ts';

export interface OriginalRoutesDeps {
  db: Db;
  checkTimeoutMs: number;
  addressPolicies: AddressPolicies;
  health: () => Promise<HealthReport>;
  /** One-off checks per client address (shared with GraphQL's checkUrl). */
  oneOffChecks: RateLimit;
}

export function registerOriginalRoutes(router: Router, deps: OriginalRoutesDeps): void {
  router
    .on('POST', '/api/verifier', 'editor', async ({ body, clientAddress }) => {
      deps.oneOffChecks.take(clientAddress);
      const input = await body();
      if (!isPlainObject(input)) throw new HttpError(400, 'expected a JSON object like {"url": "https://exemple.com"}');
      const url = input.url;
      if (url === undefined || url === null) throw new HttpError(400, 'url: is required');
      if (typeof url !== 'string') throw new HttpError(400, 'url: must be a string');
      const result = await checkUrlNow(deps.db, url, deps.checkTimeoutMs, deps.addressPolicies.strict);
      return { body: { statut: statutShape(result) } };
    })
    .on('GET', '/api/resultats', 'viewer', async ({ query }) => {
      const results = await latestResults(deps.db, parseLimit(query.get('limit')));
      return { body: { resultats: results.map(statutShape) } };
    })
    .on('DELETE', '/api/resultats', 'admin', async () => {
      await deleteEverything(deps.db);
      return { body: { message: 'all monitors, results and alerts were deleted' } };
    })
    .on('GET', '/api/etat', 'public', async () => {
      const health = await deps.health();
      return { status: health.ok ? 200 : 503, body: etatShape(health) };
    });
}
