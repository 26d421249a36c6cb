// Domain errors become GraphQL errors with a machine-readable code; anything unexpected is logged and masked.
import { GraphQLError } from 'graphql';
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
import { SubscriberTooSlowError } from '../events/index.ts';

function withCode(error: GraphQLError | null, message: string, extensions: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, {
    nodes: error?.nodes,
    path: error?.path,
    extensions: { ...error?.extensions, ...extensions },
  });
}

export interface ErrorMasker {
  maskError(error: unknown, message: string): Error;
  /**
   * Whether `error` went through maskError. Yoga logs each such error again at error level; the masker has already
   * logged those that deserve it (unexpected ones with their cause, unavailable databases as warnings), and the
   * others are the client's (NOT_FOUND, BAD_USER_INPUT...), so that second line is noise.
   */
  masked(error: unknown): boolean;
}

export function createErrorMasker(logger: Logger): ErrorMasker {
  const seen = new WeakSet<object>();
  const mask = maskWith(logger);
  return {
    maskError(error, message) {
      if (typeof error === 'object' && error !== null) seen.add(error);
      return mask(error, message);
    },
    masked: (error) => typeof error === 'object' && error !== null && seen.has(error),
  };
}

function maskWith(logger: Logger) {
  return (error: unknown, message: string): Error => {
    const graphQLError = error instanceof GraphQLError ? error : null;
    const original = graphQLError?.originalError ?? error;
    if (original instanceof ValidationError) {
      const text = original.field ? `${original.field}: ${original.message}` : original.message;
      return withCode(graphQLError, text, { code: 'BAD_USER_INPUT', field: original.field ?? null });
    }
    if (original instanceof NotFoundError) return withCode(graphQLError, original.message, { code: 'NOT_FOUND' });
    if (original instanceof ConflictError) return withCode(graphQLError, original.message, { code: 'CONFLICT' });
    if (original instanceof UnauthenticatedError)
      return withCode(graphQLError, original.message, { code: 'UNAUTHENTICATED' });
    if (original instanceof ForbiddenError) return withCode(graphQLError, original.message, { code: 'FORBIDDEN' });
    if (original instanceof TooManyRequestsError) {
      return withCode(graphQLError, original.message, {
        code: 'RATE_LIMITED',
        retryAfterSeconds: original.retryAfterSeconds,
      });
    }
    if (original instanceof DatabaseUnavailableError) {
      logger.warn({ reason: original.reason, path: graphQLError?.path }, 'database unavailable');
      return withCode(graphQLError, 'database unavailable, try again shortly', {
        code: 'DATABASE_UNAVAILABLE',
        retryAfterSeconds: original.retryAfterSeconds,
      });
    }
    if (original instanceof SubscriberTooSlowError) {
      return withCode(graphQLError, original.message, { code: 'SUBSCRIBER_TOO_SLOW' });
    }
    // Errors made on purpose as GraphQL errors (parsing, validation, scalar input) are already safe to show.
    // Show the outer one: graphql-js wraps e.g. an enum's refusal in 'Variable "$input" got invalid value ...',
    // the part that says which argument and field were wrong.
    if (original instanceof GraphQLError) {
      const shown = graphQLError ?? original;
      // A variable graphql-js could not coerce was sent by the client, and says so only in words.
      if (shown.extensions.code === undefined && !shown.path && shown.message.startsWith('Variable "$')) {
        return withCode(shown, shown.message, { code: 'BAD_USER_INPUT' });
      }
      return shown;
    }
    logger.error({ err: original, path: graphQLError?.path }, 'GraphQL request failed');
    return withCode(graphQLError, message, { code: 'INTERNAL_SERVER_ERROR' });
  };
}
