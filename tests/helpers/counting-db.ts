// A Db that records every SQL statement sent through it, with where it came from (to count queries, e.g.
// against N+1, while background workers also use the database), and leaves closing the real database to its
// owner.
import type { Db, Queryable } from '../../server/db/index.ts';

export interface Statement {
  sql: string;
  /** The synchronous call stack that sent it: a resolver, or a DataLoader batch function, or a worker. */
  stack: string;
}

export interface CountingDb {
  /** Pass this one to the code under test. Its close() is a no-op: whoever opened `inner` closes it. */
  db: Db;
  /** Statements run since the start (or the last reset()), oldest first. */
  readonly statements: Statement[];
  reset(): void;
}

/** Statements sent from code under the given source folder, e.g. "server/graphql/". */
export function sentFrom(statements: readonly Statement[], folder: string): Statement[] {
  return statements.filter((statement) => statement.stack.includes(folder));
}

function callStack(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 60;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  return stack;
}

export function countingDb(inner: Db): CountingDb {
  const statements: Statement[] = [];
  const counted = (target: Queryable): Queryable => ({
    query(sql, params) {
      statements.push({ sql, stack: callStack() });
      return target.query(sql, params);
    },
    exec(sql) {
      statements.push({ sql, stack: callStack() });
      return target.exec(sql);
    },
  });
  const db: Db = {
    kind: inner.kind,
    get background() {
      return db;
    },
    ...counted(inner),
    transaction: (fn) => inner.transaction((tx) => fn(counted(tx))),
    listen: (channel, onNotify) => inner.listen(channel, onNotify),
    onListenReconnect: (handler) => inner.onListenReconnect(handler),
    ping: () => inner.ping(),
    lastUnavailable: () => inner.lastUnavailable(),
    close: async () => undefined,
  };
  return {
    db,
    statements,
    reset: () => void (statements.length = 0),
  };
}
