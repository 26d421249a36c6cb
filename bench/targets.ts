// The orchestrator's handle on the loopback targets child: its URLs, its counters, and stopping it.
import type { ChildProcess } from 'node:child_process';
import { forkTs, isMessage, nextMessage, waitForExit } from './child.ts';
import type { TargetsReady, TargetsStats } from './protocol.ts';

export interface Targets {
  urls: string[];
  pid: number;
  stats(): Promise<TargetsStats>;
  stop(): Promise<void>;
}

export async function startTargets(hosts: number, portsPerHost: number): Promise<Targets> {
  const child: ChildProcess = forkTs(new URL('./targets-server.ts', import.meta.url), [
    String(hosts),
    String(portsPerHost),
  ]);
  try {
    const ready = await nextMessage(child, isMessage<TargetsReady>('ready'), 30_000);
    return {
      urls: ready.urls,
      pid: child.pid!,
      stats() {
        const reply = nextMessage(child, isMessage<TargetsStats>('stats'), 10_000);
        child.send('stats');
        return reply;
      },
      async stop() {
        if (child.connected) child.send('stop');
        await waitForExit(child, 5_000);
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}
