// The orchestrator's handles on the fan-out bench's two children: the service (a real Vigie) and the clients.
import type { ChildProcess } from 'node:child_process';
import { forkTs, isMessage, nextMessage, waitForExit } from './child.ts';
import type {
  ClientsCommand,
  ClientsMessage,
  ClientsPart,
  ClientsReport,
  ServiceMessage,
  ServiceStats,
  SubscribeCommand,
} from './fanout-protocol.ts';
import { Latencies } from './fanout-latency.ts';
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

/** A Vigie process on the database (`instance`: its INSTANCE name, for a second one on the same database). */
export async function startService(databaseUrl: string, tickMs: number, instance = ''): Promise<Service> {
  const child = forkTs(new URL('./fanout-service.ts', import.meta.url), [databaseUrl, String(tickMs), instance]);
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
  processes: number;
  subscribe(command: Omit<SubscribeCommand, 'type' | 'firstIndex'>): Promise<void>;
  reset(): Promise<void>;
  report(latestResultIds?: Record<string, number>): Promise<ClientsReport>;
  close(): Promise<void>;
  stop(): Promise<void>;
}

/** Several client processes, each with its share of the subscribers (real clients are many machines). */
export function startClients(processes: number): Clients {
  const children: ChildProcess[] = Array.from({ length: processes }, () =>
    forkTs(new URL('./fanout-clients.ts', import.meta.url), [], ['--max-old-space-size=2048']),
  );
  const ask = <T extends ClientsMessage>(
    child: ChildProcess,
    command: ClientsCommand,
    reply: T['type'],
    timeoutMs: number,
  ): Promise<T> => {
    const answer = nextMessage(child, isMessage<T>(reply), timeoutMs);
    child.send(command);
    return answer;
  };
  const everyone = <T extends ClientsMessage>(command: ClientsCommand, reply: T['type'], timeoutMs: number) =>
    Promise.all(children.map((child) => ask<T>(child, command, reply, timeoutMs)));
  return {
    processes,
    async subscribe(command) {
      const share = Math.ceil(command.variables.length / processes);
      await Promise.all(
        children.map((child, n) =>
          ask(
            child,
            {
              type: 'subscribe',
              ...command,
              variables: command.variables.slice(n * share, (n + 1) * share),
              firstIndex: n * share,
            },
            'subscribed',
            300_000,
          ),
        ),
      );
    },
    reset: async () => void (await everyone({ type: 'reset' }, 'reset-done', 10_000)),
    async report(latestResultIds) {
      const parts = await everyone<ClientsPart>({ type: 'report', latestResultIds }, 'report', 30_000);
      const sum = (pick: (part: ClientsPart) => number) => parts.reduce((total, part) => total + pick(part), 0);
      const busy = parts.filter((part) => part.most > 0 || part.fewest > 0);
      return {
        messages: sum((part) => part.messages),
        fewest: Math.min(...parts.map((part) => part.fewest)),
        most: Math.max(...(busy.length ? busy : parts).map((part) => part.most)),
        bytes: sum((part) => part.bytes),
        latency: Latencies.summarize(parts.map((part) => part.latency)),
        tickLatency: Latencies.summarize(parts.map((part) => part.tickLatency)),
        stale: sum((part) => part.stale),
        sampled: sum((part) => part.sampled),
        errors: parts.flatMap((part) => part.errors).slice(0, 5),
        closed: sum((part) => part.closed),
        cpuMs: sum((part) => part.cpuMs),
      };
    },
    close: async () => void (await everyone({ type: 'close' }, 'closed', 30_000)),
    async stop() {
      for (const child of children) child.kill('SIGTERM');
      await Promise.all(children.map((child) => waitForExit(child, 5_000)));
    },
  };
}
