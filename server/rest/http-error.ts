// Errors of the HTTP edge itself (bad JSON, body too large, unknown route) and the mapping of every error
// to a status and a {"erreur": "..."} body.
import type { Logger } from 'pino';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';

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
}

/** fieldName renames a domain field (English) to the name the client used. */
export function toErrorResponse(error: unknown, logger: Logger, fieldName: (field: string) => string = (f) => f): ErrorResponse {
  if (error instanceof HttpError) return { status: error.status, body: { erreur: error.message } };
  if (error instanceof ValidationError) {
    const message = error.field ? `${fieldName(error.field)}: ${error.message}` : error.message;
    return { status: 400, body: { erreur: message } };
  }
  if (error instanceof NotFoundError) return { status: 404, body: { erreur: error.message } };
  if (error instanceof ConflictError) return { status: 409, body: { erreur: error.message } };
  logger.error({ err: error }, 'internal error');
  return { status: 500, body: { erreur: 'internal error' } };
}
