// /metrics: the service's own metrics, the process's, and one set of gauges per monitor, in the Prometheus
// text format. Scrapes that arrive while the per-monitor families are being read share that reading.
import { Gauge, Registry } from 'prom-client';
import type { Logger } from 'pino';
import { monitorMetricsText, type MonitorMetricSources } from './monitor-metrics.ts';
import { processRegistry } from './process.ts';
import { registerServiceMetrics, type ServiceSources } from './service.ts';

export const METRICS_PATH = '/metrics';

export interface MetricSources extends ServiceSources, MonitorMetricSources {
  logger: Logger;
}

/**
 * What a scrape collects (`?collect[]=`, as node_exporter names it): this instance's own metrics and the process's,
 * the per-monitor families, or both (the default). With many monitors, Prometheus may scrape the instance often and
 * the monitors, a larger answer read from the database, less often.
 */
export type MetricGroup = 'instance' | 'monitors';
const METRIC_GROUPS: readonly MetricGroup[] = ['instance', 'monitors'];

/** The groups a scrape asks for; throws a message naming the bad value. */
export function collectedGroups(params: URLSearchParams): Set<MetricGroup> {
  const asked = params.getAll('collect[]');
  if (asked.length === 0) return new Set(METRIC_GROUPS);
  const unknown = asked.filter((group) => !METRIC_GROUPS.includes(group as MetricGroup));
  if (unknown.length > 0) {
    throw new Error(`collect[]: unknown ${unknown.join(', ')} (known: ${METRIC_GROUPS.join(', ')})`);
  }
  return new Set(asked as MetricGroup[]);
}

export interface Metrics {
  /** This app's registry (its own metrics and the process's); the per-monitor families are added by render(). */
  registry: Registry;
  contentType: string;
  /** A scrape's text: every group, or those asked for. */
  render(groups?: ReadonlySet<MetricGroup>): Promise<string>;
}

export function createMetrics(sources: MetricSources): Metrics {
  const own = new Registry();
  registerServiceMetrics(own, sources);
  const monitorsOk = new Gauge({
    name: 'vigie_monitor_metrics_up',
    help: 'Whether the per-monitor metrics of this scrape could be read from the database (1) or not (0).',
    registers: [own],
  });
  const monitorsSeconds = new Gauge({
    name: 'vigie_monitor_metrics_duration_seconds',
    help: 'How long reading the per-monitor metrics of this scrape took, in seconds.',
    registers: [own],
  });
  const registry = Registry.merge([own, processRegistry()]);

  /** The per-monitor families, and this instance's metrics read after them (which say how reading them went). */
  async function build(): Promise<{ own: string; monitors: string }> {
    const started = performance.now();
    let monitors = '';
    try {
      monitors = await monitorMetricsText(sources, new Date());
      monitorsOk.set(1);
    } catch (error) {
      // The service's own metrics still tell what is wrong; the monitors' are left out of this scrape.
      sources.logger.warn({ err: (error as Error).message }, 'could not read the per-monitor metrics');
      monitorsOk.set(0);
    }
    monitorsSeconds.set((performance.now() - started) / 1000);
    return { own: await registry.metrics(), monitors };
  }

  let inFlight: Promise<{ own: string; monitors: string }> | null = null;
  const withMonitors = () =>
    (inFlight ??= build().finally(() => {
      inFlight = null;
    }));
  return {
    registry,
    contentType: registry.contentType,
    async render(groups = new Set(METRIC_GROUPS)) {
      if (!groups.has('monitors')) return registry.metrics();
      const { own, monitors } = await withMonitors();
      return groups.has('instance') ? own + monitors : monitors;
    },
  };
}
