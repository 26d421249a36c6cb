// Building check outcomes and classifying socket errors; shared by the http, tcp and icmp checks.
import { ValidationError } from '../errors.ts';
import { isBlockedAddressError } from './address-policy.ts';
import { maskUrlSecrets } from './url-secrets.ts';
import type { CheckOutcome, FailureCause, PhaseTimings } from './types.ts';

/** Why a check failed: a groupable cause and a message for people. */
export interface Failure {
  cause: FailureCause;
  message: string;
}

export interface CheckClock {
  checkedAt: Date;
  /** performance.now() at the start: monotonic, unlike checkedAt. */
  startedAt: number;
}

// setTimeout fires at once (with a warning) above this.
const MAX_TIMER_MS = 2_147_483_647;

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME', 'ENODATA']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
const UNREACHABLE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);
const TLS_CODE =
  /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_|HOSTNAME_MISMATCH|INVALID_CA|INVALID_PURPOSE|PATH_LENGTH_EXCEEDED|CHAIN_TOO_LONG|ERR_OSSL_)/;

export function startClock(): CheckClock {
  return { checkedAt: new Date(), startedAt: performance.now() };
}

export function elapsedMs(clock: CheckClock): number {
  return performance.now() - clock.startedAt;
}

export function buildOutcome(
  target: string,
  clock: CheckClock,
  failure: Failure | null,
  details: {
    httpStatus?: number | null;
    timings?: PhaseTimings | null;
    certificateDaysLeft?: number | null;
    certificateExpiresAt?: Date | null;
    latencyMs?: number;
  } = {},
): CheckOutcome {
  return {
    isUp: failure === null,
    httpStatus: details.httpStatus ?? null,
    latencyMs: Math.max(0, Math.round(details.latencyMs ?? elapsedMs(clock))),
    checkedAt: clock.checkedAt,
    // Results are kept, exported and shown to every role: credentials in the URL never get that far.
    target: maskUrlSecrets(target),
    cause: failure?.cause ?? null,
    error: failure?.message ?? null,
    timings: details.timings ?? null,
    certificateDaysLeft: details.certificateDaysLeft ?? null,
    certificateExpiresAt: details.certificateExpiresAt ?? null,
  };
}

export function timeoutFailure(timeoutMs: number): Failure {
  const seconds = Number((timeoutMs / 1000).toFixed(3));
  return { cause: 'timeout', message: `timeout after ${seconds} s` };
}

/** The usable timer length for a spec's timeout, or a failure when the value makes no sense. */
export function checkTimeout(timeoutMs: number): number | Failure {
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    return { cause: 'error', message: `timeout must be a positive number of milliseconds (got ${String(timeoutMs)})` };
  }
  return Math.min(timeoutMs, MAX_TIMER_MS);
}

/** Why a check could not even start: its input was invalid (or, for anything else, an unexpected error). */
export function inputFailure(error: unknown): Failure {
  if (error instanceof ValidationError) return { cause: 'invalid_target', message: error.message };
  return { cause: 'error', message: error instanceof Error ? error.message : String(error) };
}

/** Maps a socket, DNS, TLS or HTTP-parser error to a failure cause. */
export function classifyNetworkError(error: unknown): Failure {
  if (isBlockedAddressError(error)) return { cause: 'blocked_address', message: error.message };
  const code = errorCode(error);
  const text = (error instanceof Error ? error.message : String(error)).trim();
  const withCode = code && !text.includes(code) ? `${text} (${code})` : text;
  if (code && DNS_CODES.has(code)) return { cause: 'dns', message: `DNS lookup failed: ${withCode}` };
  if (code === 'ECONNREFUSED') return { cause: 'refused', message: `connection refused: ${withCode}` };
  if ((code && RESET_CODES.has(code)) || text === 'socket hang up') {
    return { cause: 'reset', message: `connection reset: ${withCode}` };
  }
  if (code && UNREACHABLE_CODES.has(code)) return { cause: 'unreachable', message: `host unreachable: ${withCode}` };
  if (code === 'ETIMEDOUT') return { cause: 'timeout', message: `connection timed out: ${withCode}` };
  if (code && TLS_CODE.test(code)) return { cause: 'tls', message: `TLS error: ${withCode}` };
  // OpenSSL failures below the certificate layer (e.g. "wrong version number") arrive as EPROTO.
  const openSslReason =
    (stringField(error, 'library') ? stringField(error, 'reason') : undefined) ??
    /SSL routines:[^:]*:([^:]+)/.exec(text)?.[1];
  if (code === 'EPROTO' || openSslReason !== undefined) {
    return { cause: 'tls', message: `TLS error: ${openSslReason ?? text} (${code ?? 'SSL'})` };
  }
  if (code?.startsWith('HPE_')) return { cause: 'error', message: `invalid HTTP response: ${withCode}` };
  return { cause: 'error', message: withCode || 'unknown error' };
}

function errorCode(error: unknown): string | undefined {
  return stringField(error, 'code');
}

function stringField(error: unknown, name: string): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const value: unknown = (error as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}
