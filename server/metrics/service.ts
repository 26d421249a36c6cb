// The service's own metrics (prom-client): checks, scheduling, result writes, live subscribers, notification
// deliveries. Most mirror plain counters the classes keep anyway, read at scrape time, so the check path pays
// nothing for them; only the batch write durations (once per batch) and the schedule lags (once per check, a few
// additions) are observed as they happen, as histograms must be.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { DeliveryCounts } from '../alerts/index.ts';
import type { EventHub } from '../events/index.ts';
import { VERSION } from '../health.ts';
import type { Instance } from '../instances/index.ts';
import type { BatchWriter, Scheduler } from '../scheduler/index.ts';

export interface ServiceSources {
  scheduler: Pick<Scheduler, 'stats' | 'onCheckStarted' | 'saturation'>;
  writer: Pick<BatchWriter, 'stats' | 'onBatchWritten'>;
  events: Pick<EventHub, 'subscriberCount'>;
  deliveries: { readonly stats: DeliveryCounts };
  /** The live instances sharing the database; absent: no vigie_instance_* samples. */
  instances?: { list(): Promise<Instance[]> };
}

/** Schedule lag buckets (s): on time is well under 10 ms; a minute or more means whole slots missed. */
const LAG_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const WRITE_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A counter that shows a count kept elsewhere (which only grows), one sample per label value. */
function mirroredCounter(
  registry: Registry,
  name: string,
  help: string,
  label: string,
  read: () => Record<string, number>,
): void {
  new Counter({
    name,
    help,
    labelNames: [label],
    registers: [registry],
    collect() {
      this.reset();
      for (const [value, count] of Object.entries(read())) this.inc({ [label]: value }, count);
    },
  });
}

/** A counter that shows a count kept elsewhere (which only grows). */
function mirroredTotal(registry: Registry, name: string, help: string, read: () => number): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

function gauge(registry: Registry, name: string, help: string, read: () => number): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}

export function registerServiceMetrics(registry: Registry, sources: ServiceSources): void {
  const { scheduler, writer, events, deliveries } = sources;

  new Gauge({
    name: 'vigie_build_info',
    help: 'Always 1; the version of this Vigie in a label.',
    labelNames: ['version'],
    registers: [registry],
  }).set({ version: VERSION }, 1);

  mirroredCounter(
    registry,
    'vigie_checks_completed_total',
    'Scheduled checks completed, by outcome (up or down).',
    'outcome',
    () => {
      const stats = scheduler.stats;
      return { up: stats.checksUp, down: stats.checksDown };
    },
  );
  mirroredTotal(
    registry,
    'vigie_scheduler_missed_checks_total',
    'Check slots skipped because a check started a whole interval or more late.',
    () => scheduler.stats.missedChecks,
  );
  const lagSeconds = new Histogram({
    name: 'vigie_scheduler_lag_seconds',
    help: 'How late each check started after its due time, in seconds.',
    buckets: LAG_BUCKETS,
    registers: [registry],
  });
  scheduler.onCheckStarted((lagMs) => lagSeconds.observe(lagMs / 1000));
  gauge(
    registry,
    'vigie_scheduler_monitors',
    'Active monitors this instance schedules.',
    () => scheduler.stats.monitors,
  );
  gauge(registry, 'vigie_scheduler_checks_running', 'Checks running now.', () => scheduler.stats.inFlight);
  gauge(
    registry,
    'vigie_scheduler_checks_waiting',
    'Checks due but waiting for a free slot (for a worker or for their host).',
    () => scheduler.stats.waiting,
  );
  gauge(
    registry,
    'vigie_scheduler_checks_waiting_for_host',
    'Checks due but waiting because their host already has VERIFICATIONS_PAR_HOTE_MAX checks running.',
    () => scheduler.stats.waitingForHost,
  );
  gauge(
    registry,
    'vigie_scheduler_checks_overdue',
    'Checks due but not started after a whole interval (their next slot is missed).',
    () => scheduler.saturation().overdueChecks,
  );
  gauge(
    registry,
    'vigie_scheduler_saturated',
    '1 when checks miss their intervals (now, or within the last minute), else 0.',
    () => (scheduler.saturation().saturated ? 1 : 0),
  );
  gauge(
    registry,
    'vigie_scheduler_worst_lag_seconds',
    'The longest a check waits now, or waited within the last minute, after its due time.',
    () => scheduler.saturation().worstLagMs / 1000,
  );

  gauge(
    registry,
    'vigie_batch_writer_pending_results',
    'Check results waiting to be written to the database.',
    () => writer.stats.pending,
  );
  mirroredTotal(
    registry,
    'vigie_results_written_total',
    'Check results written to the database.',
    () => writer.stats.rowsWritten,
  );
  mirroredTotal(
    registry,
    'vigie_batch_write_failures_total',
    'Failed attempts to write a batch of results (retried while the database is away, split for a bad row).',
    () => writer.stats.failedWrites,
  );
  mirroredTotal(
    registry,
    'vigie_results_dropped_total',
    'Check results dropped, oldest first, because the queue was full while the database could not take writes.',
    () => writer.stats.droppedResults,
  );
  mirroredTotal(
    registry,
    'vigie_results_refused_total',
    'Check results the database refused on their own (a bad row split out of its batch); each is logged.',
    () => writer.stats.rejectedResults,
  );
  mirroredTotal(
    registry,
    'vigie_results_fenced_total',
    'Check results not stored because this instance stalled past its lease time and another took the monitor over.',
    () => writer.stats.fencedResults,
  );
  gauge(
    registry,
    'vigie_database_writes_down',
    '1 while the database cannot take check results (they queue), until the backlog is written; else 0.',
    () => (writer.stats.outage ? 1 : 0),
  );
  const writeSeconds = new Histogram({
    name: 'vigie_batch_write_duration_seconds',
    help: 'How long writing one batch of check results to the database took, in seconds.',
    buckets: WRITE_BUCKETS,
    registers: [registry],
  });
  writer.onBatchWritten((durationMs) => writeSeconds.observe(durationMs / 1000));

  gauge(
    registry,
    'vigie_graphql_subscriptions',
    'Live GraphQL subscriptions (WebSocket or SSE).',
    () => events.subscriberCount,
  );
  mirroredCounter(
    registry,
    'vigie_notification_deliveries_total',
    'Notification delivery attempts recorded, by outcome (delivered, failed, retry, suppressed).',
    'outcome',
    () => deliveries.stats,
  );

  if (sources.instances) registerInstanceMetrics(registry, sources.instances);
}

/** One sample per live instance (every instance shows them all), from one listing per scrape. */
function registerInstanceMetrics(registry: Registry, instances: NonNullable<ServiceSources['instances']>): void {
  // The gauges are collected together (prom-client collects a registry's metrics at once): they share a read.
  let reading: { at: number; listing: Promise<Instance[]> } | null = null;
  const read = (): Promise<Instance[]> => {
    const now = performance.now();
    if (!reading || now - reading.at > 500) reading = { at: now, listing: instances.list() };
    return reading.listing;
  };
  const perInstance = (name: string, help: string, value: (instance: Instance, now: number) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['instance_id', 'instance_name', 'location'],
      registers: [registry],
      async collect() {
        const listing = await read();
        const now = Date.now();
        this.reset();
        for (const instance of listing) {
          const labels = { instance_id: instance.id, instance_name: instance.name, location: instance.location };
          this.set(labels, value(instance, now));
        }
      },
    });
  perInstance(
    'vigie_instance_up',
    'Always 1, one sample per live instance sharing the database (count() them per location).',
    () => 1,
  );
  perInstance(
    'vigie_instance_monitors',
    'Monitors each live instance checks, as of its last heartbeat.',
    (instance) => instance.monitorCount,
  );
  perInstance(
    'vigie_instance_heartbeat_age_seconds',
    'Seconds since each live instance last heartbeat.',
    (instance, now) => Math.max(0, (now - instance.lastSeenAt.getTime()) / 1000),
  );
}
