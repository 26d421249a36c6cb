// The one small database interface both drivers (pg and the embedded PGlite) implement.

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** Runs a multi-statement script without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export type NotificationHandler = (payload: string) => void;

export interface Db extends Queryable {
  readonly kind: 'postgres' | 'embedded';
  /**
   * The same database on connections kept for the server's own work (result writes, scheduling, housekeeping),
   * apart from API requests: a stuck API query never delays a result write, nor the reverse. Its statements have
   * no statement timeout. The embedded database has one connection: there it is the Db itself.
   */
  readonly background: Db;
  /** Runs fn in one transaction on one connection; rolls back when fn throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Subscribes to a NOTIFY channel; the returned function unsubscribes. */
  listen(channel: string, onNotify: NotificationHandler): Promise<() => Promise<void>>;
  /**
   * Called after the LISTEN connection was lost and re-established: notifications sent meanwhile are lost,
   * so whoever relies on them must catch up from the tables.
   */
  onListenReconnect(handler: () => void): () => void;
  /**
   * Round trip to the database, for health checks; resolves to the latency in ms. On PostgreSQL it uses a
   * connection of its own and fails within a short deadline, whatever the pools are doing.
   */
  ping(): Promise<number>;
  /**
   * The last time a query was refused because the database was unavailable (a statement or lock timeout, no
   * connection in time, a lost connection), and why: the health check reports a database that answers its ping
   * while API queries fail. Null when none was.
   */
  lastUnavailable(): { reason: string; at: number } | null;
  close(): Promise<void>;
}
