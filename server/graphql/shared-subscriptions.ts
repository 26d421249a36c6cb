// Execute once, send many: subscribers whose operation, variables and role are the same share one execution per
// event, and its JSON is built and encoded once. Over graphql-ws the frames are written straight to each socket
// (socket-frames.ts: several events in one write), not through graphql-ws' per-message path; over SSE each
// subscriber gets the shared result through its own bounded buffer (subscription-members.ts). A subscriber that
// falls behind is ended alone, the others go on.
import { GraphQLError, print, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { Principal, Role } from '../auth/index.ts';
import { MonitorPieces } from './monitor-pieces.ts';
import { FrameBatcher, SharedPayload } from './socket-frames.ts';
import { stableJson } from './stable-json.ts';
import { BufferedMember, type Member, SocketMember, type SocketOperation } from './subscription-members.ts';
import type { GraphQLContext } from './types.ts';

export interface SharingOptions {
  /** Events waiting for one SSE subscriber before it is ended as too slow. */
  maxBufferedEvents: number;
  /** Bytes waiting in a WebSocket's send buffer (beyond what the kernel took) before its subscriptions end. */
  maxBufferedBytes: number;
  /**
   * The context a group's one execution runs with: the services, fresh loaders, and only the role (no principal
   * for anonymous subscribers of public fields).
   */
  sharedContext(principal: Principal | null): GraphQLContext;
  /** Live subscriptions without a login (public status pages) at most, per client address and in all. */
  maxAnonymousPerAddress: number;
  maxAnonymous: number;
  /** Turns unexpected errors into safe ones, as for any other request. */
  maskError(error: unknown, message: string): Error;
  logger: Logger;
}

export interface SharingStats {
  /** Subscriptions of clients served from a group. */
  readonly subscribers: number;
  /** Groups, each executing once per event. */
  readonly groupCount: number;
  /** Events executed (one per event per group, whatever its number of subscribers). */
  readonly executions: number;
}

type SubscribeFn = (args: ExecutionArgs) => unknown;
type Upstream = AsyncIterator<ExecutionResult> & AsyncIterable<ExecutionResult>;

const SHARED = Symbol('shared execution');
/** The "role" of subscribers without a login, in a group's key. */
const ANONYMOUS = 'anonymous';

/** A principal that carries nothing but the role: what a shared execution may know of its subscribers. */
function rolePrincipal(role: Role): Principal {
  return { userId: null, email: `shared ${role}`, role, sessionId: null, apiKeyId: null };
}

/** Deliveries a group makes before it lets the event loop turn (the frames go out, other work runs). */
const DELIVERIES_PER_TURN = 20_000;

class Group {
  readonly members = new Set<Member>();
  private stopped = false;

  get ended(): boolean {
    return this.stopped;
  }

  constructor(
    private readonly upstream: Upstream,
    private readonly sharing: SharedSubscriptions,
    private readonly onEmpty: () => void,
  ) {}

  add(member: Member): void {
    this.members.add(member);
  }

  remove(member: Member): void {
    if (!this.members.delete(member) || this.members.size > 0 || this.stopped) return;
    this.stopped = true;
    this.onEmpty();
    void this.upstream.return?.();
  }

  /** Runs until the upstream ends or the last member leaves. */
  async pump(): Promise<void> {
    let failure: Error | undefined;
    let sinceYield = 0;
    try {
      for (;;) {
        const next = await this.upstream.next();
        if (next.done || this.stopped) break;
        const result = this.sharing.mask(next.value) as ExecutionResult & { stringify?: () => string };
        this.sharing.counted();
        // A result built from pieces (monitor-pieces.ts) carries its JSON already.
        const payload = new SharedPayload(result.stringify?.() ?? JSON.stringify(result));
        // Yoga's SSE writer serializes a result with its own `stringify` when it has one: the shared JSON, for a
        // result it would send as it is (with errors or extensions it sanitizes a copy, and must stringify that).
        if (!result.errors && !result.extensions && !result.stringify)
          Object.defineProperty(result, 'stringify', { value: () => payload.json });
        for (const member of this.members) member.deliver(result, payload);
        // A burst's events resolve one after the other without a turn of the event loop: let the queued frames
        // leave (and everything else run) every so many deliveries, rather than queue the whole burst first.
        sinceYield += this.members.size;
        if (sinceYield >= DELIVERIES_PER_TURN) {
          sinceYield = 0;
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
    } catch (error) {
      failure = this.sharing.mask({ errors: [error as GraphQLError] }).errors?.[0] as Error;
    }
    if (!this.stopped) {
      this.stopped = true;
      this.onEmpty();
    }
    for (const member of [...this.members]) member.end(failure);
    this.members.clear();
  }
}

export class SharedSubscriptions implements SharingStats {
  private readonly groups = new Map<string, Promise<Group | ExecutionResult>>();
  private readonly sockets = new WeakMap<object, SocketOperation>();
  private readonly frames = new FrameBatcher();
  private readonly pieces = new MonitorPieces();
  private executionCount = 0;
  private memberCount = 0;
  private anonymousCount = 0;
  private readonly anonymousByAddress = new Map<string, number>();

  constructor(private readonly options: SharingOptions) {}

  get subscribers(): number {
    return this.memberCount;
  }

  get groupCount(): number {
    return this.groups.size;
  }

  get executions(): number {
    return this.executionCount;
  }

  /** Marks an operation's context as coming from this graphql-ws socket and operation id. */
  overSocket(context: object, socket: WebSocket, id: string): void {
    this.sockets.set(context, { socket, id });
  }

  /** The Envelop plugin: shareable subscriptions are served from their group. */
  plugin(): Plugin<GraphQLContext> {
    return {
      onSubscribe: ({ args, subscribeFn, setSubscribeFn }) => {
        const context = args.contextValue as GraphQLContext & { [SHARED]?: true };
        // A refused credential is answered on its own; anonymous subscribers (public fields) share like the others.
        if (context[SHARED] || context.authError) return;
        const key = this.keyOf(args, context.principal?.role ?? ANONYMOUS);
        setSubscribeFn((memberArgs) =>
          context.principal
            ? this.join(key, memberArgs, subscribeFn as SubscribeFn)
            : this.joinAnonymous(context.clientAddress, key, memberArgs, subscribeFn as SubscribeFn),
        );
      },
    };
  }

  /**
   * An anonymous subscriber joins within the limits: per client address, and in all (each costs an open stream
   * and its buffer, and anyone may open them).
   */
  private async joinAnonymous(address: string, key: string, args: ExecutionArgs, subscribe: SubscribeFn) {
    const fromAddress = this.anonymousByAddress.get(address) ?? 0;
    if (fromAddress >= this.options.maxAnonymousPerAddress || this.anonymousCount >= this.options.maxAnonymous) {
      throw new GraphQLError(
        fromAddress >= this.options.maxAnonymousPerAddress
          ? `too many live subscriptions from this address without a login (at most ${this.options.maxAnonymousPerAddress})`
          : 'too many live subscriptions without a login on this server: try again later',
        { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } },
      );
    }
    this.anonymousByAddress.set(address, fromAddress + 1);
    this.anonymousCount++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.anonymousCount--;
      const left = (this.anonymousByAddress.get(address) ?? 1) - 1;
      if (left > 0) this.anonymousByAddress.set(address, left);
      else this.anonymousByAddress.delete(address);
    };
    try {
      return await this.join(key, args, subscribe, release);
    } catch (error) {
      release();
      throw error;
    }
  }

  /** Whatever changes a result: the document, the operation, the variables and the role it runs with. */
  private keyOf(args: ExecutionArgs, role: Role | typeof ANONYMOUS): string {
    return `${role}\n${args.operationName ?? ''}\n${stableJson(args.variableValues ?? {})}\n${print(args.document)}`;
  }

  /** `onLeave`: called once when the subscriber leaves, or at once when no subscription was made. */
  private async join(key: string, args: ExecutionArgs, subscribe: SubscribeFn, onLeave?: () => void): Promise<unknown> {
    let pending = this.groups.get(key);
    if (!pending) {
      pending = this.start(key, args, subscribe);
      this.groups.set(key, pending);
    }
    const group = await pending;
    if (!(group instanceof Group)) {
      onLeave?.();
      return group;
    }
    // It ended while this subscriber waited for it (its upstream completed, its last member left): start again.
    if (group.ended) return this.join(key, args, subscribe, onLeave);
    this.memberCount++;
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      this.memberCount--;
      onLeave?.();
      group.remove(member);
    };
    const operation = this.sockets.get(args.contextValue as object);
    let member: Member;
    let iterator: AsyncIterableIterator<ExecutionResult>;
    if (operation) {
      const socketMember = new SocketMember(operation, this.options.maxBufferedBytes, this.frames, leave);
      member = socketMember;
      iterator = socketMember;
    } else {
      const buffered = new BufferedMember(this.options.maxBufferedEvents, leave);
      member = buffered;
      iterator = buffered.subscription;
    }
    group.add(member);
    return iterator;
  }

  /** Subscribes once for the group, as its role only; a refusal (scope, bad input) is every joiner's answer. */
  private async start(key: string, args: ExecutionArgs, subscribe: SubscribeFn): Promise<Group | ExecutionResult> {
    const principal = (args.contextValue as GraphQLContext).principal;
    const contextValue = Object.assign(this.options.sharedContext(principal ? rolePrincipal(principal.role) : null), {
      [SHARED]: true,
    });
    let upstream: unknown;
    try {
      const groupArgs = { ...args, contextValue };
      upstream = (await this.pieces.subscribe(groupArgs, principal?.role ?? ANONYMOUS)) ?? (await subscribe(groupArgs));
    } catch (error) {
      this.groups.delete(key);
      throw error;
    }
    if (!isAsyncIterable(upstream)) {
      this.groups.delete(key);
      return upstream as ExecutionResult;
    }
    const iterator = (upstream as AsyncIterable<ExecutionResult>)[Symbol.asyncIterator]() as Upstream;
    // join() stored this call's promise under the key before the await above.
    const pending = this.groups.get(key);
    const group = new Group(iterator, this, () => {
      if (this.groups.get(key) === pending) this.groups.delete(key);
    });
    void group.pump().catch((error: Error) => this.options.logger.error({ err: error }, 'shared subscription failed'));
    return group;
  }

  /** @internal for Group */
  counted(): void {
    this.executionCount++;
  }

  /** @internal for Group: errors masked once for every subscriber. */
  mask(result: ExecutionResult): ExecutionResult {
    if (!result.errors?.length) return result;
    return {
      ...result,
      errors: result.errors.map((error) => this.options.maskError(error, 'Unexpected error.')) as GraphQLError[],
    };
  }
}
