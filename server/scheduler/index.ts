// The check loop: due-time queue, bounded worker pool, batched result writer.
export { BatchWriter, isBadRowError } from './batch-writer.ts';
export type { BatchWriterOptions, BatchWriterStats, BatchWrittenListener } from './batch-writer.ts';
export { Scheduler } from './scheduler.ts';
export type {
  CheckStartedListener,
  SchedulerLimit,
  SchedulerOptions,
  SchedulerSaturation,
  SchedulerStats,
} from './scheduler.ts';
