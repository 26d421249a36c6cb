// A small router for the JSON API: method + path patterns with :params, each with the role it requires, JSON
// bodies with a size limit, and streamed answers (exports).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import { roleAtLeast, type Access, type Principal } from '../auth/index.ts';
import { ForbiddenError, UnauthenticatedError } from '../errors.ts';
import { jsonShapeProblem } from '../json-limits.ts';
import { HttpError, toErrorResponse } from './http-error.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface RouteContext {
  req: IncomingMessage;
  /** Who is calling; null on a public route called without (valid) credentials. */
  principal: Principal | null;
  /** The client's address (X-Forwarded-For only from trusted proxies), for rate limits. */
  clientAddress: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Reads and parses the JSON body (at most 1 MiB). */
  body(): Promise<unknown>;
  /** Reads the body as text, whatever its type (at most 1 MiB). */
  text(): Promise<string>;
}

export interface RouteResult {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Instead of a JSON body: one sent as it is produced (see sendStream). */
  stream?: StreamedBody;
  /** Instead of a JSON body: text of another type (badges). */
  text?: { contentType: string; body: string };
}

export interface StreamedBody {
  headers: Record<string, string>;
  chunks: AsyncIterable<string>;
}

export type RouteHandler = (context: RouteContext) => Promise<RouteResult>;

interface Route {
  method: string;
  path: string;
  access: Access;
  pattern: RegExp;
  paramNames: string[];
  handler: RouteHandler;
}

export interface RouterOptions {
  /** Renames a domain field to its REST name in error messages. */
  fieldName?: (field: string) => string;
  /** Who makes a request; throws for invalid credentials or a cross-site request. */
  authenticate(req: IncomingMessage): Promise<Principal | null>;
  clientAddress(req: IncomingMessage): string;
}

export class Router {
  private readonly routes: Route[] = [];

  constructor(
    private readonly logger: Logger,
    private readonly options: RouterOptions,
  ) {}

  /** Every route with the access it requires (for the access-policy inventory). */
  inventory(): Array<{ method: string; path: string; access: Access }> {
    return this.routes.map(({ method, path, access }) => ({ method, path, access }));
  }

  /** Declares a route: who may call it (`access`) is part of the declaration. */
  on(method: string, path: string, access: Access, handler: RouteHandler): this {
    const paramNames: string[] = [];
    const pattern = new RegExp(
      `^${path.replace(/\./g, '\\.').replace(/:([a-z_]+)/g, (_, name: string) => {
        paramNames.push(name);
        return '([^/]+)';
      })}/?$`,
    );
    this.routes.push({ method, path, access, pattern, paramNames, handler });
    return this;
  }

  /** Returns false when no route matches the path (so another handler may serve it). */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const matching = this.routes
      .map((route) => ({ route, match: route.pattern.exec(url.pathname) }))
      .filter((candidate) => candidate.match !== null);
    if (matching.length === 0) return false;
    try {
      // HEAD is GET without the body (Node sends no body in answer to a HEAD request).
      const method = req.method === 'HEAD' ? 'GET' : req.method;
      const found = matching.find((candidate) => candidate.route.method === method);
      if (!found) {
        const allowed = [...new Set(matching.map((candidate) => candidate.route.method))];
        // HEAD goes with GET (answered as GET without the body).
        res.setHeader('Allow', allowed.flatMap((method) => (method === 'GET' ? ['GET', 'HEAD'] : [method])).join(', '));
        throw new HttpError(405, `method ${req.method} is not allowed on ${url.pathname}`);
      }
      const params = Object.fromEntries(
        found.route.paramNames.map((name, index) => [name, decodePathParam(name, found.match![index + 1]!)]),
      );
      const principal = await this.principalFor(found.route, req);
      const clientAddress = this.options.clientAddress(req);
      const context = {
        req,
        principal,
        clientAddress,
        params,
        query: url.searchParams,
        body: () => readJsonBody(req),
        text: () => readBodyText(req),
      };
      const result = await found.route.handler(context);
      if (result.stream && req.method === 'HEAD') {
        res.writeHead(result.status ?? 200, { ...result.headers, ...result.stream.headers }).end();
        void result.stream.chunks[Symbol.asyncIterator]().return?.();
      } else if (result.stream)
        await sendStream(res, result.status ?? 200, {
          ...result.stream,
          headers: { ...result.headers, ...result.stream.headers },
        });
      else if (result.text) {
        const { contentType, body } = result.text;
        res
          .writeHead(result.status ?? 200, {
            ...result.headers,
            'Content-Type': contentType,
            'Content-Length': Buffer.byteLength(body),
          })
          .end(body);
      } else sendJson(res, result.status ?? 200, result.body, result.headers);
    } catch (error) {
      // The client left during a streamed answer: nobody to answer, and not a failure of the server.
      if ((error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE' && res.destroyed) return true;
      const response = toErrorResponse(error, this.logger, this.options.fieldName);
      sendJson(res, response.status, response.body, response.headers);
    }
    return true;
  }

  /** Checks the route's access; a public route ignores credentials it cannot use. */
  private async principalFor(route: Route, req: IncomingMessage): Promise<Principal | null> {
    if (route.access === 'public') return this.options.authenticate(req).catch(() => null);
    const principal = await this.options.authenticate(req);
    if (!principal) throw new UnauthenticatedError();
    if (!roleAtLeast(principal.role, route.access)) {
      throw new ForbiddenError(
        `${route.method} ${route.path} needs the ${route.access} role; you are ${principal.role}`,
      );
    }
    return principal;
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

/**
 * Writes the chunks as they come, waiting for the client to take each one (back-pressure). Nothing is sent
 * before the first chunk exists, so a failure until then is answered like any other (JSON error). A failure
 * after that destroys the connection: the client sees a truncated download, not a complete-looking file.
 * When the client goes away, the iteration is stopped (its return() is called).
 */
async function sendStream(res: ServerResponse, status: number, body: StreamedBody): Promise<void> {
  const iterator = body.chunks[Symbol.asyncIterator]();
  const first = await iterator.next();
  async function* all(): AsyncGenerator<string> {
    if (first.done) return;
    yield first.value;
    yield* { [Symbol.asyncIterator]: () => iterator };
  }
  res.writeHead(status, body.headers);
  try {
    await pipeline(Readable.from(all(), { objectMode: false }), res);
  } finally {
    // Also when the client left before all() started (then pipeline cannot stop the iteration itself).
    void iterator.return?.().catch(() => undefined);
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  // Any Content-Type is read as JSON: the original service's clients (curl -d ...) often send none.
  const text = await readBodyText(req);
  if (text.trim() === '') throw new HttpError(400, 'request body is empty; expected JSON');
  const problem = jsonShapeProblem(text);
  if (problem) throw new HttpError(400, `request body refused: ${problem}`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `invalid JSON: ${(error as Error).message}`);
  }
}

async function readBodyText(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    throw new HttpError(413, `request body too large (limit ${MAX_BODY_BYTES} bytes)`);
  }
  return readText(req);
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
