// The one error that says "the database is slow or gone, try again soon": db/ raises it, the API layers map it
// to 503 + Retry-After (REST) and DATABASE_UNAVAILABLE (GraphQL). It lives here because db/ may import nothing
// above types/; server/errors.ts re-exports it with the other typed errors.

export class DatabaseUnavailableError extends Error {
  constructor(
    /** Why, in words safe to show (never the driver's message, which may hold the connection string). */
    readonly reason: string,
    readonly retryAfterSeconds = 5,
    options?: { cause?: unknown },
  ) {
    super(`database unavailable: ${reason}`, options);
    this.name = 'DatabaseUnavailableError';
  }
}
