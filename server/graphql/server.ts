// /graphql over HTTP (graphql-yoga, with GraphiQL) and over WebSocket (graphql-ws), sharing one schema,
// one context factory, the error masking and the query limits.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { createYoga, type Plugin } from 'graphql-yoga';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from 'pino';
import type { AlertService, ChannelService } from '../alerts/index.ts';
import type { MaintenanceService } from '../maintenance/index.ts';
import type { StatusPageService } from '../status-pages/index.ts';
import { credentialsOf, upgradeRefusal, type AuthService, type OriginPolicy, type Principal } from '../auth/index.ts';
import type { EventHub } from '../events/index.ts';
import type { HealthReport } from '../health.ts';
import type { Instance } from '../instances/index.ts';
import type { HeartbeatService, MonitorService } from '../monitors/index.ts';
import { jsonShapeProblem } from '../json-limits.ts';
import type { ResultService } from '../results/index.ts';
import type { StatsService } from '../stats/index.ts';
import { createErrorMasker, type ErrorMasker } from './errors.ts';
import { renderLocalGraphiQL } from './graphiql.ts';
import { queryLimits as queryLimitsPlugin } from './limits.ts';
import { unconditionalSubscriptionRoots } from './subscription-root.ts';
import { ACCESS_ENDED, endSubscriptionsWithAccess } from './live-access.ts';
import { createLoaders, tickLoaders } from './loaders.ts';
import { schema } from './schema.ts';
import { SharedSubscriptions, type SharingStats } from './shared-subscriptions.ts';

export type { SharingStats } from './shared-subscriptions.ts';
import type { GraphQLContext } from './types.ts';

export const GRAPHQL_PATH = '/graphql';
/** The largest request body over HTTP (413 beyond) and message over the WebSocket, like the REST API's. */
export const MAX_GRAPHQL_REQUEST_BYTES = 1024 * 1024;

export interface GraphQLDeps {
  monitors: MonitorService;
  heartbeats: HeartbeatService;
  publicUrl: string;
  results: ResultService;
  stats: StatsService;
  alerts: AlertService;
  maintenance: MaintenanceService;
  channels: ChannelService;
  statusPages: StatusPageService;
  events: EventHub;
  auth: AuthService;
  /** Who makes an HTTP request (throws for bad credentials or a cross-site request). */
  authenticate(req: IncomingMessage): Promise<Principal | null>;
  /** The client's address (X-Forwarded-For only from trusted proxies), for rate limits. */
  clientAddress(req: IncomingMessage): string;
  /** Which pages may call /graphql (CORS) and open the WebSocket, and which Host names are ours. */
  origins: OriginPolicy;
  /** Schema introspection and GraphiQL. */
  introspection: boolean;
  health: () => Promise<HealthReport>;
  /** The live Vigie instances sharing the database. */
  instances: () => Promise<Instance[]>;
  logger: Logger;
  /** Live subscriptions: how much may wait for one subscriber before it is ended as too slow. */
  live?: { maxBufferedEvents?: number; maxBufferedBytes?: number };
}

/** Events waiting for one SSE subscriber, as the event hub allows its own subscribers. */
const MAX_BUFFERED_EVENTS = 1000;
/** Bytes waiting in a WebSocket's send buffer beyond what the kernel took (about 5,000 results). */
const MAX_BUFFERED_BYTES = 2 * 1024 * 1024;

/** What Yoga (HTTP) or the WebSocket server hands the context factory. */
interface ServerContext {
  req?: IncomingMessage;
  /** Set for WebSocket operations: the socket was authenticated when it connected. */
  principal?: Principal | null;
}

/**
 * Operations one WebSocket may have running (the dashboard uses a handful): each distinct subscription is an
 * execution per event, so a socket with thousands of them would hold the event loop for everyone.
 */
export const MAX_OPERATIONS_PER_SOCKET = 100;

/**
 * Live subscriptions without a login (the public status pages' streams, which anyone may open): a visitor's browser
 * opens one per page, so an address with more is a script (or a very large office behind one NAT); past the total
 * the server declines new ones instead of spending its memory and event loop on them.
 */
export const MAX_ANONYMOUS_SUBSCRIPTIONS_PER_ADDRESS = 50;
export const MAX_ANONYMOUS_SUBSCRIPTIONS = 5_000;

// graphql-ws close codes: the client must authenticate again rather than just reconnect.
const CLOSE_UNAUTHORIZED = 4401;
const CLOSE_BAD_REQUEST = 4400;

const noIntrospection: Plugin = {
  onValidate({ addValidationRule }) {
    addValidationRule(NoSchemaIntrospectionCustomRule);
  },
};

const queryLimits = queryLimitsPlugin();

/**
 * graphql-ws JSON.parses every message as it arrives; a message too deeply nested or with too many members would
 * hold the event loop, so it closes the socket instead (4400, graphql-ws' bad request) before that listener runs.
 */
function refuseCostlyJsonMessages(ws: WebSocket): void {
  const emit = ws.emit.bind(ws);
  ws.emit = (event: string | symbol, ...args: unknown[]): boolean => {
    if (event === 'message') {
      const problem = jsonShapeProblem(String(args[0]));
      if (problem) {
        ws.close(CLOSE_BAD_REQUEST, `message refused: ${problem}`);
        return false;
      }
    }
    return emit(event, ...args);
  };
}

export function createGraphQL(deps: GraphQLDeps) {
  const log = deps.logger.child({ component: 'graphql' });
  // One masker for Yoga and the shared executions: an error it masked is logged once, whoever masked it.
  const masker = createErrorMasker(log);
  const services = sharedServices(deps);
  const sharing = new SharedSubscriptions({
    maxBufferedEvents: deps.live?.maxBufferedEvents ?? MAX_BUFFERED_EVENTS,
    maxBufferedBytes: deps.live?.maxBufferedBytes ?? MAX_BUFFERED_BYTES,
    maxAnonymousPerAddress: MAX_ANONYMOUS_SUBSCRIPTIONS_PER_ADDRESS,
    maxAnonymous: MAX_ANONYMOUS_SUBSCRIPTIONS,
    sharedContext: (principal) => ({
      ...services,
      principal,
      authError: null,
      clientAddress: 'shared',
      loaders: createLoaders(deps),
    }),
    maskError: masker.maskError,
    logger: log,
  });
  const yoga = createYogaServer(deps, sharing, masker);
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_GRAPHQL_REQUEST_BYTES });
  const wsServer = serveSubscriptions(deps, yoga, sockets, sharing);

  return {
    /** Client subscriptions, their groups and the executions they share. */
    subscriptions: sharing as SharingStats,
    /** The HTTP handler for /graphql. */
    handle: yoga.handle as unknown as (req: IncomingMessage, res: import('node:http').ServerResponse) => void,
    /** Takes over WebSocket upgrades on /graphql. */
    attach(server: Server) {
      server.on('upgrade', upgradeHandler(deps, sockets));
    },
    async close() {
      await wsServer.dispose();
    },
  };
}

/** The services every operation's context carries. */
function sharedServices(deps: GraphQLDeps) {
  return {
    auth: deps.auth,
    monitors: deps.monitors,
    heartbeats: deps.heartbeats,
    publicUrl: deps.publicUrl,
    results: deps.results,
    alerts: deps.alerts,
    maintenance: deps.maintenance,
    channels: deps.channels,
    statusPages: deps.statusPages,
    events: deps.events,
    health: deps.health,
    instances: deps.instances,
    loadersOfTick: tickLoaders(deps),
  };
}

/** Builds each operation's context: who asks (authenticated here for HTTP, at connection for a socket) and the services. */
function contextFactory(deps: GraphQLDeps): (initial: ServerContext) => Promise<GraphQLContext> {
  const shared = sharedServices(deps);
  return async (initial: ServerContext): Promise<GraphQLContext> => {
    let principal = initial.principal ?? null;
    let authError: Error | null = null;
    if (initial.principal === undefined && initial.req) {
      principal = await deps.authenticate(initial.req).catch((error: Error) => {
        authError = error;
        return null;
      });
    }
    const clientAddress = initial.req ? deps.clientAddress(initial.req) : 'unknown';
    return { principal, authError, clientAddress, ...shared, loaders: createLoaders(deps) };
  };
}

function createYogaServer(deps: GraphQLDeps, sharing: SharedSubscriptions, masker: ErrorMasker) {
  const log = deps.logger.child({ component: 'graphql' });
  return createYoga({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    context: contextFactory(deps),
    maskedErrors: { maskError: masker.maskError },
    plugins: [
      endSubscriptionsWithAccess,
      ...(deps.introspection ? [queryLimits] : [queryLimits, noIntrospection]),
      unconditionalSubscriptionRoots,
      // Last: the limits above have refused what they refuse before a subscriber joins a shared execution.
      sharing.plugin(),
    ],
    graphiql: deps.introspection ? { subscriptionsProtocol: 'WS', title: 'Vigie GraphQL' } : false,
    renderGraphiQL: renderLocalGraphiQL,
    landingPage: false,
    // Yoga's default reflects any Origin with credentials: only the allowed ones get CORS headers.
    cors: (request) => deps.origins.cors(request.headers.get('origin')),
    batching: false,
    maxRequestBodySize: MAX_GRAPHQL_REQUEST_BYTES,
    logging: {
      debug: (...args: unknown[]) => log.debug({ args }, 'yoga'),
      info: (...args: unknown[]) => log.info({ args }, 'yoga'),
      warn: (...args: unknown[]) => log.warn({ args }, 'yoga'),
      error: (...args: unknown[]) =>
        args.length === 1 && masker.masked(args[0])
          ? log.debug({ args }, 'yoga: error masked')
          : log.error({ args }, 'yoga'),
    },
  });
}

/** graphql-ws on `sockets`, running each operation through Yoga's envelop (same context, limits and masking). */
function serveSubscriptions(
  deps: GraphQLDeps,
  yoga: ReturnType<typeof createYogaServer>,
  sockets: WebSocketServer,
  sharing: SharedSubscriptions,
) {
  // Open sockets and who opened them; a socket is closed when that access ends (revoked on any instance, expired).
  const principals = new Map<WebSocket, Principal>();
  type RootValue = { execute: (args: ExecutionArgs) => unknown; subscribe: (args: ExecutionArgs) => unknown };
  return useServer(
    {
      // The socket authenticates once, at connection_init: a token in connectionParams.authorization
      // ("Bearer ..."), else the session cookie of the upgrade request. Refused: closed with 4403.
      onConnect: async (ctx) => {
        const given = ctx.connectionParams?.authorization;
        const token =
          typeof given === 'string' ? given.replace(/^Bearer\s+/i, '') : credentialsOf(ctx.extra.request.headers).token;
        const principal = await deps.auth.authenticate(token).catch(() => null);
        const socket = ctx.extra.socket;
        if (!principal || socket.readyState !== socket.OPEN) return false;
        principals.set(socket, principal);
        const unwatch = deps.auth.watchAccess(principal, (reason) =>
          socket.close(CLOSE_UNAUTHORIZED, `Unauthorized: ${ACCESS_ENDED[reason]}`),
        );
        socket.once('close', () => {
          principals.delete(socket);
          unwatch();
        });
        return true;
      },
      execute: (args) => (args.rootValue as RootValue).execute(args) as never,
      subscribe: (args) => (args.rootValue as RootValue).subscribe(args) as never,
      onSubscribe: async (ctx, id, params) => {
        // The operation being started holds an entry already.
        if (Object.keys(ctx.subscriptions).length > MAX_OPERATIONS_PER_SOCKET) {
          return [
            new GraphQLError(
              `too many operations on this connection: at most ${MAX_OPERATIONS_PER_SOCKET} at once, complete some first`,
              { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } },
            ),
          ];
        }
        const principal = principals.get(ctx.extra.socket) ?? null;
        const enveloped = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
          principal,
        });
        let document;
        try {
          document = enveloped.parse(params.query);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('could not parse the query')];
        }
        const args = {
          schema: enveloped.schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: await enveloped.contextFactory(),
          rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
        };
        const errors = enveloped.validate(args.schema, args.document);
        if (errors.length) return errors;
        // A shared subscription writes its frames to this socket itself (see shared-subscriptions.ts).
        sharing.overSocket(args.contextValue, ctx.extra.socket, id);
        return args;
      },
    },
    sockets,
  );
}

/** Hands `sockets` the upgrades to /graphql from allowed origins; refuses the others. */
function upgradeHandler(deps: GraphQLDeps, sockets: WebSocketServer) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== GRAPHQL_PATH) {
      socket.destroy();
      return;
    }
    // A page of another site must not open a socket with the user's cookie (cross-site WebSocket hijacking),
    // nor a DNS-rebinding page reach it under another name.
    const refusal = deps.origins.refusal(req, 'socket');
    if (refusal) {
      socket.end(upgradeRefusal(refusal));
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => {
      refuseCostlyJsonMessages(ws);
      sockets.emit('connection', ws, req);
    });
  };
}

export type GraphQLServer = ReturnType<typeof createGraphQL>;
