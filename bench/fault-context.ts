// What every fault scenario gets: the private cluster, the loopback targets, the settings, and the service process.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
 * Runs `fn` with the real service (`node dist/server/main.js`, as `npm start`) on `databaseUrl`; the process is killed if
 * `fn` throws or leaves it running. Its log is kept as <logDir>/<name>.log when BENCH_FAULTS_LOGS names a folder.
 */
export async function withService<T>(
  context: FaultContext,
  name: string,
  databaseUrl: string,
  env: Record<string, string>,
  fn: (service: ServiceProcess) => Promise<T>,
): Promise<T> {
  const service = await startServiceProcess({ DATABASE_URL: databaseUrl, ...env });
  try {
    return await fn(service);
  } finally {
    if (service.child.exitCode === null && service.child.signalCode === null) await service.stop('SIGKILL');
    const { logDir } = context.config;
    if (logDir) {
      mkdirSync(logDir, { recursive: true });
      writeFileSync(join(logDir, `${name}.log`), `${service.logs.join('\n')}\n`);
    }
  }
}

/** The service's warnings and errors (pino level 40 and up), by message with their count: "msg ×3; msg ×1". */
export function problemsLogged(service: ServiceProcess): string {
  const counts = new Map<string, number>();
  for (const line of logged(service, '')) {
    if (Number(line.level) < 40) continue;
    const msg = String(line.msg).slice(0, 100);
    counts.set(msg, (counts.get(msg) ?? 0) + 1);
  }
  return [...counts].map(([msg, count]) => `"${msg}" ×${count}`).join('; ') || 'none';
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
