// The orchestrator's handles on the fan-out bench's two children: the service (a real Vigie) and the clients.
import type { ChildProcess } from 'node:child_process';
import { forkTs, isMessage, nextMessage, waitForExit } from './child.ts';
import type {
  ClientsCommand,
  ClientsMessage,
  ClientsReport,
  ServiceMessage,
  ServiceStats,
  SubscribeCommand,
} from './fanout-protocol.ts';
import { processCpuMs } from './system.ts';

export interface Service {
  url: string;
  pid: number;
  stats(): Promise<ServiceStats>;
  /** CPU time of the service process so far (user + system, from /proc). */
  cpuMs(): number;
  /** Resolves once the service follows `count` client subscriptions. */
  waitForSubscribers(count: number, timeoutMs: number): Promise<ServiceStats>;
  stop(): Promise<void>;
}

export async function startService(databaseUrl: string, tickMs: number): Promise<Service> {
  const child = forkTs(new URL('./fanout-service.ts', import.meta.url), [databaseUrl, String(tickMs)]);
  try {
    const ready = await nextMessage(child, isMessage<Extract<ServiceMessage, { type: 'ready' }>>('ready'), 60_000);
    const stats = () => {
      const reply = nextMessage(child, isMessage<ServiceStats>('stats'), 10_000);
      child.send({ type: 'stats' });
      return reply;
    };
    return {
      url: ready.url,
      pid: child.pid!,
      stats,
      cpuMs: () => processCpuMs(child.pid!) ?? Number.NaN,
      async waitForSubscribers(count, timeoutMs) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const now = await stats();
          if (now.subscribers === count) return now;
          if (Date.now() > deadline) {
            throw new Error(
              `the service follows ${now.subscribers} subscriptions, not ${count}, after ${timeoutMs} ms`,
            );
          }
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      },
      async stop() {
        if (child.connected) child.send({ type: 'stop' });
        await waitForExit(child, 15_000);
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

export interface Clients {
  pid: number;
  subscribe(command: Omit<SubscribeCommand, 'type'>): Promise<void>;
  reset(): Promise<void>;
  report(latestResultIds?: Record<string, number>): Promise<ClientsReport>;
  close(): Promise<void>;
  stop(): Promise<void>;
}

export function startClients(): Clients {
  // Room for one socket per subscriber of the largest scenario.
  const child: ChildProcess = forkTs(
    new URL('./fanout-clients.ts', import.meta.url),
    [],
    ['--max-old-space-size=2048'],
  );
  const ask = <T extends ClientsMessage>(command: ClientsCommand, reply: T['type'], timeoutMs: number) => {
    const answer = nextMessage(child, isMessage<T>(reply), timeoutMs);
    child.send(command);
    return answer;
  };
  return {
    pid: child.pid!,
    subscribe: async (command) => void (await ask({ type: 'subscribe', ...command }, 'subscribed', 300_000)),
    reset: async () => void (await ask({ type: 'reset' }, 'reset-done', 10_000)),
    report: (latestResultIds) => ask<ClientsReport>({ type: 'report', latestResultIds }, 'report', 30_000),
    close: async () => void (await ask({ type: 'close' }, 'closed', 30_000)),
    async stop() {
      child.kill('SIGTERM');
      await waitForExit(child, 5_000);
    },
  };
}
