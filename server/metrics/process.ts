// Node.js process metrics (CPU, memory, event-loop lag, GC, handles) under prom-client's default names.
import { collectDefaultMetrics, Registry } from 'prom-client';

// prom-client names these gauges `_total`, a suffix Prometheus keeps for counters (`promtool check metrics` refuses
// them); their per-type twins (nodejs_active_handles, _requests, _resources) stay and sum to the same.
const MISNAMED_GAUGES = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

let shared: Registry | null = null;

/**
 * One registry per process, not per app: these describe the process, and prom-client's collectors start an
 * event-loop monitor and a GC observer that are never stopped, so every app in a process (tests start
 * several) shares one set.
 */
export function processRegistry(): Registry {
  if (!shared) {
    shared = new Registry();
    collectDefaultMetrics({ register: shared });
    for (const name of MISNAMED_GAUGES) shared.removeSingleMetric(name);
  }
  return shared;
}
