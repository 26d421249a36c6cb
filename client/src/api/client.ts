// The urql client: queries and mutations over HTTP, subscriptions over one graphql-ws WebSocket that reconnects.
import { Client, fetchExchange, subscriptionExchange, type AnyVariables, type TypedDocumentNode } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws/client';
import { backoffMs, type ConnectionState } from '../state/connection.ts';

/** The result type of a typed document. */
export type ResultOf<T> = T extends TypedDocumentNode<infer D, infer _V> ? D : never;

export interface Api {
  urql: Client;
  /** Runs a query or mutation; resolves with data or rejects with the CombinedError. */
  query<D, V extends AnyVariables>(document: TypedDocumentNode<D, V>, variables: V): Promise<D>;
  mutate<D, V extends AnyVariables>(document: TypedDocumentNode<D, V>, variables: V): Promise<D>;
  /** Subscribes; returns the function that stops it. */
  subscribe<D, V extends AnyVariables>(document: TypedDocumentNode<D, V>, variables: V, onData: (data: D) => void): () => void;
  /** Connection changes; `reconnected` is true when a dropped socket came back (missed events: refresh). */
  onConnection(listener: (state: ConnectionState, reconnected: boolean) => void): () => void;
}

export function createApi(base: URL = new URL('/graphql', location.href)): Api {
  const wsUrl = new URL(base);
  wsUrl.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  const listeners = new Set<(state: ConnectionState, reconnected: boolean) => void>();
  let everConnected = false;
  let dropped = false;
  const emit = (state: ConnectionState, reconnected = false): void => {
    for (const listener of listeners) listener(state, reconnected);
  };
  const ws = createWsClient({
    url: wsUrl.href,
    lazy: false,
    keepAlive: 10_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, backoffMs(retries))),
    on: {
      connecting: () => emit(everConnected ? 'reconnecting' : 'connecting'),
      connected: () => {
        const reconnected = everConnected && dropped;
        everConnected = true;
        dropped = false;
        emit('live', reconnected);
      },
      closed: () => {
        if (everConnected) dropped = true;
        emit(everConnected ? 'reconnecting' : 'connecting');
      },
    },
  });
  const urql = new Client({
    url: base.href,
    requestPolicy: 'network-only',
    exchanges: [
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
  });
  const run = async <D, V extends AnyVariables>(kind: 'query' | 'mutation', document: TypedDocumentNode<D, V>, variables: V) => {
    const result = await (kind === 'query' ? urql.query(document, variables) : urql.mutation(document, variables)).toPromise();
    if (result.error) throw result.error;
    if (!result.data) throw new Error('the server sent no data');
    return result.data;
  };
  return {
    urql,
    query: (document, variables) => run('query', document, variables),
    mutate: (document, variables) => run('mutation', document, variables),
    subscribe(document, variables, onData) {
      const { unsubscribe } = urql.subscription(document, variables).subscribe((result) => {
        if (result.data) onData(result.data);
      });
      return unsubscribe;
    },
    onConnection(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
