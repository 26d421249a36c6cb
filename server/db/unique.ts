// A write refused by a unique index: the caller's conflict (a slug taken), told apart from other failures.

export class UniqueViolationError extends Error {
  constructor(readonly constraint: string) {
    super(`unique key ${constraint} refused the write`);
    this.name = 'UniqueViolationError';
  }
}

/** A write refused by a CHECK constraint or a trigger that names one (a dependency cycle). */
export class CheckViolationError extends Error {
  constructor(readonly constraint: string) {
    super(`constraint ${constraint} refused the write`);
    this.name = 'CheckViolationError';
  }
}

/**
 * Runs the write; a unique violation (SQLSTATE 23505) becomes a UniqueViolationError naming its index, a check
 * violation (23514) a CheckViolationError naming its constraint.
 */
export async function uniqueKeys<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (code === '23505' && constraint) throw new UniqueViolationError(constraint);
    if (code === '23514' && constraint) throw new CheckViolationError(constraint);
    throw error;
  }
}
