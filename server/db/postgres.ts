// The pg driver: separate pools for API requests and for the server's own work (result writes, scheduling,
// housekeeping), a connection of its own for health pings, and one dedicated LISTEN connection that reconnects
// with back-off. API statements have a statement and lock timeout; every pool a bounded wait for a connection.
import pg from 'pg';
import type { Logger } from 'pino';
import type { Db, NotificationHandler, Queryable, QueryResult } from './types.ts';
import { toUnavailable } from './unavailable.ts';
import { DatabaseUnavailableError } from '../types/index.ts';

// bigint ids and counts fit in a JS number for any realistic table size.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

const MAX_RECONNECT_DELAY_MS = 10_000;

export interface PostgresOptions {
  /** Connections for API requests. */
  poolSize?: number;
  /** Connections for result writes, scheduling and housekeeping, apart from the API's. */
  backgroundPoolSize?: number;
  /** An API statement running longer is cancelled (statement_timeout). */
  statementTimeoutMs?: number;
  /** An API statement waiting longer for a lock is cancelled (lock_timeout). */
  lockTimeoutMs?: number;
  /** Waiting longer for a free (or new) connection fails. */
  acquireTimeoutMs?: number;
  /** A health ping answers within this (its connection is its own: it never waits behind the pools). */
  pingTimeoutMs?: number;
}

export const POSTGRES_DEFAULTS: Required<PostgresOptions> = {
  poolSize: 10,
  backgroundPoolSize: 4,
  statementTimeoutMs: 5_000,
  lockTimeoutMs: 2_000,
  acquireTimeoutMs: 2_000,
  pingTimeoutMs: 700,
};

function toResult<T>(result: pg.QueryResult): QueryResult<T> {
  return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
}

export async function openPostgres(
  connectionString: string,
  logger: Logger,
  options: PostgresOptions = {},
): Promise<Db> {
  const settings = { ...POSTGRES_DEFAULTS, ...options };
  const api = await openPool(connectionString, logger, {
    max: settings.poolSize,
    application_name: 'vigie',
    connectionTimeoutMillis: settings.acquireTimeoutMs,
    options: `${BASE_OPTIONS} -c statement_timeout=${settings.statementTimeoutMs} -c lock_timeout=${settings.lockTimeoutMs}`,
  });
  // No statement timeout here: a large batch or a retention sweep may take long; it just never waits for the API.
  const background = await openPool(connectionString, logger, {
    max: settings.backgroundPoolSize,
    application_name: 'vigie-background',
    connectionTimeoutMillis: Math.max(settings.acquireTimeoutMs, 10_000),
    options: BASE_OPTIONS,
  }).catch(async (error: unknown) => {
    await api.end();
    throw error;
  });
  // One connection, opened when first needed, every statement bounded by the ping timeout.
  const health = new pg.Pool({
    connectionString,
    max: 1,
    application_name: 'vigie-health',
    connectionTimeoutMillis: settings.pingTimeoutMs,
    options: `${BASE_OPTIONS} -c statement_timeout=${settings.pingTimeoutMs}`,
  });
  health.on('error', (error) => logger.warn({ err: error.message }, 'idle health connection failed'));
  const listener = new ListenConnection(connectionString, logger);
  let closed = false;

  const close = async () => {
    if (closed) return;
    closed = true;
    await listener.close();
    // A pool ends once its busy connections are released; one stuck behind a lock (a result write given up at the
    // shutdown deadline) never is: the process exit closes it, and the server rolls its statement back.
    const ended = await settlesWithin(Promise.all([api.end(), background.end(), health.end()]), CLOSE_WAIT_MS);
    if (!ended) logger.warn('database connections still busy at close: left to the process exit');
  };
  const listen: Db['listen'] = (channel, onNotify) => listener.listen(channel, onNotify);
  const onListenReconnect: Db['onListenReconnect'] = (handler) => listener.onReconnect(handler);
  const ping = async () => {
    const started = performance.now();
    await withDeadline(health.query('SELECT 1'), settings.pingTimeoutMs);
    return performance.now() - started;
  };
  let lastUnavailable: { reason: string; at: number } | null = null;
  const noted = async <T>(work: Promise<T>): Promise<T> => {
    try {
      return await work;
    } catch (error) {
      if (error instanceof DatabaseUnavailableError) lastUnavailable = { reason: error.reason, at: Date.now() };
      throw error;
    }
  };
  const onPool = (pool: pg.Pool): Omit<Db, 'background'> & { background?: Db } => ({
    kind: 'postgres',
    async query<T>(sql: string, params?: unknown[]) {
      return toResult<T>(await noted(pool.query(sql, params as unknown[]).catch(rethrowUnavailable)));
    },
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => noted(runTransaction(pool, fn)),
    async exec(sql: string) {
      await noted(pool.query(sql).catch(rethrowUnavailable));
    },
    listen,
    onListenReconnect,
    ping,
    lastUnavailable: () => lastUnavailable,
    close,
  });
  const backgroundDb = onPool(background);
  backgroundDb.background = backgroundDb as Db;
  return { ...onPool(api), background: backgroundDb as Db };
}

// JIT compilation pays off for long analytical queries; Vigie's take milliseconds, and compiling one (which
// the planner starts for any read of tens of thousands of rows) costs about 10 ms more than it saves.
const BASE_OPTIONS = '-c jit=off';

/** How long closing waits for busy connections. */
const CLOSE_WAIT_MS = 1_000;

/** Whether `promise` settled within `ms` (the timer does not keep the process alive). */
function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  return Promise.race([
    promise.then(
      () => true,
      () => true,
    ),
    late,
  ]).finally(() => clearTimeout(timer));
}

function rethrowUnavailable(error: unknown): never {
  throw toUnavailable(error);
}

/** Rejects with a DatabaseUnavailableError when `promise` has not settled within `ms`. */
function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(toUnavailable(new Error('timeout exceeded when trying to connect'))), ms);
  });
  promise.catch(() => undefined);
  return Promise.race([promise.catch(rethrowUnavailable), deadline]).finally(() => clearTimeout(timer));
}

/** A pool, once a first query has reached the server. */
async function openPool(connectionString: string, logger: Logger, config: pg.PoolConfig): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString, ...config });
  pool.on('error', (error) => logger.warn({ err: error.message }, 'idle database connection failed'));
  await pool.query('SELECT 1');
  return pool;
}

/** Runs `fn` in a transaction on one pooled client: committed when it resolves, rolled back when it throws. */
async function runTransaction<T>(pool: pg.Pool, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  const client = await pool.connect().catch(rethrowUnavailable);
  let broken = false;
  try {
    await client.query('BEGIN');
    const tx: Queryable = {
      query: async <R>(sql: string, params?: unknown[]) =>
        toResult<R>(await client.query(sql, params as unknown[]).catch(rethrowUnavailable)),
      exec: async (sql: string) => {
        await client.query(sql).catch(rethrowUnavailable);
      },
    };
    const value = await fn(tx);
    await client.query('COMMIT');
    return value;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw toUnavailable(error);
  } finally {
    // A client whose connection failed goes away instead of back to the pool.
    client.release(broken);
  }
}

/**
 * The dedicated LISTEN connection: opened on the first listen, it dispatches notifications to the handlers of
 * their channel and, when lost, reconnects with back-off, LISTENs again to every channel, then tells the
 * reconnect handlers (notifications sent meanwhile are lost).
 */
class ListenConnection {
  private readonly handlers = new Map<string, Set<NotificationHandler>>();
  private readonly reconnectHandlers = new Set<() => void>();
  private listener: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private closed = false;
  private reconnectDelayMs = 100;
  // pg wants one query at a time per client: LISTEN/UNLISTEN commands wait their turn.
  private listenCommands: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly connectionString: string,
    private readonly logger: Logger,
  ) {}

  async listen(channel: string, onNotify: NotificationHandler): Promise<() => Promise<void>> {
    let channelHandlers = this.handlers.get(channel);
    const isNewChannel = !channelHandlers;
    if (!channelHandlers) {
      channelHandlers = new Set();
      this.handlers.set(channel, channelHandlers);
    }
    channelHandlers.add(onNotify);
    const client = await this.ensureListener();
    if (isNewChannel) await this.runListenCommand(client, `LISTEN ${quoteIdentifier(channel)}`);
    return async () => {
      channelHandlers.delete(onNotify);
      if (channelHandlers.size === 0) {
        this.handlers.delete(channel);
        if (this.listener) await this.runListenCommand(this.listener, `UNLISTEN ${quoteIdentifier(channel)}`);
      }
    };
  }

  onReconnect(handler: () => void): () => void {
    this.reconnectHandlers.add(handler);
    return () => this.reconnectHandlers.delete(handler);
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.listener;
    this.listener = null;
    await client?.end().catch(() => undefined);
  }

  private runListenCommand(client: pg.Client, sql: string): Promise<unknown> {
    const command = this.listenCommands.then(() => client.query(sql));
    this.listenCommands = command.catch(() => undefined);
    return command;
  }

  private async connectListener(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.connectionString, application_name: 'vigie-listen' });
    client.on('notification', (message) => {
      for (const handler of this.handlers.get(message.channel) ?? []) handler(message.payload ?? '');
    });
    client.on('error', (error) => {
      this.logger.warn({ err: error.message }, 'LISTEN connection lost');
      this.scheduleReconnect(client);
    });
    client.on('end', () => this.scheduleReconnect(client));
    await client.connect();
    for (const channel of this.handlers.keys()) await client.query(`LISTEN ${quoteIdentifier(channel)}`);
    return client;
  }

  private scheduleReconnect(lost: pg.Client): void {
    if (this.closed || this.listener !== lost) return;
    this.listener = null;
    lost.removeAllListeners('end');
    this.retryLater();
  }

  private async reconnect(): Promise<void> {
    if (this.closed) return;
    try {
      this.listener = await this.ensureListener();
      this.reconnectDelayMs = 100;
      this.logger.info('LISTEN connection re-established');
      for (const handler of this.reconnectHandlers) handler();
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'LISTEN reconnect failed, retrying');
      this.retryLater();
    }
  }

  /** Reconnects after the current delay, doubling it (up to MAX_RECONNECT_DELAY_MS) for the next failure. */
  private retryLater(): void {
    const delay = this.reconnectDelayMs;
    this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, MAX_RECONNECT_DELAY_MS);
    setTimeout(() => void this.reconnect(), delay).unref();
  }

  private ensureListener(): Promise<pg.Client> {
    if (this.listener) return Promise.resolve(this.listener);
    this.connecting ??= this.connectListener().then(
      (client) => {
        this.listener = client;
        this.connecting = null;
        return client;
      },
      (error: unknown) => {
        this.connecting = null;
        throw error;
      },
    );
    return this.connecting;
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
