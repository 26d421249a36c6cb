// One HTTP POST to a receiver (webhook, Slack, Discord, ntfy), with the delivery rules they all share:
// one deadline for the whole exchange, no redirects followed, only addresses the address policy permits (checked
// after DNS, on the address connected to), at most 64 KiB of the answer read, and errors classified as retryable
// or not, with messages that name the receiver by its origin only.
import http from 'node:http';
import https from 'node:https';
import { isBlockedAddressError, STRICT_ADDRESS_POLICY, type AddressPolicy } from '../../checks/index.ts';
import { DeliveryError } from './types.ts';
import { redactUrl, scrub, secretPartsOfUrl } from './redact.ts';
import { describeNetworkError, describeTlsSetupError } from './network-errors.ts';

const MAX_RESPONSE_BYTES = 64 * 1024;
const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

export interface PostRequest {
  /** Names the receiver in messages, e.g. "webhook" or "Slack webhook". */
  what: string;
  /** Default POST; Matrix sends with PUT (the transaction id in the path makes it idempotent). */
  method?: 'POST' | 'PUT';
  url: string;
  body: string;
  /** Added to the JSON content type and user agent every channel sends. */
  headers?: Record<string, string>;
  timeoutMs: number;
  /** Strings that must never appear in an error message (the URL's parts are added). */
  secrets: readonly string[];
  /** Default STRICT_ADDRESS_POLICY. */
  addressPolicy?: AddressPolicy;
}

/** Resolves on a 2xx answer; otherwise rejects with a DeliveryError. */
/** Every channel posts JSON. */
const JSON_HEADERS = { 'Content-Type': 'application/json', 'User-Agent': 'Vigie' };

export function postToReceiver(request: PostRequest): Promise<void> {
  const where = `${request.what} ${redactUrl(request.url)}`;
  const secrets = [...request.secrets, ...secretPartsOfUrl(request.url)];
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    let outgoing: http.ClientRequest | undefined;
    const finish = (error: DeliveryError | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outgoing?.destroy();
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(
      () => finish(new DeliveryError(`${where}: no complete answer within ${request.timeoutMs} ms`, true)),
      request.timeoutMs,
    );
    try {
      const url = new URL(request.url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new DeliveryError(`${where}: only http and https URLs are supported`, false);
      }
      const policy = request.addressPolicy ?? STRICT_ADDRESS_POLICY;
      // Node connects to an IP address without calling `lookup`: such a URL is checked here.
      const refused = policy.literalRefusal(url.hostname);
      if (refused !== null) throw networkError(where, refused, secrets);
      const client = url.protocol === 'https:' ? https : http;
      const headers = {
        ...JSON_HEADERS,
        ...request.headers,
        'Content-Length': String(Buffer.byteLength(request.body)),
        Connection: 'close',
      };
      outgoing = client.request(
        url,
        { method: request.method ?? 'POST', headers, agent: false, lookup: policy.lookup },
        (response) => {
          const status = response.statusCode ?? 0;
          // The status line settles a success or a redirect; only a refusal's body is worth quoting.
          if (status < 400) return finish(classifyAnswer(where, status, undefined, ''));
          const chunks: Buffer[] = [];
          let size = 0;
          const done = (): void => {
            const text = Buffer.concat(chunks).toString('utf8');
            finish(classifyAnswer(where, status, response.headers['retry-after'], scrub(text, secrets)));
          };
          response.on('data', (chunk: Buffer) => {
            if (size < MAX_RESPONSE_BYTES) chunks.push(chunk.subarray(0, MAX_RESPONSE_BYTES - size));
            size += chunk.length;
            if (size >= MAX_RESPONSE_BYTES) done();
          });
          response.on('end', done);
          response.on('error', (error) => finish(networkError(where, error, secrets)));
        },
      );
      outgoing.on('error', (error) => finish(networkError(where, error, secrets)));
      outgoing.end(request.body);
    } catch (error) {
      // Bad URL, or a header value Node refuses (e.g. a line break): the channel's settings need fixing.
      const message = `${where}: cannot send: ${scrub(String(error), secrets)}`;
      finish(error instanceof DeliveryError ? error : new DeliveryError(message, false));
    }
  });
}

/** 2xx → delivered (null); 408, 429 and 5xx → retryable; redirects and other 4xx → not retryable. */
function classifyAnswer(
  where: string,
  status: number,
  retryAfter: string | undefined,
  body: string,
): DeliveryError | null {
  if (status >= 200 && status < 300) return null;
  const detail = body ? `: ${body}` : '';
  if (status >= 300 && status < 400) {
    return new DeliveryError(
      `${where} answered HTTP ${status}, a redirect, which is not followed: check the URL`,
      false,
    );
  }
  const retryable = status === 408 || status === 429 || status >= 500;
  return new DeliveryError(
    `${where} answered HTTP ${status}${detail}`,
    retryable,
    retryable ? retryAfterMs(retryAfter) : null,
  );
}

/** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
function retryAfterMs(header: string | undefined): number | null {
  if (!header) return null;
  const ms = /^\d+$/.test(header.trim()) ? Number(header) * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : null;
}

function networkError(where: string, error: Error & { code?: string }, secrets: readonly string[]): DeliveryError {
  // The address will not change its class by itself: someone must change the URL or the configuration.
  if (isBlockedAddressError(error)) return new DeliveryError(`${where}: ${scrub(error.message, secrets)}`, false);
  const tlsProblem = describeTlsSetupError(error.code, error.message);
  if (tlsProblem) return new DeliveryError(`${where}: ${tlsProblem}`, false);
  const known = describeNetworkError(error.code);
  return new DeliveryError(
    `${where}: ${known ?? scrub(error.message || error.code || 'network error', secrets)}`,
    true,
  );
}
