// Errors of the HTTP edge itself (bad JSON, body too large, unknown route) and the mapping of every error
// to a status and a {"erreur": "..."} body.
import type { Logger } from 'pino';
import {
  ConflictError,
  DatabaseUnavailableError,
  ForbiddenError,
  NotFoundError,
  TooManyRequestsError,
  UnauthenticatedError,
  ValidationError,
} from '../errors.ts';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface ErrorResponse {
  status: number;
  body: { erreur: string };
  headers?: Record<string, string>;
}

/** fieldName renames a domain field (English) to the name the client used. */
export function toErrorResponse(
  error: unknown,
  logger: Logger,
  fieldName: (field: string) => string = (f) => f,
): ErrorResponse {
  if (error instanceof HttpError) return { status: error.status, body: { erreur: error.message } };
  if (error instanceof ValidationError) {
    // The fields the message names are the domain's (GraphQL's): REST names them as its clients write them.
    const text = error.mentions.reduce((words, field) => words.replaceAll(field, fieldName(field)), error.message);
    const message = error.field ? `${fieldName(error.field)}: ${text}` : text;
    return { status: 400, body: { erreur: message } };
  }
  if (error instanceof NotFoundError) return { status: 404, body: { erreur: error.message } };
  if (error instanceof ConflictError) return { status: 409, body: { erreur: error.message } };
  if (error instanceof UnauthenticatedError) {
    return { status: 401, body: { erreur: error.message }, headers: { 'WWW-Authenticate': 'Bearer realm="vigie"' } };
  }
  if (error instanceof ForbiddenError) return { status: 403, body: { erreur: error.message } };
  if (error instanceof TooManyRequestsError) {
    return {
      status: 429,
      body: { erreur: error.message },
      headers: { 'Retry-After': String(error.retryAfterSeconds) },
    };
  }
  if (error instanceof DatabaseUnavailableError) {
    logger.warn({ reason: error.reason }, 'database unavailable');
    return {
      status: 503,
      body: { erreur: 'base de données indisponible' },
      headers: { 'Retry-After': String(error.retryAfterSeconds) },
    };
  }
  logger.error({ err: error }, 'internal error');
  return { status: 500, body: { erreur: 'internal error' } };
}
