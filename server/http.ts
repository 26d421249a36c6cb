// The HTTP server: /api (REST), /graphql, /metrics (Prometheus), and the dashboard (client/dist) at / and /status.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { OriginPolicy, OriginRefusal, RequestAuthenticator, RequestKind } from './auth/index.ts';
import { UnauthenticatedError } from './errors.ts';
import { GRAPHQL_PATH, type GraphQLServer } from './graphql/server.ts';
import { collectedGroups, METRICS_PATH, type Metrics } from './metrics/index.ts';
import { sendJson, type Router } from './rest/index.ts';
import {
  GRAPHIQL_CONTENT_SECURITY_POLICY,
  rawSecurityHeaders,
  setSecurityHeaders,
  wantsGraphiQL,
} from './security-headers.ts';
import { createStaticSite, type StaticSite } from './static.ts';

const HOME_PAGE = `<!doctype html><meta charset="utf-8"><title>Vigie</title>
<h1>Vigie</h1><p>GraphQL (with GraphiQL) at <a href="/graphql">/graphql</a>; REST at <a href="/api/moniteurs">/api/moniteurs</a>;
health at <a href="/api/etat">/api/etat</a>; Prometheus metrics at <a href="/metrics">/metrics</a>.</p>`;

const TEXT = 'text/plain; charset=utf-8';

/** Monitor names and targets are for signed-in users (any role): Prometheus sends an API key as a bearer token. */
async function serveMetrics(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  metrics: Metrics,
  authenticate: RequestAuthenticator,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': TEXT }).end('use GET\n');
    return;
  }
  const principal = await authenticate(req).catch((error: unknown) => {
    if (error instanceof UnauthenticatedError) return null;
    throw error;
  });
  if (!principal) {
    res
      .writeHead(401, { 'WWW-Authenticate': 'Bearer realm="vigie"', 'Content-Type': TEXT })
      .end('authentication required: send an API key as "Authorization: Bearer <key>"\n');
    return;
  }
  let groups: ReturnType<typeof collectedGroups>;
  try {
    groups = collectedGroups(url.searchParams);
  } catch (error) {
    res.writeHead(400, { 'Content-Type': TEXT }).end(`${(error as Error).message}\n`);
    return;
  }
  const headers = { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' };
  if (req.method === 'HEAD') {
    res.writeHead(200, headers).end();
    return;
  }
  res.writeHead(200, headers).end(await metrics.render(groups));
}

/** The API (REST, GraphQL, metrics) answers only allowed origins; pages may be linked to from anywhere. */
function requestKind(pathname: string): RequestKind {
  const api =
    pathname === GRAPHQL_PATH || pathname === METRICS_PATH || pathname === '/api' || pathname.startsWith('/api/');
  return api ? 'api' : 'page';
}

/** A refused origin or Host, in the shape of the API asked: GraphQL errors on /graphql, {"erreur"} elsewhere. */
function sendRefusal(res: ServerResponse, pathname: string, refusal: OriginRefusal): void {
  if (pathname !== GRAPHQL_PATH) return sendJson(res, refusal.status, { erreur: refusal.message });
  const code = refusal.status === 421 ? 'MISDIRECTED_REQUEST' : 'FORBIDDEN';
  sendJson(res, refusal.status, { errors: [{ message: refusal.message, extensions: { code } }] });
}

export function createHttpServer(
  router: Router,
  graphql: GraphQLServer,
  metrics: Metrics,
  authenticate: RequestAuthenticator,
  origins: OriginPolicy,
  logger: Logger,
  site: StaticSite = createStaticSite(),
): Server {
  const server = createServer((req, res) => {
    setSecurityHeaders(res);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      sendJson(res, 400, { erreur: 'malformed request URL' });
      return;
    }
    const refusal = origins.refusal(req, requestKind(url.pathname));
    if (refusal) {
      req.resume();
      sendRefusal(res, url.pathname, refusal);
      return;
    }
    if (url.pathname === GRAPHQL_PATH) {
      if (wantsGraphiQL(req)) res.setHeader('Content-Security-Policy', GRAPHIQL_CONTENT_SECURITY_POLICY);
      graphql.handle(req, res);
      return;
    }
    if (url.pathname === METRICS_PATH) {
      serveMetrics(req, res, url, metrics, authenticate).catch((error: unknown) => {
        logger.error({ err: error }, 'could not serve the metrics');
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': TEXT }).end('could not collect the metrics\n');
      });
      return;
    }
    router
      .handle(req, res, url)
      .then(async (handled) => {
        if (handled) return;
        if (url.pathname.startsWith('/api/') || url.pathname === '/api') {
          sendJson(res, 404, { erreur: `no such endpoint: ${req.method} ${url.pathname}` });
        } else if (await site.handle(req, res, url.pathname)) {
          // the built dashboard answered
        } else if (url.pathname === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
          res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(HOME_PAGE);
        } else {
          sendJson(res, 404, { erreur: `not found: ${url.pathname}` });
        }
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'request failed');
        sendJson(res, 500, { erreur: 'internal error' });
      });
  });
  graphql.attach(server);
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end(`HTTP/1.1 400 Bad Request\r\n${rawSecurityHeaders()}Connection: close\r\n\r\n`);
  });
  return server;
}
