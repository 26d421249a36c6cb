// Ends a subscription, on every transport (SSE as well as WebSocket), when the access it was opened with ends:
// revoked, expired, its user deleted or given another role. The client gets one last result with an
// UNAUTHENTICATED error, then the stream completes.
import { GraphQLError, type ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { canLoseAccess, type EndReason } from '../auth/index.ts';
import type { GraphQLContext } from './types.ts';

export const ACCESS_ENDED: Record<EndReason, string> = {
  revoked: 'access revoked: log in again',
  expired: 'the session has expired: log in again',
};

type Watch = (end: (reason: EndReason) => void) => () => void;

/**
 * The source's results until the access ends, then one UNAUTHENTICATED result. Not a Repeater: graphql-ws returns
 * an operation completed before it started without ever calling next(), and a Repeater that never started does
 * not run its cleanup, which left the source (a member of a shared execution) subscribed for good.
 */
function untilAccessEnds(source: AsyncIterable<ExecutionResult>, watch: Watch): AsyncIterableIterator<ExecutionResult> {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  let ending: ExecutionResult | null = null;
  let interrupt: (() => void) | null = null;
  const unwatch = watch((reason) => {
    ending ??= { errors: [new GraphQLError(ACCESS_ENDED[reason], { extensions: { code: 'UNAUTHENTICATED' } })] };
    interrupt?.();
  });
  const finish = async () => {
    if (finished) return;
    finished = true;
    unwatch();
    await iterator.return?.();
  };
  return {
    async next() {
      if (finished) return { value: undefined, done: true };
      if (!ending) {
        const interrupted = new Promise<null>((resolve) => {
          interrupt = () => resolve(null);
        });
        const next = await Promise.race([iterator.next(), interrupted]);
        interrupt = null;
        if (next && !ending) {
          if (next.done) await finish();
          return next;
        }
      }
      const last = ending!;
      await finish();
      return { value: last, done: false };
    },
    async return() {
      await finish();
      return { value: undefined, done: true };
    },
    async throw(error: unknown) {
      await finish();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

export const endSubscriptionsWithAccess: Plugin<GraphQLContext> = {
  onSubscribe() {
    return {
      onSubscribeResult({ args, result, setResult }) {
        const { principal, auth } = args.contextValue;
        if (!principal || !canLoseAccess(principal) || !isAsyncIterable(result)) return;
        setResult(untilAccessEnds(result, (end) => auth.watchAccess(principal, end)));
      },
    };
  },
};
