// Which driver errors mean "the database is slow or gone" rather than "this statement is wrong".
import { DatabaseUnavailableError } from '../types/index.ts';

/** SQLSTATEs of a timeout, a lock not granted, or a server shutting down or refusing connections. */
const UNAVAILABLE_STATES: Record<string, string> = {
  '57014': 'statement timeout',
  '55P03': 'lock timeout',
  '57P01': 'server shutting down',
  '57P02': 'server crashed',
  '57P03': 'server not accepting connections',
  '53300': 'too many connections',
};

const UNAVAILABLE_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);

/** The reason the database is unavailable when `error` says so, else null (the error is the statement's own). */
export function unavailableReason(error: unknown): string | null {
  if (error instanceof DatabaseUnavailableError) return error.reason;
  if (!(error instanceof Error)) return null;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (UNAVAILABLE_STATES[code]) return UNAVAILABLE_STATES[code];
    // Class 08: connection exceptions.
    if (code.startsWith('08')) return 'connection failed';
    if (UNAVAILABLE_NETWORK_CODES.has(code)) return 'connection refused or lost';
  }
  // pg's own errors carry no code: a pool that could not hand out a connection in time, a lost connection.
  if (error.message.startsWith('timeout exceeded when trying to connect')) return 'no connection available in time';
  if (error.message.startsWith('Connection terminated')) return 'connection lost';
  if (error.message.includes('not queryable')) return 'connection lost';
  if (error instanceof AggregateError && error.errors.some((inner) => unavailableReason(inner) !== null)) {
    return 'connection refused or lost';
  }
  return null;
}

/** `error` as a DatabaseUnavailableError when it means the database is unavailable, else unchanged. */
export function toUnavailable(error: unknown): unknown {
  if (error instanceof DatabaseUnavailableError) return error;
  const reason = unavailableReason(error);
  return reason === null ? error : new DatabaseUnavailableError(reason, 5, { cause: error });
}
