// The headers every response carries, set once per request before anything answers (http.ts). A handler's
// own headers replace these: the dashboard pages' Content-Security-Policy, a file's Cache-Control.
import type { IncomingMessage, ServerResponse } from 'node:http';

const NOT_FRAMED = "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  // Clickjacking: old browsers read X-Frame-Options, newer ones frame-ancestors.
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  // JSON, text and the plain home page load nothing; the dashboard pages send their own policy (static.ts).
  'Content-Security-Policy': `default-src 'none'; ${NOT_FRAMED}`,
  // API answers depend on who asks and change all the time; files served by static.ts say otherwise.
  'Cache-Control': 'no-store',
};

/**
 * GraphiQL, Yoga's page at /graphql (graphql/graphiql.ts): its script, styles and icon are inline in the page, and
 * its editor's workers are made from inline text as blob: workers; it talks to /graphql over HTTP and WebSocket.
 * Nothing comes from another origin. Only that page gets this.
 */
export const GRAPHIQL_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'unsafe-inline'",
  "style-src 'unsafe-inline'",
  'font-src data:',
  'img-src data:',
  'worker-src blob:',
  "connect-src 'self'",
  NOT_FRAMED,
].join('; ');

export function setSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}

/**
 * Yoga's own rule for answering with GraphiQL rather than JSON (graphql-yoga's shouldRenderGraphiQL). With
 * GraphiQL off, such a request gets a JSON error under GraphiQL's policy: harmless, JSON runs nothing.
 */
export function wantsGraphiQL(req: IncomingMessage): boolean {
  return req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
}

/** The same headers in a raw HTTP/1.1 head, for answers written straight to a socket. */
export function rawSecurityHeaders(): string {
  return Object.entries(SECURITY_HEADERS)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
}
