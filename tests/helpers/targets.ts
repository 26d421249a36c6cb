// Loopback targets for tests and benchmarks (HTTP, HTTPS, TCP); each one records what it saw and closes cleanly.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { generate } from 'selfsigned';

export const LOOPBACK = '127.0.0.1';
/** /big answers this many bytes: BIG_BODY_HEAD, filler, then BIG_BODY_TAIL in the last bytes. */
export const BIG_BODY_BYTES = 2 * 1024 * 1024;
export const BIG_BODY_HEAD = 'BIG-BODY-HEAD';
export const BIG_BODY_TAIL = 'BIG-BODY-TAIL';
/** /endless repeats this chunk forever (it contains no letters other than "x"). */
const ENDLESS_CHUNK = Buffer.alloc(64 * 1024, 'x');
const MAX_SEEN = 1000;
const DAY_MS = 86_400_000;

export interface SeenRequest {
  method: string;
  /** Path and query, e.g. "/status/500". */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Which connection it arrived on: a new number for each new socket. */
  socketId: number;
}

export interface HttpTarget {
  /** Base URL without a trailing slash, e.g. "http://127.0.0.1:41234". */
  url: string;
  port: number;
  /** Requests received (all paths). */
  readonly requests: number;
  /** TCP connections accepted. */
  readonly connections: number;
  /** Connections still open right now (0 once every client has hung up). */
  readonly openSockets: number;
  /** The most recent requests (up to 1000), oldest first. */
  readonly seen: readonly SeenRequest[];
  /** Status and body of "/" (and of /slow/:ms); default 200 "OK". */
  setStatus(code: number): void;
  setBody(text: string): void;
  close(): Promise<void>;
}

export interface HttpsTarget extends HttpTarget {
  /** The self-signed certificate (PEM) and the end of its validity. */
  cert: string;
  validTo: Date;
}

export interface TcpTarget {
  host: string;
  port: number;
  /** Connections accepted (always 0 for a silent target). */
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * An HTTP server on 127.0.0.1 whose behaviour is chosen by path:
 * `/` current status + body · `/status/:code` · `/slow/:ms` current status + body after ms · `/hang` never answers ·
 * `/endless` 200 and data until the client leaves · `/redirect?to=URL[&status=301]` (302 by default) ·
 * `/loop` redirects to itself · `/hops/:n` n redirects, then 200 · `/big` a 2 MiB body · anything else 404.
 */
export async function startHttpTarget(): Promise<HttpTarget> {
  return serve((handler) => http.createServer(handler), 'http');
}

/** Like startHttpTarget, over TLS with a self-signed certificate for localhost/127.0.0.1/::1. */
export async function startHttpsTarget(options: { validDays?: number } = {}): Promise<HttpsTarget> {
  const validDays = options.validDays ?? 30;
  const now = Date.now();
  const validTo = new Date(now + validDays * DAY_MS);
  // Backdated so clock skew never makes it "not yet valid"; an expired one (validDays <= 0) ends in the past.
  const validFrom = new Date(Math.min(now - 3_600_000, validTo.getTime() - DAY_MS));
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: validFrom,
    notAfterDate: validTo,
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  const target = await serve((handler) => https.createServer({ key: pems.private, cert: pems.cert }, handler), 'https');
  return Object.assign(target, { cert: pems.cert, validTo });
}

/** A TCP server on 127.0.0.1 that accepts each connection and closes it at once. */
export async function startTcpTarget(): Promise<TcpTarget> {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    socket.on('error', () => {});
    socket.destroy();
  });
  server.listen(0, LOOPBACK);
  await once(server, 'listening');
  return {
    host: LOOPBACK,
    port: (server.address() as net.AddressInfo).port,
    get connections() {
      return connections;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A loopback port nothing listens on, so connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, LOOPBACK);
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// Runs in a worker: listen with a tiny backlog, then block that thread so nothing is ever accepted.
const SILENT_LISTENER = `
const { parentPort, workerData } = require('node:worker_threads');
const net = require('node:net');
const server = net.createServer();
server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  parentPort.postMessage(server.address().port);
  Atomics.wait(new Int32Array(workerData), 0, 0);
});`;

/**
 * A loopback port where new connections hang (no answer, no refusal), for connect timeouts.
 * Linux drops SYNs once a listener's accept queue is full; the listener lives in a blocked worker thread
 * and a few filler connections fill its queue.
 */
export async function startSilentTcpTarget(): Promise<TcpTarget> {
  const flag = new SharedArrayBuffer(4);
  const worker = new Worker(SILENT_LISTENER, { eval: true, workerData: flag });
  const [port] = (await once(worker, 'message')) as [number];
  const fillers: net.Socket[] = [];
  const release = async (): Promise<void> => {
    for (const socket of fillers) socket.destroy();
    Atomics.store(new Int32Array(flag), 0, 1);
    Atomics.notify(new Int32Array(flag), 0);
    await worker.terminate();
  };
  for (;;) {
    const socket = net.connect(port, LOOPBACK);
    socket.on('error', () => {});
    fillers.push(socket);
    const connected = await Promise.race([
      once(socket, 'connect').then(() => true),
      new Promise<false>((resolve) => setTimeout(resolve, 200, false)),
    ]);
    if (!connected) break;
    if (fillers.length > 64) {
      await release();
      throw new Error('startSilentTcpTarget: the accept queue never filled (is this Linux?)');
    }
  }
  return { host: LOOPBACK, port, connections: 0, close: release };
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function serve(create: (handler: Handler) => http.Server, scheme: 'http' | 'https'): Promise<HttpTarget> {
  let status = 200;
  let body = 'OK';
  let requests = 0;
  let connections = 0;
  const seen: SeenRequest[] = [];
  const sockets = new Set<net.Socket>();
  const socketIds = new WeakMap<object, number>();
  const timers = new Set<NodeJS.Timeout>();
  let nextSocketId = 0;

  const respond = (res: ServerResponse, path: string): void => {
    const url = new URL(path, 'http://target');
    const [, route = '', arg = ''] = url.pathname.split('/');
    switch (route) {
      case '':
        return void res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
      case 'status':
        return void res.writeHead(Number(arg), { 'content-type': 'text/plain' }).end(`status ${arg}`);
      case 'slow': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
        }, Number(arg));
        timers.add(timer);
        res.on('close', () => {
          clearTimeout(timer);
          timers.delete(timer);
        });
        return;
      }
      case 'hang':
        return; // the socket is destroyed when the client gives up or the target closes
      case 'endless': {
        res.writeHead(200, { 'content-type': 'text/plain' });
        // Paced by 'drain', so a slow reader never makes the server buffer without limit.
        const pump = (): void => {
          while (!res.destroyed && res.write(ENDLESS_CHUNK));
        };
        res.on('drain', pump);
        return pump();
      }
      case 'redirect':
        return void res
          .writeHead(Number(url.searchParams.get('status') ?? 302), { location: url.searchParams.get('to') ?? '/' })
          .end();
      case 'loop':
        return void res.writeHead(302, { location: '/loop' }).end();
      case 'hops': {
        const left = Number(arg);
        if (left > 0) return void res.writeHead(302, { location: `/hops/${left - 1}` }).end();
        return void res.writeHead(200, { 'content-type': 'text/plain' }).end('arrived');
      }
      case 'big': {
        const filler = 'a'.repeat(BIG_BODY_BYTES - BIG_BODY_HEAD.length - BIG_BODY_TAIL.length);
        return void res.writeHead(200, { 'content-type': 'text/plain' }).end(BIG_BODY_HEAD + filler + BIG_BODY_TAIL);
      }
      default:
        return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  };

  const server = create((req, res) => {
    requests++;
    req.on('error', () => {});
    res.on('error', () => {});
    let socketId = socketIds.get(req.socket);
    if (socketId === undefined) socketIds.set(req.socket, (socketId = ++nextSocketId));
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      seen.push({
        method: req.method ?? '',
        path,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        socketId,
      });
      if (seen.length > MAX_SEEN) seen.shift();
      respond(res, path);
    });
  });
  server.on('connection', (socket: net.Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
  });
  // TLS handshakes the client aborts (e.g. it rejects the certificate) are expected, not failures.
  server.on('tlsClientError', () => {});
  server.listen(0, LOOPBACK);
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;

  return {
    url: `${scheme}://${LOOPBACK}:${port}`,
    port,
    get requests() {
      return requests;
    },
    get connections() {
      return connections;
    },
    get openSockets() {
      return sockets.size;
    },
    get seen() {
      return seen;
    },
    setStatus: (code) => void (status = code),
    setBody: (text) => void (body = text),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
