// The fan-out bench's service: a real Vigie (startApp) on the throwaway database, its scheduler stopped (the
// orchestrator writes the results, as the batch writer would), answering the orchestrator's questions over IPC.
import pino from 'pino';
import { startApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { openDb, type Db } from '../server/db/index.ts';
import type { ServiceMessage } from './fanout-protocol.ts';

const [databaseUrl, tickMs, instance] = process.argv.slice(2);

/** The event hub's reads of new rows (events/streams.ts: ids above the cursor, plus the holes). */
const HUB_READ = /WHERE id > \$1 OR id = ANY\(\$2::bigint\[\]\)/;

/** The database, counting the statements sent through its API connections (not the background ones). */
function counted(db: Db, count: { hub: number; other: number }): Db {
  return new Proxy(db, {
    get(target, property) {
      if (property === 'query' || property === 'exec') {
        return (...args: unknown[]) => {
          if (HUB_READ.test(String(args[0]))) count.hub++;
          else count.other++;
          return (target[property] as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const send = (message: ServiceMessage) => process.send!(message);
const config = loadConfig({
  DATABASE_URL: databaseUrl!,
  PORT: '0',
  HOST: '127.0.0.1',
  AUTH_DISABLED: 'true',
  LOG_LEVEL: 'warn',
  // Empty: the service's default.
  ...(tickMs ? { TEMPS_REEL_INTERVALLE_MS: tickMs } : {}),
  ...(instance ? { INSTANCE: instance } : {}),
  // The bench's results are dated now: nothing for retention to do, and it should not run mid-window.
  RETENTION_JOURS: '0',
  RETENTION_CUMULS_JOURS: '0',
});
const logger = pino({ level: 'warn' });
const count = { hub: 0, other: 0 };
const app = await startApp(config, logger, { db: counted(await openDb(config, logger), count) });
await app.scheduler.stop();

process.on('message', async (message: { type: string }) => {
  if (message.type === 'stats') {
    const cpu = process.cpuUsage();
    send({
      type: 'stats',
      subscribers: app.subscriptions.subscribers,
      groups: app.subscriptions.groupCount,
      executions: app.subscriptions.executions,
      statements: { ...count },
      cpuMs: (cpu.user + cpu.system) / 1000,
      rssBytes: process.memoryUsage().rss,
    });
  } else if (message.type === 'stop') {
    await app.stop();
    send({ type: 'stopped' });
    process.exit(0);
  }
});
send({ type: 'ready', url: app.url });
