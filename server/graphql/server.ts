// /graphql over HTTP (graphql-yoga, with GraphiQL) and over WebSocket (graphql-ws), sharing one schema,
// one context factory, the error masking and the query limits.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { createYoga, type Plugin } from 'graphql-yoga';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Logger } from 'pino';
import type { ChannelService } from '../alerts/index.ts';
import type { Db } from '../db/index.ts';
import type { EventHub } from '../events/index.ts';
import type { HealthReport } from '../health.ts';
import type { MonitorService } from '../monitors/index.ts';
import { createErrorMasker } from './errors.ts';
import { queryLimitsRule } from './limits.ts';
import { createLoaders } from './loaders.ts';
import { schema } from './schema.ts';
import type { GraphQLContext } from './types.ts';

export const GRAPHQL_PATH = '/graphql';

export interface GraphQLDeps {
  db: Db;
  monitors: MonitorService;
  channels: ChannelService;
  events: EventHub;
  checkTimeoutMs: number;
  health: () => Promise<HealthReport>;
  logger: Logger;
}

const queryLimits: Plugin = {
  onValidate({ addValidationRule }) {
    addValidationRule(queryLimitsRule);
  },
};

export function createGraphQL(deps: GraphQLDeps) {
  const context = (): GraphQLContext => ({
    db: deps.db,
    monitors: deps.monitors,
    channels: deps.channels,
    events: deps.events,
    loaders: createLoaders(deps.db, deps.monitors),
    checkTimeoutMs: deps.checkTimeoutMs,
    health: deps.health,
  });
  const log = deps.logger.child({ component: 'graphql' });
  const yoga = createYoga({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    context,
    maskedErrors: { maskError: createErrorMasker(log) },
    plugins: [queryLimits],
    graphiql: { subscriptionsProtocol: 'WS', title: 'Vigie GraphQL' },
    landingPage: false,
    batching: false,
    logging: {
      debug: (...args: unknown[]) => log.debug({ args }, 'yoga'),
      info: (...args: unknown[]) => log.info({ args }, 'yoga'),
      warn: (...args: unknown[]) => log.warn({ args }, 'yoga'),
      error: (...args: unknown[]) => log.error({ args }, 'yoga'),
    },
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  type RootValue = { execute: (args: ExecutionArgs) => unknown; subscribe: (args: ExecutionArgs) => unknown };
  const wsServer = useServer(
    {
      execute: (args) => (args.rootValue as RootValue).execute(args) as never,
      subscribe: (args) => (args.rootValue as RootValue).subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
        const enveloped = yoga.getEnveloped({ ...ctx, req: ctx.extra.request, socket: ctx.extra.socket, params });
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
        return args;
      },
    },
    sockets,
  );

  return {
    /** The HTTP handler for /graphql. */
    handle: yoga.handle as unknown as (req: IncomingMessage, res: import('node:http').ServerResponse) => void,
    /** Takes over WebSocket upgrades on /graphql. */
    attach(server: Server) {
      server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        const path = new URL(req.url ?? '/', 'http://localhost').pathname;
        if (path !== GRAPHQL_PATH) {
          socket.destroy();
          return;
        }
        sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws, req));
      });
    },
    async close() {
      await wsServer.dispose();
    },
  };
}

export type GraphQLServer = ReturnType<typeof createGraphQL>;
