// The urql client: queries and mutations over HTTP, subscriptions over one graphql-ws WebSocket that reconnects.
// The socket is authenticated when it opens (the session cookie rides on the upgrade): when the server closes it
// with 4401/4403 (logged out, session revoked) it is not a network blip to retry, but the end of the session.
import { Client, fetchExchange, subscriptionExchange, type AnyVariables, type TypedDocumentNode } from '@urql/core';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws/client';
import { backoffMs, type ConnectionState } from '../state/connection.ts';
import { isUnauthenticated, SESSION_ENDED } from './errors.ts';
import { restCall } from './rest.ts';

/** The result type of a typed document. */
export type ResultOf<T> = T extends TypedDocumentNode<infer D, infer _V> ? D : never;

/** Close codes of a socket the server refused: no session, or not allowed (graphql-ws Unauthorized/Forbidden). */
export const REFUSED_CLOSE_CODES: readonly number[] = [4401, 4403];

export interface Api {
  urql: Client;
  /** Runs a query or mutation; resolves with data or rejects with the CombinedError. */
  query<D, V extends AnyVariables>(document: TypedDocumentNode<D, V>, variables: V): Promise<D>;
  mutate<D, V extends AnyVariables>(document: TypedDocumentNode<D, V>, variables: V): Promise<D>;
  /** Subscribes (again after resume()); returns the function that stops it. */
  subscribe<D, V extends AnyVariables>(
    document: TypedDocumentNode<D, V>,
    variables: V,
    onData: (data: D) => void,
    onError?: (error: unknown) => void,
  ): () => void;
  /** A call to the REST API; a 401 also ends the session (onUnauthorized). */
  rest<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** Connection changes; `reconnected` is true when a dropped socket came back (missed events: refresh). */
  onConnection(listener: (state: ConnectionState, reconnected: boolean) => void): () => void;
  /** The server no longer accepts this browser's session: HTTP 401, UNAUTHENTICATED, or a refused socket. Once per pause. */
  onUnauthorized(listener: (message: string) => void): () => void;
  /** Closes the socket and holds the subscriptions (logged out). */
  pause(): void;
  /** Opens a new socket, with the cookie of the new session, and subscribes again. */
  resume(): void;
}

function closeCode(event: unknown): number | null {
  return typeof event === 'object' && event !== null && 'code' in event
    ? Number((event as { code: unknown }).code)
    : null;
}

export function createApi(base: URL = new URL('/graphql', location.href)): Api {
  const wsUrl = new URL(base);
  wsUrl.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  const listeners = new Set<(state: ConnectionState, reconnected: boolean) => void>();
  const unauthorizedListeners = new Set<(message: string) => void>();
  let everConnected = false;
  let dropped = false;
  let paused = false;
  let signalled = false;
  const emit = (state: ConnectionState, reconnected = false): void => {
    for (const listener of listeners) listener(state, reconnected);
  };
  const unauthorized = (message: string = SESSION_ENDED()): void => {
    if (signalled) return;
    signalled = true;
    for (const listener of unauthorizedListeners) listener(message);
  };

  let sockets = 0;
  const openSocket = (): WsClient => {
    // Events of a socket replaced by resume() are left out.
    const socket = ++sockets;
    const current = (): boolean => socket === sockets && !paused;
    let refused = false;
    return createWsClient({
      url: wsUrl.href,
      lazy: false,
      keepAlive: 10_000,
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: (event) => !REFUSED_CLOSE_CODES.includes(closeCode(event) ?? 0),
      retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, backoffMs(retries))),
      // The refusal is reported through `closed`; the default would print it on the console.
      onNonLazyError: () => {},
      on: {
        connecting: () => current() && !refused && emit(everConnected ? 'reconnecting' : 'connecting'),
        connected: () => {
          if (!current()) return;
          const reconnected = everConnected && dropped;
          everConnected = true;
          dropped = false;
          emit('live', reconnected);
        },
        closed: (event) => {
          if (!current()) return;
          if (REFUSED_CLOSE_CODES.includes(closeCode(event) ?? 0)) {
            refused = true;
            dropped = true;
            return unauthorized();
          }
          if (everConnected) dropped = true;
          emit(everConnected ? 'reconnecting' : 'connecting');
        },
      },
    });
  };
  let ws = openSocket();
  // dispose() rejects (with the CloseEvent) when the socket never got through: nothing left to close then.
  const closeSocket = (): void => void Promise.resolve(ws.dispose()).catch(() => {});

  const urql = new Client({
    url: base.href,
    requestPolicy: 'network-only',
    fetchOptions: { credentials: 'same-origin' },
    exchanges: [
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
  });
  const run = async <D, V extends AnyVariables>(
    kind: 'query' | 'mutation',
    document: TypedDocumentNode<D, V>,
    variables: V,
  ) => {
    const result = await (kind === 'query'
      ? urql.query(document, variables)
      : urql.mutation(document, variables)
    ).toPromise();
    if (result.error) {
      if (isUnauthenticated(result.error)) unauthorized();
      throw result.error;
    }
    if (!result.data) throw new Error('the server sent no data');
    return result.data;
  };

  /** Live subscriptions, kept across pause()/resume(). */
  const subscriptions = new Set<{ start(): void; stop(): void }>();
  return {
    urql,
    query: (document, variables) => run('query', document, variables),
    mutate: (document, variables) => run('mutation', document, variables),
    subscribe(document, variables, onData, onError) {
      let stopCurrent: (() => void) | null = null;
      const entry = {
        start() {
          stopCurrent = urql.subscription(document, variables).subscribe((result) => {
            if (result.data) onData(result.data);
            if (!result.error || paused) return;
            if (isUnauthenticated(result.error)) unauthorized();
            onError?.(result.error);
          }).unsubscribe;
        },
        stop() {
          stopCurrent?.();
          stopCurrent = null;
        },
      };
      subscriptions.add(entry);
      if (!paused) entry.start();
      return () => {
        entry.stop();
        subscriptions.delete(entry);
      };
    },
    async rest<T>(method: string, path: string, body?: unknown): Promise<T> {
      try {
        return await restCall<T>(method, path, body);
      } catch (error) {
        if ((error as { status?: number }).status === 401) unauthorized();
        throw error;
      }
    },
    onConnection(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onUnauthorized(listener) {
      unauthorizedListeners.add(listener);
      return () => unauthorizedListeners.delete(listener);
    },
    pause() {
      if (paused) return;
      paused = true;
      subscriptions.forEach((entry) => entry.stop());
      closeSocket();
    },
    resume() {
      if (!paused && !signalled) return;
      if (!paused) {
        // Refused socket, but pause() was not called: close what is left of it.
        subscriptions.forEach((entry) => entry.stop());
        closeSocket();
      }
      paused = false;
      signalled = false;
      // A fresh start: the caller reloads what it shows, so the first connection is not a "reconnection".
      everConnected = false;
      dropped = false;
      ws = openSocket();
      subscriptions.forEach((entry) => entry.start());
    },
  };
}
