// Ends a subscription, on every transport (SSE as well as WebSocket), when the access it was opened with ends:
// revoked, expired, its user deleted or given another role. The client gets one last result with an
// UNAUTHENTICATED error, then the stream completes.
import { GraphQLError, type ExecutionResult } from 'graphql';
import { isAsyncIterable, Repeater, type Plugin } from 'graphql-yoga';
import { canLoseAccess, type EndReason } from '../auth/index.ts';
import type { GraphQLContext } from './types.ts';

export const ACCESS_ENDED: Record<EndReason, string> = {
  revoked: 'access revoked: log in again',
  expired: 'the session has expired: log in again',
};

type Watch = (end: (reason: EndReason) => void) => () => void;

function untilAccessEnds(source: AsyncIterable<ExecutionResult>, watch: Watch): AsyncIterableIterator<ExecutionResult> {
  return new Repeater<ExecutionResult>(async (push, stop) => {
    const iterator = source[Symbol.asyncIterator]();
    const unwatch = watch((reason) => {
      void push({ errors: [new GraphQLError(ACCESS_ENDED[reason], { extensions: { code: 'UNAUTHENTICATED' } })] });
      stop();
    });
    try {
      for (;;) {
        const next = await Promise.race([iterator.next(), stop]);
        if (!next || next.done) break;
        await push(next.value);
      }
    } catch (error) {
      stop(error);
    } finally {
      unwatch();
      stop();
      await iterator.return?.();
    }
  });
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
