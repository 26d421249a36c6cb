// Shared by the access-policy suites: an app with authentication on and one user per role, requests made as
// one of them (REST, GraphQL over HTTP, graphql-ws), and a fingerprint of every table a request could change.
import { createClient, type Client } from 'graphql-ws';
import { expect } from 'vitest';
import WebSocket from 'ws';
import type { Role } from '../../server/auth/index.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { postGraphQL, type GraphQLResponse } from '../helpers/graphql.ts';
import { call, type JsonResponse } from '../rest/support.ts';

export const AUTH_ON = { AUTH_DISABLED: 'false' };

export interface Actor {
  id: number;
  email: string;
  password: string;
  role: Role;
  /** A session token (POST /api/auth/connexion → jeton). */
  token: string;
}

export interface Actors {
  admin: Actor;
  editor: Actor;
  viewer: Actor;
}

export async function startAuthApp(): Promise<TestApp> {
  return startTestApp(AUTH_ON);
}

export async function login(app: TestApp, email: string, password: string): Promise<string> {
  const response = await call(app, 'POST', '/api/auth/connexion', { email, mot_de_passe: password });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.jeton as string;
}

/** The first admin (through setup), then an editor and a viewer created by them, each logged in. */
export async function createActors(app: TestApp): Promise<Actors> {
  const adminPassword = 'admin password for the access tests';
  const setup = await call(app, 'POST', '/api/auth/installation', {
    email: 'admin@example.com',
    mot_de_passe: adminPassword,
    nom: 'Admin',
  });
  expect(setup.status, JSON.stringify(setup.body)).toBe(201);
  const admin: Actor = {
    id: setup.body.utilisateur.id,
    email: 'admin@example.com',
    password: adminPassword,
    role: 'admin',
    token: setup.body.jeton,
  };
  const actors: Actors = {
    admin,
    editor: await createUser(app, admin, 'editor'),
    viewer: await createUser(app, admin, 'viewer'),
  };
  return actors;
}

/** A user with this role, created by `admin` and logged in. */
export async function createUser(
  app: TestApp,
  admin: Actor,
  role: Role,
  email = `${role}-${Math.random().toString(36).slice(2, 8)}@example.com`,
): Promise<Actor> {
  const password = `${role} password for the access tests`;
  const created = await as(app, admin.token).call('POST', '/api/utilisateurs', {
    email,
    mot_de_passe: password,
    nom: role,
    role,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { id: created.body.utilisateur.id, email, password, role, token: await login(app, email, password) };
}

/** An API key created by `owner` (logged in), with its full secret. */
export async function createApiKey(app: TestApp, owner: Actor, role: Role): Promise<{ id: number; secret: string }> {
  const created = await as(app, owner.token).call('POST', '/api/cles-api', { nom: `${role} key`, role });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { id: created.body.cle.id, secret: created.body.secret };
}

/** Requests made with `Authorization: Bearer <token>`, or with no credentials at all when token is null. */
export function as(app: TestApp, token: string | null) {
  const authorization: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
  const request = (path: string, init: RequestInit = {}) =>
    app.request(path, {
      ...init,
      headers: { ...(init.headers as Record<string, string> | undefined), ...authorization },
    });
  return {
    call: (method: string, path: string, body?: unknown): Promise<JsonResponse> =>
      call({ request }, method, path, body),
    gql: (query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse> =>
      postGraphQL(request, query, variables),
  };
}

/** The codes of a GraphQL response's errors (one per refused field). */
export const codesOf = (response: GraphQLResponse): Array<string | undefined> =>
  (response.errors ?? []).map((error) => error.extensions?.code);

// Every table a request could write to. cles_api.derniere_utilisation_a is left out: authenticating with a key
// records its use, refused or not, and that is not a change the request made.
const TABLES: Array<[string, string[]]> = [
  ['moniteurs', []],
  ['etats_moniteurs', []],
  ['statuts', []],
  ['alertes', []],
  ['livraisons', []],
  ['canaux', []],
  ['moniteurs_canaux', []],
  ['maintenances', []],
  ['utilisateurs', []],
  ['cles_api', ['derniere_utilisation_a']],
  ['sessions', []],
  ['parametres', []],
  ['pages_statut', []],
  ['sections_page', []],
  ['moniteurs_section', []],
  ['incidents_page', []],
  ['messages_incident', []],
];

/** Row count and a digest of the contents of each table: equal fingerprints, nothing changed. */
export async function fingerprint(app: TestApp): Promise<Record<string, { rows: number; digest: string }>> {
  const selects = TABLES.map(([table, volatile]) => {
    const row = volatile.reduce((json, column) => `(${json} - '${column}')`, 'to_jsonb(t)');
    return `SELECT '${table}' AS name, count(*)::int AS rows, coalesce(md5(string_agg(${row}::text, ',' ORDER BY ${row}::text)), '') AS digest
              FROM monitoring.${table} t`;
  });
  const { rows } = await app.testDb.db.query<{ name: string; rows: number; digest: string }>(
    selects.join('\nUNION ALL\n'),
  );
  return Object.fromEntries(rows.map((row) => [row.name, { rows: row.rows, digest: row.digest }]));
}

/** Runs `refused` and checks that no table changed meanwhile. */
export async function unchanged<T>(app: TestApp, what: string, refused: () => Promise<T>): Promise<T> {
  const before = await fingerprint(app);
  const outcome = await refused();
  expect(await fingerprint(app), `${what} changed the database`).toEqual(before);
  return outcome;
}

export interface LiveClient {
  client: Client;
  /** The close code, once the socket is closed. */
  closed: Promise<number>;
  /** Resolves when the server acknowledged connection_init. */
  connected: Promise<void>;
}

/** A graphql-ws client (closed by the caller), with `authorization` in connectionParams when given. */
export function liveClient(app: TestApp, authorization?: string): LiveClient {
  let onClosed!: (code: number) => void;
  let onConnected!: () => void;
  const closed = new Promise<number>((resolve) => (onClosed = resolve));
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const client = createClient({
    url: `${app.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    ...(authorization === undefined ? {} : { connectionParams: { authorization } }),
    on: {
      closed: (event) => onClosed((event as { code: number }).code),
      connected: () => onConnected(),
    },
  });
  return { client, closed, connected };
}
