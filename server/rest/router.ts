// A small router for the JSON API: method + path patterns with :params, JSON bodies with a size limit.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { HttpError, toErrorResponse } from './http-error.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface RouteContext {
  req: IncomingMessage;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Reads and parses the JSON body (at most 1 MiB). */
  body(): Promise<unknown>;
}

export interface RouteResult {
  status?: number;
  body?: unknown;
}

export type RouteHandler = (context: RouteContext) => Promise<RouteResult>;

interface Route {
  method: string;
  pattern: RegExp;
  paramNames: string[];
  handler: RouteHandler;
}

export class Router {
  private readonly routes: Route[] = [];

  constructor(
    private readonly logger: Logger,
    private readonly fieldName?: (field: string) => string,
  ) {}

  on(method: string, path: string, handler: RouteHandler): this {
    const paramNames: string[] = [];
    const pattern = new RegExp(
      `^${path.replace(/:([a-z_]+)/g, (_, name: string) => {
        paramNames.push(name);
        return '([^/]+)';
      })}/?$`,
    );
    this.routes.push({ method, pattern, paramNames, handler });
    return this;
  }

  /** Returns false when no route matches the path (so another handler may serve it). */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const matching = this.routes
      .map((route) => ({ route, match: route.pattern.exec(url.pathname) }))
      .filter((candidate) => candidate.match !== null);
    if (matching.length === 0) return false;
    try {
      const found = matching.find((candidate) => candidate.route.method === req.method);
      if (!found) {
        res.setHeader('Allow', [...new Set(matching.map((candidate) => candidate.route.method))].join(', '));
        throw new HttpError(405, `method ${req.method} is not allowed on ${url.pathname}`);
      }
      const params = Object.fromEntries(
        found.route.paramNames.map((name, index) => [name, decodePathParam(name, found.match![index + 1]!)]),
      );
      const result = await found.route.handler({ req, params, query: url.searchParams, body: () => readJsonBody(req) });
      sendJson(res, result.status ?? 200, result.body);
    } catch (error) {
      const response = toErrorResponse(error, this.logger, this.fieldName);
      sendJson(res, response.status, response.body);
    }
    return true;
  }
}

// A malformed escape ("%E0%A4%A") is the client's mistake (400), not a URIError turning into a 500.
function decodePathParam(name: string, raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, `${name}: malformed percent-encoding in the path ("${raw.slice(0, 100)}")`);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  // Any Content-Type is read as JSON: the original service's clients (curl -d ...) often send none.
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    throw new HttpError(413, `request body too large (limit ${MAX_BODY_BYTES} bytes)`);
  }
  const text = await readText(req);
  if (text.trim() === '') throw new HttpError(400, 'request body is empty; expected JSON');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `invalid JSON: ${(error as Error).message}`);
  }
}

// Not `for await`: leaving that loop early destroys the request, and a request destroyed before its body
// ended leaves its keep-alive connection stuck (the rest of the body is never read, the next request on that
// connection never answered). Past the limit the rest is drained and dropped instead.
function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.off('data', onData);
        req.resume();
        reject(new HttpError(413, `request body too large (limit ${MAX_BODY_BYTES} bytes)`));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(new HttpError(400, 'request body ended before it was complete'));
    });
  });
}
