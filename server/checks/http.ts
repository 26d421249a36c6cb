// HTTP(S) check: a fresh connection per request, phase timings from socket events, bounded body reads.
import http from 'node:http';
import https from 'node:https';
import type { ClientRequest, IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { MONITOR_ADDRESS_POLICY, type AddressPolicy } from './address-policy.ts';
import { evaluateAssertions, parseAssertions, readsBody, type Assertion } from './assertions.ts';
import { compileKeyword, type KeywordMatcher } from './keyword.ts';
import { RegexTimeoutError } from './regex-pool.ts';
import { isAllowedRedirectScheme, parseHttpTarget } from './targets.ts';
import { maskUrlSecrets } from './url-secrets.ts';
import {
  buildOutcome,
  checkTimeout,
  inputFailure,
  classifyNetworkError,
  elapsedMs,
  startClock,
  timeoutFailure,
  type Failure,
} from './outcome.ts';
import type { CheckOutcome, CheckSpec, HttpCheckSettings, PhaseTimings } from './types.ts';

export const DEFAULT_HTTP_SETTINGS: Readonly<HttpCheckSettings> = Object.freeze<HttpCheckSettings>({
  method: 'GET',
  headers: {},
  body: null,
  expectedStatus: [[200, 399]],
  followRedirects: true,
  keyword: null,
  keywordIsRegex: false,
  keywordMustBeAbsent: false,
  ignoreTlsErrors: false,
});

export const MAX_REDIRECTS = 10;
export const MAX_BODY_BYTES = 1024 * 1024;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];
const DAY_MS = 86_400_000;

interface HopRequest {
  url: URL;
  method: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** Lower-cased names of the headers the monitor's settings added: none of them follows a redirect to another origin. */
  userHeaders: readonly string[];
  body: string | null;
}

interface HopOptions {
  deadline: number;
  timeoutMs: number;
  readBody: boolean;
  followRedirects: boolean;
  rejectUnauthorized: boolean;
  /** Every hop (redirects included) is checked against it, after DNS. */
  addressPolicy: AddressPolicy;
  signal?: AbortSignal;
}

interface Hop {
  status: number | null;
  /** Set only for a redirect status that carries a Location header. */
  location: string | null;
  body: string | null;
  /** The response's headers; empty when there was no response. */
  headers: IncomingHttpHeaders;
  failure: Failure | null;
  certificateDaysLeft: number | null;
  /** When the certificate expires (valid_to). */
  certificateExpiresAt: Date | null;
  timings: Omit<PhaseTimings, 'totalMs'>;
}

interface PhaseMarks {
  lookup?: number;
  connect?: number;
  secure?: number;
  response?: number;
}

export async function checkHttp(spec: CheckSpec): Promise<CheckOutcome> {
  const clock = startClock();
  const timeoutMs = checkTimeout(spec.timeoutMs);
  if (typeof timeoutMs !== 'number') return buildOutcome(spec.target, clock, timeoutMs);

  let request: HopRequest;
  let settings: HttpCheckSettings;
  let matcher: KeywordMatcher | null;
  let assertions: Assertion[];
  try {
    settings = resolveSettings(spec.http);
    request = { url: parseHttpTarget(spec.target), ...initialRequest(settings) };
    // Validation refuses a pattern RE2 cannot run; one stored before that rule fails here, with the reason.
    matcher = settings.keyword === null ? null : compileKeyword(settings.keyword, settings.keywordIsRegex);
    // Validation refuses a bad assertion; one stored before a rule changed fails here, with the reason.
    assertions = parseAssertions(spec.assertions ?? []);
  } catch (error) {
    return buildOutcome(spec.target, clock, inputFailure(error));
  }

  const options: HopOptions = {
    deadline: clock.startedAt + timeoutMs,
    timeoutMs: spec.timeoutMs,
    readBody: matcher !== null || readsBody(assertions),
    followRedirects: settings.followRedirects,
    rejectUnauthorized: !settings.ignoreTlsErrors,
    addressPolicy: spec.addressPolicy ?? MONITOR_ADDRESS_POLICY,
    signal: spec.signal,
  };
  const visited = new Set<string>();
  for (let redirects = 0; ; redirects++) {
    visited.add(`${request.method} ${request.url.href}`);
    const hop = await sendRequest(request, options);
    let failure = hop.failure;
    if (failure?.cause === 'blocked_address' && redirects > 0) {
      const url = `${request.url.origin}${request.url.pathname}`;
      failure = { cause: 'blocked_address', message: `redirect to ${url} refused: ${failure.message}` };
    }
    if (failure === null && settings.followRedirects && hop.location !== null && hop.status !== null) {
      const next = redirectRequest(request, hop.status, hop.location, redirects, visited);
      if (!('cause' in next)) {
        request = next;
        continue;
      }
      failure = next;
    } else if (failure === null) {
      failure = await evaluateResponse(hop, settings, matcher, options.deadline);
      if (failure === null && assertions.length > 0) failure = assertionFailure(assertions, hop, elapsedMs(clock));
    }
    const totalMs = elapsedMs(clock);
    return buildOutcome(spec.target, clock, failure, {
      httpStatus: hop.status,
      latencyMs: totalMs,
      timings: { ...hop.timings, totalMs: Math.round(totalMs) },
      certificateDaysLeft: hop.certificateDaysLeft,
      certificateExpiresAt: hop.certificateExpiresAt,
    });
  }
}

function resolveSettings(given: Partial<HttpCheckSettings> | undefined): HttpCheckSettings {
  const defined = Object.entries(given ?? {}).filter(([, value]) => value !== undefined);
  const merged: HttpCheckSettings = {
    ...DEFAULT_HTTP_SETTINGS,
    ...(Object.fromEntries(defined) as Partial<HttpCheckSettings>),
  };
  // An empty list would accept nothing, which no one means: fall back to the default range.
  const expected = merged.expectedStatus.length > 0 ? merged.expectedStatus : DEFAULT_HTTP_SETTINGS.expectedStatus;
  return {
    ...merged,
    // An empty keyword is how forms say "none".
    keyword: merged.keyword === '' ? null : merged.keyword,
    headers: { ...merged.headers },
    expectedStatus: expected.map(([low, high]) => [low, high]),
  };
}

function initialRequest(settings: HttpCheckSettings): Omit<HopRequest, 'url'> {
  const headers: Record<string, string> = { 'user-agent': 'Vigie uptime monitor', accept: '*/*' };
  const userHeaders = Object.keys(settings.headers).map((name) => name.toLowerCase());
  for (const [name, value] of Object.entries(settings.headers)) headers[name.toLowerCase()] = value;
  // A fresh connection per check, so each result measures connect (and TLS) time.
  headers.connection = 'close';
  if (settings.body !== null && headers['content-length'] === undefined) {
    headers['content-length'] = String(Buffer.byteLength(settings.body));
  }
  return { method: settings.method.toUpperCase(), headers, userHeaders, body: settings.body };
}

/** The request a redirect leads to, following the fetch standard's method rules, or why it must not be followed. */
function redirectRequest(
  current: HopRequest,
  status: number,
  location: string,
  redirects: number,
  visited: Set<string>,
): HopRequest | Failure {
  if (redirects >= MAX_REDIRECTS)
    return { cause: 'redirect', message: `too many redirects (more than ${MAX_REDIRECTS})` };
  let url: URL;
  try {
    url = new URL(location, current.url);
  } catch {
    return { cause: 'redirect', message: `redirect to an invalid URL: ${location.slice(0, 200)}` };
  }
  if (!isAllowedRedirectScheme(url)) {
    return { cause: 'redirect', message: `redirect to a ${url.protocol} URL is not followed (only http and https)` };
  }
  try {
    url = parseHttpTarget(url.href);
  } catch (error) {
    return { cause: 'redirect', message: `redirect to an invalid URL: ${(error as Error).message}` };
  }
  const becomesGet =
    ((status === 301 || status === 302) && current.method === 'POST') ||
    (status === 303 && current.method !== 'GET' && current.method !== 'HEAD');
  const headers = { ...current.headers };
  if (becomesGet) {
    for (const name of ['content-length', 'content-type', 'content-encoding']) delete headers[name];
  }
  // Never hand credentials meant for one origin to another: any header the user set may be one (X-Api-Key, ...).
  if (url.origin !== current.url.origin) {
    for (const name of [...CREDENTIAL_HEADERS, ...current.userHeaders]) delete headers[name];
  }
  const next: HopRequest = {
    url,
    method: becomesGet ? 'GET' : current.method,
    headers,
    userHeaders: current.userHeaders,
    body: becomesGet ? null : current.body,
  };
  if (visited.has(`${next.method} ${url.href}`))
    return { cause: 'redirect', message: `redirect loop at ${maskUrlSecrets(url.href)}` };
  return next;
}

async function evaluateResponse(
  hop: Hop,
  settings: HttpCheckSettings,
  matcher: KeywordMatcher | null,
  deadline: number,
): Promise<Failure | null> {
  if (hop.status === null) return { cause: 'error', message: 'no HTTP status received' };
  const status = hop.status;
  if (!settings.expectedStatus.some(([low, high]) => status >= low && status <= high)) {
    return { cause: 'http_status', message: `HTTP ${status}` };
  }
  if (matcher === null) return null;
  let found: boolean;
  try {
    found = await matcher(hop.body ?? '', Math.max(1, deadline - performance.now()));
  } catch (error) {
    const message = `keyword '${settings.keyword}' not evaluated: ${(error as Error).message}`;
    return { cause: error instanceof RegexTimeoutError ? 'timeout' : 'keyword', message };
  }
  if (found === settings.keywordMustBeAbsent) {
    return { cause: 'keyword', message: `keyword '${settings.keyword}' ${found ? 'present' : 'missing'}` };
  }
  return null;
}

/** Every assertion is evaluated; the failure names each one that did not hold. */
function assertionFailure(assertions: readonly Assertion[], hop: Hop, responseTimeMs: number): Failure | null {
  const failures = evaluateAssertions(assertions, {
    status: hop.status ?? 0,
    responseTimeMs,
    certificateDaysLeft: hop.certificateDaysLeft,
    headers: hop.headers,
    body: hop.body,
  });
  if (failures.length === 0) return null;
  const noun = failures.length === 1 ? 'assertion' : `${failures.length} assertions`;
  return { cause: 'assertion', message: `${noun} failed: ${failures.join('; ')}` };
}

/** One request on its own connection; resolves once, never rejects, and always destroys the socket. */
function sendRequest(request: HopRequest, options: HopOptions): Promise<Hop> {
  return new Promise((resolve) => {
    const startedAt = performance.now();
    const marks: PhaseMarks = {};
    let status: number | null = null;
    let location: string | null = null;
    let headers: IncomingHttpHeaders = {};
    let certificate: Certificate = NO_CERTIFICATE;
    let req: ClientRequest | undefined;
    let settled = false;

    const finish = (failure: Failure | null, body: string | null = null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', abandon);
      req?.destroy();
      resolve({
        status,
        location,
        body,
        headers,
        failure,
        ...certificate,
        timings: phaseTimings(startedAt, marks),
      });
    };
    // One deadline for the whole check: each hop only gets what the previous ones left.
    const timer = setTimeout(
      () => finish(timeoutFailure(options.timeoutMs)),
      Math.max(0, options.deadline - startedAt),
    );
    function abandon(): void {
      finish({ cause: 'error', message: 'check abandoned (shutdown)' });
    }
    if (options.signal?.aborted) return abandon();
    options.signal?.addEventListener('abort', abandon, { once: true });

    // Node connects to an IP address without calling `lookup`: such a URL is checked here.
    const refused = options.addressPolicy.literalRefusal(request.url.hostname);
    if (refused !== null) {
      finish(classifyNetworkError(refused));
      return;
    }
    try {
      const transport = request.url.protocol === 'https:' ? https : http;
      req = transport.request(request.url, {
        method: request.method,
        headers: request.headers,
        agent: false,
        rejectUnauthorized: options.rejectUnauthorized,
        lookup: options.addressPolicy.lookup,
      });
    } catch (error) {
      finish({ cause: 'invalid_target', message: `invalid request: ${(error as Error).message}` });
      return;
    }
    req.on('error', (error) => finish(classifyNetworkError(error)));
    req.on('socket', (socket) => {
      socket.on('error', () => {}); // reported through req
      socket.once('lookup', () => (marks.lookup = performance.now()));
      socket.once('connect', () => (marks.connect = performance.now()));
      socket.once('secureConnect', () => {
        marks.secure = performance.now();
        certificate = certificateOf(socket as TLSSocket);
      });
    });
    req.on('response', (res) => {
      marks.response = performance.now();
      status = res.statusCode ?? null;
      headers = res.headers;
      res.on('error', (error) => finish(classifyNetworkError(error)));
      const redirectTo = status !== null && REDIRECT_STATUSES.has(status) ? res.headers.location : undefined;
      location = redirectTo ?? null;
      // Without a keyword or a body assertion the body is never read: an endless body must not hold the check.
      if (!options.readBody || (options.followRedirects && location !== null)) finish(null);
      else readBody(res, (body) => finish(null, body));
    });
    req.end(request.body ?? undefined);
  });
}

/** Reads at most MAX_BODY_BYTES, then hands over what it has. */
function readBody(res: IncomingMessage, done: (body: string) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let complete = false;
  const deliver = (): void => {
    if (complete) return;
    complete = true;
    done(Buffer.concat(chunks, size).toString('utf8'));
  };
  res.on('data', (chunk: Buffer) => {
    if (complete) return;
    const room = MAX_BODY_BYTES - size;
    chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    size += Math.min(chunk.length, room);
    if (size >= MAX_BODY_BYTES) deliver();
  });
  res.on('end', deliver);
  // A body cut short surfaces as an 'error' first; a 'close' after a complete body is a normal end.
  res.on('close', () => {
    if (res.complete) deliver();
  });
}

function phaseTimings(startedAt: number, marks: PhaseMarks): Omit<PhaseTimings, 'totalMs'> {
  const span = (from: number | undefined, to: number | undefined): number | null =>
    from === undefined || to === undefined ? null : Math.max(0, Math.round(to - from));
  const connected = marks.secure ?? marks.connect;
  return {
    dnsMs: span(startedAt, marks.lookup),
    connectMs: span(marks.lookup ?? startedAt, marks.connect),
    tlsMs: span(marks.connect, marks.secure),
    firstByteMs: span(connected ?? startedAt, marks.response),
  };
}

type Certificate = Pick<Hop, 'certificateDaysLeft' | 'certificateExpiresAt'>;

const NO_CERTIFICATE: Certificate = { certificateDaysLeft: null, certificateExpiresAt: null };

function certificateOf(socket: TLSSocket): Certificate {
  const validTo = socket.getPeerCertificate()?.valid_to;
  const end = validTo ? Date.parse(validTo) : Number.NaN;
  if (Number.isNaN(end)) return NO_CERTIFICATE;
  return { certificateDaysLeft: Math.floor((end - Date.now()) / DAY_MS), certificateExpiresAt: new Date(end) };
}
