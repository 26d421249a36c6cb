// Assembles a running Vigie: database -> migrations -> scheduler -> HTTP; and takes it apart again.
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createChannelService, DEFAULT_SUPPRESSION_POLICY, DeliveryWorker, scheduleReminders } from './alerts/index.ts';
import { runCheck } from './checks/index.ts';
import type { Config } from './config.ts';
import { openDb, type Db } from './db/index.ts';
import { startEventHub, type EventHub } from './events/index.ts';
import { createGraphQL } from './graphql/server.ts';
import { createHealthCheck } from './health.ts';
import { createHttpServer } from './http.ts';
import { createMonitorService } from './monitors/index.ts';
import { createRestRouter } from './rest/index.ts';
import { BatchWriter, Scheduler } from './scheduler/index.ts';

export interface App {
  url: string;
  db: Db;
  scheduler: Scheduler;
  events: EventHub;
  /** Stops the HTTP server and the scheduler (waiting for checks in flight), then closes the database. */
  stop(): Promise<void>;
}

export interface AppOptions {
  /** An already open database (tests); otherwise the configured one is opened and migrated. */
  db?: Db;
}

export async function startApp(config: Config, logger: Logger, options: AppOptions = {}): Promise<App> {
  const db = options.db ?? (await openDb(config, logger));
  const writer = new BatchWriter(db, logger);
  const scheduler = new Scheduler(db, writer, logger, { maxParallelChecks: config.maxParallelChecks, runCheck });
  const monitors = createMonitorService(db, {
    intervalSeconds: config.defaultIntervalSeconds,
    timeoutSeconds: config.requestTimeoutSeconds,
    slowThresholdMs: config.slowThresholdMs,
  });
  const events = await startEventHub(db, logger);
  const health = createHealthCheck(db, scheduler, new Date());
  const checkTimeoutMs = config.requestTimeoutSeconds * 1000;
  const notifications = config.notifications;
  const channels = createChannelService(db, { publicUrl: config.publicUrl, timeoutMs: notifications.timeoutSeconds * 1000 });
  const deliveries = new DeliveryWorker(db, logger, {
    concurrency: notifications.concurrency,
    timeoutMs: notifications.timeoutSeconds * 1000,
    maxAttempts: notifications.maxAttempts,
    backoffBaseMs: notifications.retryDelayMs,
    downGraceMs: notifications.groupingDelayMs,
    pollMs: 1000,
    publicUrl: config.publicUrl,
    policy: {
      ...DEFAULT_SUPPRESSION_POLICY,
      flappingChanges: notifications.flappingChanges,
      flappingMinutes: notifications.flappingMinutes,
    },
  });
  const router = createRestRouter({ db, monitors, channels, checkTimeoutMs, health, logger });
  const graphql = createGraphQL({ db, monitors, channels, events, checkTimeoutMs, health, logger });
  const server = createHttpServer(router, graphql, logger);
  await scheduler.start();
  await deliveries.start();
  const stopReminders = scheduleReminders(db, logger);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ url, database: db.kind }, 'Vigie is listening');

  return {
    url,
    db,
    scheduler,
    events,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await graphql.close();
      stopReminders();
      await Promise.all([scheduler.stop(), deliveries.stop()]);
      await events.stop();
      server.closeAllConnections();
      await closed;
      await db.close();
    },
  };
}
