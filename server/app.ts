// Assembles a running Vigie: database -> migrations -> scheduler -> HTTP; and takes it apart again.
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import {
  createAlertService,
  createChannelService,
  DEFAULT_SUPPRESSION_POLICY,
  DeliveryWorker,
  scheduleReminders,
} from './alerts/index.ts';
import { createMaintenanceService } from './maintenance/index.ts';
import { createBadgeService } from './badges/index.ts';
import { createStatusPageService } from './status-pages/index.ts';
import {
  createAuthService,
  LoginThrottle,
  OriginPolicy,
  requestAuthenticator,
  scheduleSessionCleanup,
} from './auth/index.ts';
import { createAddressPolicies, runCheck, type AddressPolicies, type CheckSpec } from './checks/index.ts';
import { clientAddress, trustedProxies } from './client-address.ts';
import { applyConfigFile } from './config-file/index.ts';
import { LEASE_HEARTBEATS, type Config } from './config.ts';
import { openDb, type Db } from './db/index.ts';
import { startEventHub, type EventHub } from './events/index.ts';
import { createGraphQL, type SharingStats } from './graphql/server.ts';
import { createHealthCheck, VERSION } from './health.ts';
import { Membership, MonitorLeases } from './instances/index.ts';
import { createHttpServer } from './http.ts';
import { createMetrics } from './metrics/index.ts';
import { createHeartbeatService, createMonitorService, type MonitorDefaults } from './monitors/index.ts';
import { createRestRouter } from './rest/index.ts';
import { createResultService, scheduleResultPartitions, scheduleRetention } from './results/index.ts';
import { createStaticSite } from './static.ts';
import { BatchWriter, Scheduler } from './scheduler/index.ts';
import { createStatsService } from './stats/index.ts';

export interface App {
  url: string;
  db: Db;
  scheduler: Scheduler;
  events: EventHub;
  /** GraphQL subscriptions of clients, and the shared executions that serve them. */
  subscriptions: SharingStats;
  /** Stops the HTTP server and the scheduler (waiting for checks in flight), then closes the database. */
  stop(): Promise<void>;
}

export interface AppOptions {
  /** An already open database (tests); otherwise the configured one is opened and migrated. */
  db?: Db;
  /** Rows per database read of /api/export (default EXPORT_PAGE_SIZE). */
  exportPageSize?: number;
  /** The built dashboard's folder (default client/dist). */
  clientDir?: string;
  /** How much may wait for one live subscriber before it is ended as too slow (tests make it small). */
  live?: { maxBufferedEvents?: number; maxBufferedBytes?: number };
}

export async function startApp(config: Config, logger: Logger, options: AppOptions = {}): Promise<App> {
  const db = options.db ?? (await openDb(config, logger));
  // The server's own work (result writes, scheduling, deliveries, housekeeping) runs on connections apart from
  // the API's, so that neither can starve the other.
  const writer = new BatchWriter(db.background, logger, { maxQueuedResults: config.maxQueuedResults });
  const addressPolicies = createAddressPolicies(config.outgoing);
  if (config.configFile) {
    await applyConfigFile(
      db,
      config.configFile,
      { monitorDefaults: monitorDefaultsOf(config), addressPolicy: addressPolicies.monitors },
      logger,
    );
  }
  const checkMonitor = (spec: CheckSpec) => runCheck({ ...spec, addressPolicy: addressPolicies.monitors });
  const membership = new Membership(db.background, logger, {
    identity: { name: config.instance.name, location: config.instance.location, version: VERSION },
    heartbeatMs: config.instance.heartbeatMs,
    ttlMs: config.instance.heartbeatMs * LEASE_HEARTBEATS,
    exclusive: db.kind === 'embedded',
  });
  const scheduler = new Scheduler(db.background, writer, logger, {
    maxParallelChecks: config.maxParallelChecks,
    maxChecksPerHost: config.maxChecksPerHost,
    runCheck: checkMonitor,
    // Each monitor is checked by one instance of this location: the one holding its lease.
    leases: new MonitorLeases(db.background, membership, logger),
    takeoverSpreadMs: config.instance.heartbeatMs,
    location: config.instance.location,
  });
  membership.monitorCount = () => scheduler.stats.monitors;
  const events = await startEventHub(db, logger, { tickMs: config.liveTickMs });
  const health = createHealthCheck(db, scheduler, new Date(), writer, membership);
  const services = createDomainServices(db, config, addressPolicies, options, scheduler, writer);
  const deliveries = createDeliveryWorker(db.background, logger, config, addressPolicies);
  const auth = await createAuthService(db, config.auth, logger.child({ component: 'auth' }));
  const origins = new OriginPolicy({
    publicUrl: config.publicUrl,
    listenHost: config.host,
    allowedOrigins: config.auth.allowedOrigins,
    authDisabled: config.auth.disabled,
  });
  const authenticate = requestAuthenticator(auth);
  const proxies = trustedProxies(config.auth.trustedProxies);
  const addressOf = (req: IncomingMessage) => clientAddress(req, proxies);
  const router = createRestRouter({
    ...services,
    auth,
    authenticate,
    clientAddress: addressOf,
    loginThrottle: new LoginThrottle(),
    secureCookies: config.publicUrl.startsWith('https:'),
    health,
    logger,
  });
  const graphql = createGraphQL({
    ...services,
    events,
    auth,
    authenticate,
    clientAddress: addressOf,
    origins,
    introspection: config.graphqlIntrospection,
    health,
    instances: () => membership.list(),
    logger,
    live: options.live,
  });
  const { monitors, maintenance, stats } = services;
  const liveSubscriptions = {
    get subscriberCount() {
      return graphql.subscriptions.subscribers;
    },
  };
  const metrics = createMetrics({
    monitors,
    maintenance,
    stats,
    scheduler,
    writer,
    events: liveSubscriptions,
    deliveries,
    instances: membership,
    logger,
  });
  const server = createHttpServer(
    router,
    graphql,
    metrics,
    authenticate,
    origins,
    logger,
    createStaticSite(options.clientDir),
  );
  const backgroundWork = await startBackgroundWork(db.background, logger, config, membership, scheduler, deliveries);
  const url = await listen(server, config, origins);
  logger.info({ url, database: db.kind }, 'Vigie is listening');

  return {
    url,
    db,
    scheduler,
    events,
    subscriptions: graphql.subscriptions,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await graphql.close();
      await backgroundWork.stop();
      await events.stop();
      await auth.close();
      server.closeAllConnections();
      await closed;
      await db.close();
    },
  };
}

/** What a monitor created without them gets, from the environment. */
export function monitorDefaultsOf(config: Config): MonitorDefaults {
  return {
    intervalSeconds: config.defaultIntervalSeconds,
    timeoutSeconds: config.requestTimeoutSeconds,
    slowThresholdMs: config.slowThresholdMs,
  };
}

/** The services the REST and GraphQL APIs call, configured from the environment. */
function createDomainServices(
  db: Db,
  config: Config,
  addressPolicies: AddressPolicies,
  options: AppOptions,
  scheduler: Scheduler,
  writer: BatchWriter,
) {
  const monitors = createMonitorService(db, monitorDefaultsOf(config), addressPolicies.monitors);
  const stats = createStatsService(db);
  return {
    monitors,
    // Ping results go through the batch writer with the checks': pings come by the thousand per second.
    heartbeats: createHeartbeatService(db, (result, location) =>
      writer.write({ ...result, location: location ?? config.instance.location }),
    ),
    publicUrl: config.publicUrl,
    results: createResultService(db, {
      addressPolicies,
      checkTimeoutMs: config.requestTimeoutSeconds * 1000,
      oneOffChecksPerMinute: config.oneOffChecksPerMinute,
      exportPageSize: options.exportPageSize,
      checkMonitor: (monitor) => scheduler.checkNow(monitor),
      location: config.instance.location,
    }),
    stats,
    badges: createBadgeService(db, monitors, stats),
    statusPages: createStatusPageService(db, monitors),
    alerts: createAlertService(db),
    maintenance: createMaintenanceService(db),
    channels: createChannelService(db, {
      publicUrl: config.publicUrl,
      timeoutMs: config.notifications.timeoutSeconds * 1000,
      addressPolicy: addressPolicies.strict,
    }),
  };
}

function createDeliveryWorker(
  db: Db,
  logger: Logger,
  config: Config,
  addressPolicies: AddressPolicies,
): DeliveryWorker {
  const notifications = config.notifications;
  return new DeliveryWorker(db, logger, {
    concurrency: notifications.concurrency,
    timeoutMs: notifications.timeoutSeconds * 1000,
    maxAttempts: notifications.maxAttempts,
    backoffBaseMs: notifications.retryDelayMs,
    downGraceMs: notifications.groupingDelayMs,
    pollMs: 1000,
    publicUrl: config.publicUrl,
    addressPolicy: addressPolicies.strict,
    policy: {
      ...DEFAULT_SUPPRESSION_POLICY,
      flappingChanges: notifications.flappingChanges,
      flappingMinutes: notifications.flappingMinutes,
    },
  });
}

/** Starts the checks, the notification deliveries and the periodic jobs; `stop` waits for work in flight. */
async function startBackgroundWork(
  db: Db,
  logger: Logger,
  config: Config,
  membership: Membership,
  scheduler: Scheduler,
  deliveries: DeliveryWorker,
) {
  await membership.start();
  await scheduler.start();
  await deliveries.start();
  const stopReminders = scheduleReminders(db, logger);
  const resultPartitions = scheduleResultPartitions(db, logger);
  const retention = scheduleRetention(db, logger, config.retention);
  const sessionCleanup = scheduleSessionCleanup(db, logger);
  return {
    async stop(): Promise<void> {
      stopReminders();
      // The instance goes (and its monitors to the others) once its last checks are stored, before the database
      // closes: the next holder schedules from the stored results.
      await Promise.all([
        scheduler.stop().then(() => membership.stop()),
        deliveries.stop(),
        resultPartitions.stop(),
        retention.stop(),
        sessionCleanup.stop(),
      ]);
    },
  };
}

/** Listens on the configured host and port; returns the URL to reach the server at. */
async function listen(server: Server, config: Config, origins: OriginPolicy): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origins.listening(port);
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
