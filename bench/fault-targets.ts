// The orchestrator's handle on the fault targets child (fault-targets-server.ts): its three hosts, switching the
// failing path, reading its counters. A child process, so that stopping PostgreSQL (pg_ctl runs synchronously)
// never stalls a target's answers.
import type { ChildProcess } from 'node:child_process';
import { forkTs, isMessage, nextMessage, waitForExit } from './child.ts';

export interface PathStats {
  requests: number;
  inFlight: number;
  maxInFlight: number;
}

export type FaultTargetsCommand =
  | { type: 'fail'; failing: boolean }
  | { type: 'stats' }
  | { type: 'reset' }
  | { type: 'stop' };

export interface FaultTargetsReady {
  type: 'ready';
  /** http://127.0.0.1:port, http://127.0.0.2:port, http://127.0.0.3:port */
  urls: string[];
}

export interface FaultTargetsStats {
  type: 'stats';
  /** By path kind ("ok", "slow", "hang", "switch") and by "address/kind". */
  paths: Record<string, PathStats>;
}

export interface FaultTargets {
  /** One base URL per loopback host. */
  urls: [string, string, string];
  /** From now on /switch answers 500 (true) or 200 (false). */
  setFailing(failing: boolean): Promise<void>;
  stats(): Promise<FaultTargetsStats['paths']>;
  /** Starts counting maxInFlight afresh. */
  resetPeaks(): Promise<void>;
  stop(): Promise<void>;
}

const EMPTY: PathStats = { requests: 0, inFlight: 0, maxInFlight: 0 };

export function pathStats(paths: FaultTargetsStats['paths'], key: string): PathStats {
  return paths[key] ?? EMPTY;
}

export async function startFaultTargets(): Promise<FaultTargets> {
  const child: ChildProcess = forkTs(new URL('./fault-targets-server.ts', import.meta.url));
  const ask = async <T extends { type: string }>(command: FaultTargetsCommand, reply: T['type']): Promise<T> => {
    const answer = nextMessage(child, isMessage<T>(reply), 10_000);
    child.send(command);
    return answer;
  };
  try {
    const ready = await nextMessage(child, isMessage<FaultTargetsReady>('ready'), 30_000);
    return {
      urls: ready.urls as [string, string, string],
      async setFailing(failing) {
        await ask({ type: 'fail', failing }, 'ack');
      },
      async stats() {
        return (await ask<FaultTargetsStats>({ type: 'stats' }, 'stats')).paths;
      },
      async resetPeaks() {
        await ask({ type: 'reset' }, 'ack');
      },
      async stop() {
        if (child.connected) child.send({ type: 'stop' } satisfies FaultTargetsCommand);
        await waitForExit(child, 5_000);
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}
