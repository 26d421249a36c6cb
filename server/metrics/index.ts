// /metrics: the service's own metrics, the process's, and one set of gauges per monitor, in the Prometheus
// text format. Scrapes that arrive while one is being built share its result.
import { Gauge, Registry } from 'prom-client';
import type { Logger } from 'pino';
import { monitorMetricsText, type MonitorMetricSources } from './monitor-metrics.ts';
import { processRegistry } from './process.ts';
import { registerServiceMetrics, type ServiceSources } from './service.ts';

export const METRICS_PATH = '/metrics';

export interface MetricSources extends ServiceSources, MonitorMetricSources {
  logger: Logger;
}

export interface Metrics {
  /** This app's registry (its own metrics and the process's); the per-monitor families are added by render(). */
  registry: Registry;
  contentType: string;
  /** A whole scrape's text. */
  render(): Promise<string>;
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

  async function build(): Promise<string> {
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
    return (await registry.metrics()) + monitors;
  }

  let inFlight: Promise<string> | null = null;
  return {
    registry,
    contentType: registry.contentType,
    render: () =>
      (inFlight ??= build().finally(() => {
        inFlight = null;
      })),
  };
}
