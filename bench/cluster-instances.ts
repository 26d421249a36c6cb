// The Vigie service processes of bench:cluster: started as `npm start` runs them, with their memory sampled and
// their check lag read from /metrics.
import { startServiceProcess, type ServiceProcess } from '../tests/helpers/process.ts';
import { scrape } from '../tests/helpers/prometheus.ts';
import type { ClusterConfig } from './cluster-config.ts';
import { processCpuMs, processMemory } from './system.ts';

const LAG_TARGET_SECONDS = 0.25;

export interface LagReading {
  count: number;
  /** Checks started within LAG_TARGET_SECONDS of their due time. */
  withinTarget: number;
}

export interface Instance {
  name: string;
  service: ServiceProcess;
  /** Highest RSS seen since the last resetPeak(), in bytes. */
  peakRss(): number;
  resetPeak(): void;
  cpuMs(): number;
  lag(): Promise<LagReading>;
  stop(signal: NodeJS.Signals): Promise<void>;
}

export async function startInstance(name: string, databaseUrl: string, config: ClusterConfig): Promise<Instance> {
  const service = await startServiceProcess({
    DATABASE_URL: databaseUrl,
    INSTANCE: name,
    WORKERS_MAX_PARALLELES: String(config.concurrency),
    // The targets are a few loopback addresses: the per-host cap would measure them, not the instances.
    VERIFICATIONS_PAR_HOTE_MAX: String(config.concurrency),
    TIMEOUT_REQUETE_SECONDES: String(Math.min(5, config.intervalSeconds - 1)),
  });
  const pid = service.child.pid!;
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, processMemory(pid).rss);
  };
  const sampler = setInterval(sample, 500);
  sampler.unref();
  return {
    name,
    service,
    peakRss: () => peak,
    resetPeak: () => {
      peak = 0;
      sample();
    },
    cpuMs: () => processCpuMs(pid) ?? 0,
    async lag() {
      // The instance's own metrics only: reading every monitor's (a 30 MB answer at 20,000 monitors) would stall
      // the checks it measures.
      const [sample] = (await scrape(service.url, undefined, ['instance'])).samples('vigie_scheduler_lag_seconds');
      const buckets = sample?.buckets ?? {};
      return { count: Number(sample?.count ?? 0), withinTarget: Number(buckets[String(LAG_TARGET_SECONDS)] ?? 0) };
    },
    async stop(signal) {
      clearInterval(sampler);
      await service.stop(signal);
    },
  };
}

/** The share of checks started within 250 ms of their due time between two readings. */
export function lagShareWithinTarget(before: LagReading, after: LagReading): { checks: number; share: number } {
  const checks = after.count - before.count;
  return { checks, share: checks > 0 ? (after.withinTarget - before.withinTarget) / checks : 1 };
}
