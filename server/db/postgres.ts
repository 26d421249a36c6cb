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
  // JIT compilation pays off for long analytical queries; Vigie's take milliseconds, and compiling one (which
  // the planner starts for any read of tens of thousands of rows) costs about 10 ms more than it saves.
  const pool = new pg.Pool({ connectionString, max: poolSize, application_name: 'vigie', options: '-c jit=off' });
  pool.on('error', (error) => logger.warn({ err: error.message }, 'idle database connection failed'));
  await pool.query('SELECT 1');

  const handlers = new Map<string, Set<NotificationHandler>>();
  const reconnectHandlers = new Set<() => void>();
  let listener: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  let closed = false;
  let reconnectDelayMs = 100;
  // pg wants one query at a time per client: LISTEN/UNLISTEN commands wait their turn.
  let listenCommands: Promise<unknown> = Promise.resolve();
  const runListenCommand = (client: pg.Client, sql: string): Promise<unknown> => {
    const command = listenCommands.then(() => client.query(sql));
    listenCommands = command.catch(() => undefined);
    return command;
  };

  async function connectListener(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString, application_name: 'vigie-listen' });
    client.on('notification', (message) => {
      for (const handler of handlers.get(message.channel) ?? []) handler(message.payload ?? '');
    });
    client.on('error', (error) => {
      logger.warn({ err: error.message }, 'LISTEN connection lost');
      scheduleReconnect(client);
    });
    client.on('end', () => scheduleReconnect(client));
    await client.connect();
    for (const channel of handlers.keys()) await client.query(`LISTEN ${quoteIdentifier(channel)}`);
    return client;
  }

  function scheduleReconnect(lost: pg.Client): void {
    if (closed || listener !== lost) return;
    listener = null;
    lost.removeAllListeners('end');
    const delay = reconnectDelayMs;
    reconnectDelayMs = Math.min(reconnectDelayMs * 2, MAX_RECONNECT_DELAY_MS);
    setTimeout(() => void reconnect(), delay).unref();
  }

  async function reconnect(): Promise<void> {
    if (closed) return;
    try {
      listener = await ensureListener();
      reconnectDelayMs = 100;
      logger.info('LISTEN connection re-established');
      for (const handler of reconnectHandlers) handler();
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'LISTEN reconnect failed, retrying');
      const delay = reconnectDelayMs;
      reconnectDelayMs = Math.min(reconnectDelayMs * 2, MAX_RECONNECT_DELAY_MS);
      setTimeout(() => void reconnect(), delay).unref();
    }
  }

  function ensureListener(): Promise<pg.Client> {
    if (listener) return Promise.resolve(listener);
    connecting ??= connectListener().then(
      (client) => {
        listener = client;
        connecting = null;
        return client;
      },
      (error: unknown) => {
        connecting = null;
        throw error;
      },
    );
    return connecting;
  }

  const db: Db = {
    kind: 'postgres',
    async query<T>(sql: string, params?: unknown[]) {
      return toResult<T>(await pool.query(sql, params as unknown[]));
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
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
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    async listen(channel: string, onNotify: NotificationHandler) {
      let channelHandlers = handlers.get(channel);
      const isNewChannel = !channelHandlers;
      if (!channelHandlers) {
        channelHandlers = new Set();
        handlers.set(channel, channelHandlers);
      }
      channelHandlers.add(onNotify);
      const client = await ensureListener();
      if (isNewChannel) await runListenCommand(client, `LISTEN ${quoteIdentifier(channel)}`);
      return async () => {
        channelHandlers.delete(onNotify);
        if (channelHandlers.size === 0) {
          handlers.delete(channel);
          if (listener) await runListenCommand(listener, `UNLISTEN ${quoteIdentifier(channel)}`);
        }
      };
    },
    onListenReconnect(handler: () => void) {
      reconnectHandlers.add(handler);
      return () => reconnectHandlers.delete(handler);
    },
    async ping() {
      const started = performance.now();
      await pool.query('SELECT 1');
      return performance.now() - started;
    },
    async close() {
      if (closed) return;
      closed = true;
      const client = listener;
      listener = null;
      await client?.end().catch(() => undefined);
      await pool.end();
    },
  };
  return db;
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
