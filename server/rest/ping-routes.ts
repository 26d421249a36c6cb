// The ping URLs of heartbeat monitors: /api/ping/<token>, /start and /fail, by GET or POST, without a login (the
// token is the secret). An unknown token is a bare 404, like any missing page.
import type { HeartbeatService, PingEvent } from '../monitors/index.ts';
import { RateLimit } from '../rate-limit.ts';
import { HttpError } from './http-error.ts';
import type { RouteContext, Router } from './router.ts';

/** Pings per token and per minute, at most (a job pinging every second, with /start, stays below). */
export const PINGS_PER_MINUTE = 300;

const PATHS: Array<[string, PingEvent]> = [
  ['/api/ping/:token', 'success'],
  ['/api/ping/:token/start', 'start'],
  ['/api/ping/:token/fail', 'fail'],
];

export function registerPingRoutes(router: Router, heartbeats: HeartbeatService): void {
  const limit = new RateLimit(PINGS_PER_MINUTE, 60_000, 'pings for this URL');
  const handle = (event: PingEvent) => async (context: RouteContext) => {
    const token = context.params.token!;
    limit.take(token);
    const message = context.req.method === 'POST' ? await context.text() : null;
    const known = await heartbeats.ping({ token, event, message, durationMs: context.query.get('duree_ms') });
    if (!known) throw new HttpError(404, 'not found');
    return {
      text: { contentType: 'text/plain; charset=utf-8', body: 'OK\n' },
      headers: { 'Cache-Control': 'no-store' },
    };
  };
  for (const [path, event] of PATHS) {
    router.on('GET', path, 'public', handle(event));
    router.on('POST', path, 'public', handle(event));
  }
}
