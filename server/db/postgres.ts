// The pg driver: a pool for queries and one dedicated LISTEN connection that reconnects with back-off.
import pg from 'pg';
import type { Logger } from 'pino';
import type { Db, NotificationHandler, Queryable, QueryResult } from './types.ts';

// bigint ids and counts fit in a JS number for any realistic table size.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

const MAX_RECONNECT_DELAY_MS = 10_000;

function toResult<T>(result: pg.QueryResult): QueryResult<T> {
  return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
}

export async function openPostgres(connectionString: string, logger: Logger, poolSize = 10): Promise<Db> {
  const pool = await openPool(connectionString, logger, poolSize);
  const listener = new ListenConnection(connectionString, logger);
  let closed = false;

  const db: Db = {
    kind: 'postgres',
    async query<T>(sql: string, params?: unknown[]) {
      return toResult<T>(await pool.query(sql, params as unknown[]));
    },
    transaction: (fn) => runTransaction(pool, fn),
    async exec(sql: string) {
      await pool.query(sql);
    },
    listen: (channel, onNotify) => listener.listen(channel, onNotify),
    onListenReconnect: (handler) => listener.onReconnect(handler),
    async ping() {
      const started = performance.now();
      await pool.query('SELECT 1');
      return performance.now() - started;
    },
    async close() {
      if (closed) return;
      closed = true;
      await listener.close();
      await pool.end();
    },
  };
  return db;
}

/** The query pool, once a first query has reached the server. */
async function openPool(connectionString: string, logger: Logger, poolSize: number): Promise<pg.Pool> {
  // JIT compilation pays off for long analytical queries; Vigie's take milliseconds, and compiling one (which
  // the planner starts for any read of tens of thousands of rows) costs about 10 ms more than it saves.
  const pool = new pg.Pool({ connectionString, max: poolSize, application_name: 'vigie', options: '-c jit=off' });
  pool.on('error', (error) => logger.warn({ err: error.message }, 'idle database connection failed'));
  await pool.query('SELECT 1');
  return pool;
}

/** Runs `fn` in a transaction on one pooled client: committed when it resolves, rolled back when it throws. */
async function runTransaction<T>(pool: pg.Pool, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const tx: Queryable = {
      query: async <R>(sql: string, params?: unknown[]) => toResult<R>(await client.query(sql, params as unknown[])),
      exec: async (sql: string) => {
        await client.query(sql);
      },
    };
    const value = await fn(tx);
    await client.query('COMMIT');
    return value;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
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
