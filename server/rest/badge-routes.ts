// GET /badge/<monitor id or slug>/status.svg, uptime.svg?window=30d, latency.svg?window=24h: public SVG badges
// of the monitors whose badges are switched on or that a status page lists (public already); any other monitor is
// "no such badge", exactly like a missing one.
import type { BadgeKind, BadgeService } from '../badges/index.ts';
import { HttpError } from './http-error.ts';
import { parseWindow } from './params.ts';
import type { Router } from './router.ts';

/** Badges change with each check: a few seconds in caches spare the database from pages embedding them. */
export const BADGE_CACHE_CONTROL = 'public, max-age=10';
const SVG = 'image/svg+xml; charset=utf-8';
const MAX_LABEL = 100;

export function registerBadgeRoutes(router: Router, badges: BadgeService): void {
  for (const kind of ['status', 'uptime', 'latency'] as const satisfies readonly BadgeKind[]) {
    router.on('GET', `/badge/:ref/${kind}.svg`, 'public', async ({ params, query }) => {
      const label = query.get('label');
      if (label !== null && label.length > MAX_LABEL) {
        throw new HttpError(400, `label: at most ${MAX_LABEL} characters`);
      }
      const window = kind === 'status' ? null : parseWindow('window', query.get('window'));
      const body = await badges.render({ ref: params.ref!, kind, window, label: label || null });
      return { text: { contentType: SVG, body }, headers: { 'Cache-Control': BADGE_CACHE_CONTROL } };
    });
  }
}
