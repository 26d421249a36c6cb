// GraphQL test support: a running Vigie whose SQL statements are counted, requests over HTTP, graphql-ws
// subscribers that collect what they receive, and a writer that inserts results like another process would.
import { expect } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import type { Logger } from 'pino';
import WebSocket from 'ws';
import { startApp, type App, type AppOptions } from '../../server/app.ts';
import type { Queryable } from '../../server/db/index.ts';
import { insertResults } from '../../server/results/index.ts';
import { openPostgres } from '../../server/db/postgres.ts';
import { countingDb, sentFrom, type Statement } from './counting-db.ts';
import { createTestDb, type TestDb } from './db.ts';
import { result } from './factories.ts';
import { testConfig } from './app.ts';
import { silentLogger } from './logger.ts';

export interface GraphQLError {
  message: string;
  path?: Array<string | number>;
  extensions?: { code?: string; [key: string]: unknown };
}

export interface GraphQLResponse {
  status: number;
  data?: any;
  errors?: GraphQLError[];
}

export interface GraphQLTestApp extends App {
  testDb: TestDb;
  /** Every SQL statement the app ran through its database (see counting-db.ts). */
  statements: Statement[];
  /** The statements sent by GraphQL resolvers and their loaders (not by background workers). */
  graphqlStatements(): string[];
  resetStatements(): void;
  /** fetch() relative to the app's URL. */
  request(path: string, init?: RequestInit): Promise<Response>;
  gql(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  /** A graphql-ws client on /graphql, closed with the app. */
  wsClient(): Client;
  close(): Promise<void>;
}

export interface GraphQLAppOptions {
  logger?: Logger;
  /** postgres only: run as a second instance on this database (its own pool and LISTEN connection). */
  sharing?: TestDb;
  /** Environment overrides (e.g. AUTH_DISABLED: 'false'). */
  env?: Record<string, string>;
  /** Live subscribers' buffers (see AppOptions.live). */
  live?: AppOptions['live'];
}

export async function startGraphQLApp(options: GraphQLAppOptions = {}): Promise<GraphQLTestApp> {
  const logger = options.logger ?? silentLogger();
  let testDb: TestDb;
  if (options.sharing) {
    const url = options.sharing.url;
    if (!url) throw new Error('a second instance needs a PostgreSQL test database');
    const db = await openPostgres(url, silentLogger());
    testDb = { db, url, drop: () => db.close() };
  } else {
    testDb = await createTestDb();
  }
  // The wrapper's close() does nothing: the test database is closed once, by testDb.drop().
  const counting = countingDb(testDb.db);
  const config = testConfig(options.env);
  const app = await startApp(config, logger, { db: counting.db, live: options.live });
  const clients: Client[] = [];
  let closed = false;
  return {
    ...app,
    testDb,
    statements: counting.statements,
    resetStatements: counting.reset,
    graphqlStatements: () => sentFrom(counting.statements, '/server/graphql/').map((statement) => statement.sql),
    request: (path, init) => fetch(app.url + path, init),
    gql: (query, variables) => postGraphQL((path, init) => fetch(app.url + path, init), query, variables),
    wsClient() {
      const client = createClient({
        url: `${app.url.replace(/^http/, 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: true,
      });
      clients.push(client);
      return client;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(clients.map((client) => client.dispose()));
      await app.stop();
      await testDb.drop();
    },
  };
}

/** The data of a response that must have succeeded. */
/** POSTs an operation to /graphql through `request` (which may add credentials) and parses the answer. */
export async function postGraphQL(
  request: (path: string, init: RequestInit) => Promise<Response>,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse> {
  const response = await request('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  try {
    return { status: response.status, ...JSON.parse(text) };
  } catch {
    throw new Error(`/graphql answered ${response.status} with non-JSON: ${text.slice(0, 500)}`);
  }
}

export function dataOf(response: GraphQLResponse): any {
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data;
}

/** The single error of a response that must have failed with this code. */
export function errorOf(response: GraphQLResponse, code: string): GraphQLError {
  expect(response.errors, `expected a ${code} error, got ${JSON.stringify(response)}`).toHaveLength(1);
  const error = response.errors![0]!;
  expect(error.extensions?.code, JSON.stringify(error)).toBe(code);
  return error;
}

export interface Collected {
  /** The `data` of each event, in order of arrival. */
  events: any[];
  /** GraphQL errors in events, or the error that ended the subscription. */
  errors: unknown[];
  completed: boolean;
  dispose(): void;
}

/** Subscribes and records everything. Wait for app.events.subscriberCount before causing events. */
export function collect(client: Client, query: string, variables?: Record<string, unknown>): Collected {
  const collected: Collected = { events: [], errors: [], completed: false, dispose: () => undefined };
  collected.dispose = client.subscribe(
    { query, variables },
    {
      next: (value) => {
        if (value.errors) collected.errors.push(...value.errors);
        else collected.events.push(value.data);
      },
      // A refused operation ends with the list of its GraphQL errors; a broken socket with one event.
      error: (error) => void collected.errors.push(...(Array.isArray(error) ? error : [error])),
      complete: () => void (collected.completed = true),
    },
  );
  return collected;
}

/**
 * Inserts check results through the server's write (insertResults), the way another process would: on PostgreSQL
 * through its own `pg` connection (not the server's), on the embedded database (one process only) through the
 * test's Db.
 */
export interface ResultWriter {
  /** One INSERT of results for a monitor, one per outcome (true = up), one millisecond apart; returns their ids. */
  insert(monitorId: number, outcomes: boolean[]): Promise<number[]>;
  query(sql: string, params?: unknown[]): Promise<{ rows: any[] }>;
  close(): Promise<void>;
}

// The check time of the last result a writer inserted: each insert's results come after it.
let lastCheckedAt = 0;

export async function resultWriter(testDb: TestDb): Promise<ResultWriter> {
  let connection: Queryable = testDb.db;
  let close = async () => undefined as void;
  if (testDb.url) {
    const client = new pg.Client({ connectionString: testDb.url, application_name: 'vigie-test-writer' });
    await client.connect();
    connection = {
      query: async <T>(sql: string, params?: unknown[]) => {
        const { rows, rowCount } = await client.query(sql, params);
        return { rows: rows as T[], rowCount: rowCount ?? 0 };
      },
      exec: async (sql) => void (await client.query(sql)),
    };
    close = async () => void (await client.end());
  }
  return {
    query: (sql, params) => connection.query(sql, params),
    async insert(monitorId, outcomes) {
      const start = Math.max(Date.now(), lastCheckedAt + 1);
      lastCheckedAt = start + outcomes.length - 1;
      const written = await insertResults(
        connection,
        outcomes.map((up, n) => result(monitorId, up, { latencyMs: 10, checkedAt: new Date(start + n) })),
        { returnRows: true },
      );
      return written.map((row) => row.id);
    },
    close,
  };
}
