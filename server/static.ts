// Serves the built dashboard (client/dist): files with their content types, hashed assets cached for good,
// index.html for the dashboard's routes and status.html for /status; nothing outside the folder.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { projectPath } from './project-files.ts';

export const DEFAULT_CLIENT_DIR = projectPath('client', 'dist');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The pages' policy: scripts, styles and connections (including the WebSocket) from this origin only, never in
 * a frame. The headers every response has (nosniff, no referrer...) come from security-headers.ts.
 */
const pagePolicy = (images: string) =>
  `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src ${images}; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'`;
const PAGE_HEADERS = { 'Content-Security-Policy': pagePolicy("'self' data:") };
/** Status pages show the logo their operator chose, wherever it is hosted. */
const STATUS_PAGE_HEADERS = { 'Content-Security-Policy': pagePolicy("'self' data: https: http:") };
/** /status (the default page) and /status/<slug>. */
const STATUS_PAGE = /^\/status(\/[^/]+)?\/?$/;

export interface StaticSite {
  /** Answers GET/HEAD for a dashboard file or route; false when it is not one (the caller answers 404). */
  handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean>;
}

interface Found {
  path: string;
  size: number;
  mtime: Date;
}

async function fileAt(path: string): Promise<Found | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? { path, size: info.size, mtime: info.mtime } : null;
  } catch {
    return null;
  }
}

export function createStaticSite(root: string = DEFAULT_CLIENT_DIR): StaticSite {
  const base = normalize(root + sep);

  /** The file a URL path names inside root, or null for anything that would leave it. */
  const resolve = (pathname: string): string | null => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return null;
    }
    if (decoded.includes('\0') || decoded.includes('\\')) return null;
    const path = normalize(join(base, decoded));
    return path.startsWith(base) ? path : null;
  };

  const send = (
    req: IncomingMessage,
    res: ServerResponse,
    file: Found,
    immutable: boolean,
    pageHeaders = PAGE_HEADERS,
  ): void => {
    const type = CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream';
    const etag = `W/"${file.size.toString(16)}-${file.mtime.getTime().toString(16)}"`;
    const headers: Record<string, string | number> = {
      'Content-Type': type,
      ETag: etag,
      'Last-Modified': file.mtime.toUTCString(),
      // Hashed file names change with their content: cache them for good. Pages are revalidated each time.
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...(type.startsWith('text/html') ? pageHeaders : {}),
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers).end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Length': file.size });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file.path)
      .on('error', () => res.destroy())
      .pipe(res);
  };

  return {
    async handle(req, res, pathname) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      const path = resolve(pathname);
      if (path === null) return false;
      const isAsset = pathname.startsWith('/assets/');
      const direct = path === base || pathname.endsWith('/') ? null : await fileAt(path);
      if (direct) {
        send(req, res, direct, isAsset);
        return true;
      }
      // A missing asset or file with an extension is a 404, never a page (a script must not receive HTML).
      if (isAsset || extname(pathname) !== '') return false;
      const status = STATUS_PAGE.test(pathname);
      const file = await fileAt(join(base, status ? 'status.html' : 'index.html'));
      if (!file) return false;
      send(req, res, file, false, status ? STATUS_PAGE_HEADERS : PAGE_HEADERS);
      return true;
    },
  };
}
