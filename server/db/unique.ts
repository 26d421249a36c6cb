// A write refused by a unique index: the caller's conflict (a slug taken), told apart from other failures.

export class UniqueViolationError extends Error {
  constructor(readonly constraint: string) {
    super(`unique key ${constraint} refused the write`);
    this.name = 'UniqueViolationError';
  }
}

/** Runs the write; a unique violation (SQLSTATE 23505) becomes a UniqueViolationError naming its index. */
export async function uniqueKeys<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (code === '23505' && constraint) throw new UniqueViolationError(constraint);
    throw error;
  }
}
