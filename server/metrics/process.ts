// Node.js process metrics (CPU, memory, event-loop lag, GC, handles) under prom-client's default names.
import { collectDefaultMetrics, Registry } from 'prom-client';

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
  }
  return shared;
}
