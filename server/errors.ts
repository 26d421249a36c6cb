// Typed domain errors; the API layers map them to HTTP statuses and GraphQL codes.

export class ValidationError extends Error {
  constructor(
    message: string,
    readonly field?: string,
    /** Other fields the message names, as the domain spells them: each API shows them in its own words. */
    readonly mentions: readonly string[] = [],
  ) {
    super(message);
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** No valid credentials (401): none given, or an expired, tampered or revoked one. */
export class UnauthenticatedError extends Error {
  constructor(message = 'authentication required: log in, or send an API key as "Authorization: Bearer <key>"') {
    super(message);
    this.name = 'UnauthenticatedError';
  }
}

/** Valid credentials without the right (403). */
export class ForbiddenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/** Too many attempts (429); retryAfterSeconds tells when to try again. */
export class TooManyRequestsError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'TooManyRequestsError';
  }
}

/** The database is slow (a timeout passed) or unreachable (503 with Retry-After). */
export { DatabaseUnavailableError } from './types/index.ts';
