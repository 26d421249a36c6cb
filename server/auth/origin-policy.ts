// Which origins and Host names are this server's own — from the configuration and the listening address, never
// from the request — and the browser rules built on them: the CORS allow-list, the Host check against DNS
// rebinding, and the refusal of cross-site requests (CSRF, cross-site WebSocket hijacking).
import { STATUS_CODES, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { networkInterfaces } from 'node:os';

export interface OriginPolicyOptions {
  /** URL_PUBLIQUE: the address browsers use (behind a reverse proxy, the proxy's). */
  publicUrl: string;
  /** HOST: the address the server listens on. */
  listenHost: string;
  /** ORIGINES_AUTORISEES: other sites whose pages may call the API. */
  allowedOrigins: readonly string[];
  /** AUTH_DISABLED: every caller is an admin, so every browser request must come from here. */
  authDisabled: boolean;
}

/** Why a request is refused: 421 for a Host that is not ours, 403 for a cross-site request. */
export interface OriginRefusal {
  status: 403 | 421;
  message: string;
}

/** An API request (REST, GraphQL, metrics), a WebSocket upgrade, or a page of the dashboard. */
export type RequestKind = 'api' | 'socket' | 'page';

/** What Yoga's `cors` option takes (graphql-yoga CORSOptions). */
export interface CorsAnswer {
  origin: string[];
  credentials: boolean;
  methods: string[];
  allowedHeaders: string[];
  maxAge: number;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

export class OriginPolicy {
  private readonly publicUrl: URL;
  private own = new Set<string>();
  private hosts = new Set<string>();

  constructor(private readonly options: OriginPolicyOptions) {
    this.publicUrl = new URL(options.publicUrl);
  }

  /** Completes the server's own origins once it listens (PORT=0 picks the port then). */
  listening(port: number): void {
    const names = new Set([...LOOPBACK_NAMES, ...listenNames(this.options.listenHost)]);
    const hosts = new Set<string>();
    const own = new Set<string>([this.publicUrl.origin]);
    for (const name of names) {
      hosts.add(`${name}:${port}`);
      if (port === 80) hosts.add(name);
      own.add(new URL(`http://${name}:${port}`).origin);
    }
    hosts.add(this.publicUrl.host);
    hosts.add(`${this.publicUrl.hostname}:${this.publicUrl.port || (this.publicUrl.protocol === 'https:' ? 443 : 80)}`);
    this.hosts = hosts;
    this.own = own;
  }

  /** The server's own origins and ORIGINES_AUTORISEES: the pages that may call the API. */
  allows(origin: string): boolean {
    return this.own.has(origin) || this.options.allowedOrigins.includes(origin);
  }

  /** Yoga's CORS answer: only an allowed origin gets CORS headers; any other gets none (nothing reflected). */
  cors(origin: string | null): CorsAnswer | false {
    if (!origin || !this.allows(origin)) return false;
    return {
      origin: [origin],
      credentials: true,
      methods: ['GET', 'POST'],
      allowedHeaders: ['Content-Type', 'Authorization', 'Accept'],
      maxAge: 600,
    };
  }

  /**
   * Null when the request may go on. With AUTH_DISABLED, the Host must be one of ours (a DNS-rebinding page
   * names its own host) and any browser request to the API that is not from an allowed origin is refused,
   * reading or not, whatever its headers. With authentication on, a change that relies on the cookie (no
   * Authorization header) and every WebSocket must come from an allowed origin or the one the Host names; a
   * request the browser marks
   * cross-site without saying from where is refused too.
   */
  refusal(req: IncomingMessage, kind: RequestKind): OriginRefusal | null {
    const { headers } = req;
    const { authDisabled } = this.options;
    if (authDisabled && !this.hosts.has((headers.host ?? '').toLowerCase())) {
      return {
        status: 421,
        message: `host "${(headers.host ?? '').slice(0, 200)}" is not this server's (set URL_PUBLIQUE to the address you use to reach it)`,
      };
    }
    if (kind === 'page') return null;
    const origin = claimedOrigin(headers);
    if (origin !== undefined) {
      // With logins on, the page the Host names is ours too: a cookie is bound to the host name, so a page
      // rebound to our address under another name has none, and a user reaching Vigie by an unlisted address
      // (a container seen through the host's LAN address) can still log in.
      if (this.allows(origin) || (!authDisabled && namesHost(origin, headers.host))) return null;
      const mustMatch =
        authDisabled || kind === 'socket' || (!SAFE_METHODS.has(req.method ?? 'GET') && !headers.authorization);
      if (mustMatch)
        return forbidden(
          `origin ${origin.slice(0, 200)} is not allowed: it is neither URL_PUBLIQUE's nor in ORIGINES_AUTORISEES`,
        );
    }
    const site = headers['sec-fetch-site'];
    if (site === 'cross-site' || (authDisabled && site === 'same-site')) {
      return forbidden(`the browser marked it ${site} (Sec-Fetch-Site) and it names no allowed origin`);
    }
    return null;
  }
}

/** A refusal written straight to the socket of a WebSocket upgrade (no ServerResponse there). */
export function upgradeRefusal(refusal: OriginRefusal): string {
  const body = JSON.stringify({ erreur: refusal.message });
  return [
    `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'X-Content-Type-Options: nosniff',
    'Cache-Control: no-store',
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

const forbidden = (why: string): OriginRefusal => ({ status: 403, message: `cross-site request refused: ${why}` });

/** The page a browser request comes from: its Origin, else its Referer's origin; undefined from non-browsers. */
function claimedOrigin(headers: IncomingHttpHeaders): string | undefined {
  if (headers.origin !== undefined) return headers.origin;
  if (!headers.referer) return undefined;
  try {
    return new URL(headers.referer).origin;
  } catch {
    return 'null';
  }
}

function namesHost(origin: string, host: string | undefined): boolean {
  return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
}

/** How browsers may name the listening address; on a wildcard address, every address of the machine. */
function listenNames(host: string): string[] {
  const bracket = (address: string) => (address.includes(':') ? `[${address}]` : address);
  if (!WILDCARD_HOSTS.has(host)) return [bracket(host.toLowerCase())];
  return Object.values(networkInterfaces())
    .flat()
    .filter((entry) => entry !== undefined && !entry.address.startsWith('fe80:'))
    .map((entry) => bracket(entry!.address.toLowerCase()));
}
