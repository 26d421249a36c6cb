// The fan-out bench's service: a real Vigie (startApp) on the throwaway database, its scheduler stopped (the
// orchestrator writes the results, as the batch writer would), answering the orchestrator's questions over IPC.
import pino from 'pino';
import { startApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import type { ServiceMessage } from './fanout-protocol.ts';

const [databaseUrl, tickMs] = process.argv.slice(2);
const send = (message: ServiceMessage) => process.send!(message);
const config = loadConfig({
  DATABASE_URL: databaseUrl!,
  PORT: '0',
  HOST: '127.0.0.1',
  AUTH_DISABLED: 'true',
  LOG_LEVEL: 'warn',
  TEMPS_REEL_INTERVALLE_MS: tickMs!,
  // The bench's results are dated now: nothing for retention to do, and it should not run mid-window.
  RETENTION_JOURS: '0',
  RETENTION_CUMULS_JOURS: '0',
});
const app = await startApp(config, pino({ level: 'warn' }));
await app.scheduler.stop();

process.on('message', async (message: { type: string }) => {
  if (message.type === 'stats') {
    const cpu = process.cpuUsage();
    send({
      type: 'stats',
      subscribers: app.subscriptions.subscribers,
      groups: app.subscriptions.groupCount,
      executions: app.subscriptions.executions,
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
