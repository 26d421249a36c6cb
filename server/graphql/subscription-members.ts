// The subscribers of a shared execution, one kind per transport: over graphql-ws the frames go straight to the
// socket (socket-frames.ts) and a socket that does not drain is ended; over SSE (or anything else) each gets the
// shared result through its own bounded buffer.
import { GraphQLError, type ExecutionResult } from 'graphql';
import type { WebSocket } from 'ws';
import { Subscription } from '../events/index.ts';
import { type FrameBatcher, nextFramePrefix, type SharedPayload } from './socket-frames.ts';

/** Where one subscriber's copy of each shared result goes. */
export interface Member {
  deliver(result: ExecutionResult, payload: SharedPayload): void;
  /** The group ended: complete, or fail with the error that ended it. */
  end(error?: Error): void;
}

/** The graphql-ws operation a subscription runs for: frames for it are written to this socket directly. */
export interface SocketOperation {
  socket: WebSocket;
  id: string;
}

function tooSlow(limit: string): GraphQLError {
  return new GraphQLError(`subscription ended: more than ${limit} were waiting for this subscriber for too long`, {
    extensions: { code: 'SUBSCRIBER_TOO_SLOW' },
  });
}

/**
 * How long a socket may stay above its buffer bound before its subscriptions end; a burst (one INSERT of a
 * thousand results) lands in the buffer all at once, and a client that keeps up drains it well within this.
 */
const DRAIN_GRACE_MS = 2000;
/** Beyond this many times the bound, a socket is too slow at once, whatever the grace. */
const HARD_BOUND_FACTOR = 4;

/** A graphql-ws subscriber: frames go straight to its socket; the iterator handed to graphql-ws only ends. */
export class SocketMember implements Member, AsyncIterableIterator<ExecutionResult> {
  private readonly prefix: Buffer;
  private ended = false;
  private settle: ((result: IteratorResult<ExecutionResult>) => void) | null = null;
  private failWith: ((error: Error) => void) | null = null;
  private failure: Error | null = null;
  private graceTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly operation: SocketOperation,
    private readonly maxBufferedBytes: number,
    private readonly frames: FrameBatcher,
    private readonly leave: () => void,
  ) {
    this.prefix = nextFramePrefix(operation.id);
  }

  deliver(_result: ExecutionResult, payload: SharedPayload): void {
    const { socket } = this.operation;
    if (this.ended || socket.readyState !== socket.OPEN) return;
    this.frames.queue(socket, this.prefix, payload.bytes);
    const buffered = socket.bufferedAmount;
    if (buffered > this.maxBufferedBytes * HARD_BOUND_FACTOR) this.tooSlow();
    else if (buffered > this.maxBufferedBytes && !this.graceTimer) {
      this.graceTimer = setTimeout(() => {
        this.graceTimer = null;
        if (socket.bufferedAmount > this.maxBufferedBytes) this.tooSlow();
      }, DRAIN_GRACE_MS);
      this.graceTimer.unref();
    }
  }

  private tooSlow(): void {
    this.end(tooSlow(`${this.maxBufferedBytes} bytes`));
  }

  end(error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    if (this.graceTimer) clearTimeout(this.graceTimer);
    // Its frames already queued go before the "error" or "complete" graphql-ws sends next.
    this.frames.flushSocket(this.operation.socket);
    this.leave();
    if (error) {
      if (this.failWith) this.failWith(error);
      else this.failure = error;
    } else {
      this.settle?.({ value: undefined, done: true });
    }
    this.settle = this.failWith = null;
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    if (this.failure) {
      const failure = this.failure;
      this.failure = null;
      return Promise.reject(failure);
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.settle = resolve;
      this.failWith = reject;
    });
  }

  return(): Promise<IteratorResult<ExecutionResult>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
    this.end();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** Any other subscriber (SSE): the shared result through its own bounded buffer. */
export class BufferedMember implements Member {
  readonly subscription: Subscription<ExecutionResult>;

  constructor(maxBuffered: number, leave: () => void) {
    this.subscription = new Subscription<ExecutionResult>(maxBuffered, leave);
  }

  deliver(result: ExecutionResult): void {
    this.subscription.push(result);
  }

  end(error?: Error): void {
    if (error) this.subscription.fail(error);
    else void this.subscription.return();
  }
}
