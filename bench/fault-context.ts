// What every fault scenario gets: the private cluster, the loopback targets, the settings, and the service process.
import { startServiceProcess, type ServiceProcess } from '../tests/helpers/process.ts';
import type { PrivateCluster } from '../tests/helpers/private-cluster.ts';
import type { FaultTargets } from './fault-targets.ts';
import type { FaultsConfig } from './faults-config.ts';

export interface FaultContext {
  cluster: PrivateCluster;
  targets: FaultTargets;
  config: FaultsConfig;
  /** Progress, printed as it happens (figures come at the end of each scenario). */
  progress(line: string): void;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Runs `fn` with the real service (`node --import tsx server/main.ts`) on `databaseUrl`; the process is killed if
 * `fn` throws or leaves it running.
 */
export async function withService<T>(
  databaseUrl: string,
  env: Record<string, string>,
  fn: (service: ServiceProcess) => Promise<T>,
): Promise<T> {
  const service = await startServiceProcess({ DATABASE_URL: databaseUrl, ...env });
  try {
    return await fn(service);
  } finally {
    if (service.child.exitCode === null && service.child.signalCode === null) await service.stop('SIGKILL');
  }
}

/** The service's JSON log lines with the given message prefix. */
export function logged(service: ServiceProcess, prefix: string): Array<Record<string, unknown>> {
  return service.logs.flatMap((line) => {
    try {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      return String(parsed.msg).startsWith(prefix) ? [parsed] : [];
    } catch {
      return [];
    }
  });
}
