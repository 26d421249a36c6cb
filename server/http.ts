// The HTTP server: /api (REST), /graphql, and the dashboard (client/dist) at / and /status.
import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';
import { GRAPHQL_PATH, type GraphQLServer } from './graphql/server.ts';
import { sendJson, type Router } from './rest/index.ts';
import { createStaticSite, type StaticSite } from './static.ts';

const HOME_PAGE = `<!doctype html><meta charset="utf-8"><title>Vigie</title>
<h1>Vigie</h1><p>GraphQL (with GraphiQL) at <a href="/graphql">/graphql</a>; REST at <a href="/api/moniteurs">/api/moniteurs</a>;
health at <a href="/api/etat">/api/etat</a>.</p>`;

export function createHttpServer(
  router: Router,
  graphql: GraphQLServer,
  logger: Logger,
  site: StaticSite = createStaticSite(),
): Server {
  const server = createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      sendJson(res, 400, { erreur: 'malformed request URL' });
      return;
    }
    if (url.pathname === GRAPHQL_PATH) {
      graphql.handle(req, res);
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
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  return server;
}
