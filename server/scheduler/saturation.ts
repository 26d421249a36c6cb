// Whether checks run on time and, when they do not, which setting holds them back: logged once when checks start
// running late and once when they are on time again.
import type { Logger } from 'pino';
import type { Entry } from './entry.ts';

/** The setting that would let overdue checks run: more workers, more checks per host, or a faster database. */
export type SchedulerLimit = 'WORKERS_MAX_PARALLELES' | 'VERIFICATIONS_PAR_HOTE_MAX' | 'database';

/** Whether checks run on time. Saturated: a due check has waited a whole interval, or one did in the last minute. */
export interface SchedulerSaturation {
  saturated: boolean;
  /** Due checks not started yet that have waited their whole interval or more (a slot already missed). */
  overdueChecks: number;
  /** The longest a check waits now, or waited within the last minute, after its due time (ms). */
  worstLagMs: number;
  /** What holds checks back, in the order to raise it; empty when not saturated. */
  limitedBy: SchedulerLimit[];
  /** The hosts whose cap holds overdue checks back (at most 10). */
  busyHosts: string[];
}

/** A due check not started yet, and where it waits. */
export interface WaitingCheck {
  entry: Entry;
  inHostLine: boolean;
}

const MAX_BUSY_HOSTS_SHOWN = 10;
const LIMIT_ORDER: SchedulerLimit[] = ['database', 'WORKERS_MAX_PARALLELES', 'VERIFICATIONS_PAR_HOTE_MAX'];

export class SaturationWatch {
  /** The last check started a whole interval late, per what held it back, and the worst such lag (ms). */
  private readonly recentMisses = new Map<SchedulerLimit, { at: number; lagMs: number }>();
  /** The saturation episode being logged, if any. */
  private saturatedSince: number | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly limits: { maxParallelChecks: number; maxChecksPerHost: number },
    /** A check started a whole interval late keeps the scheduler reported saturated this long. */
    private readonly memoryMs: number,
  ) {}

  /** A check started `lagMs` late, a whole interval or more, held back by `limit`. */
  missed(limit: SchedulerLimit, at: number, lagMs: number): void {
    const previous = this.recentMisses.get(limit);
    const recent = previous && at - previous.at <= this.memoryMs;
    this.recentMisses.set(limit, { at, lagMs: recent ? Math.max(previous.lagMs, lagMs) : lagMs });
  }

  /** The state now, from the checks waiting and what held the recent ones back. */
  state(now: number, waiting: Iterable<WaitingCheck>, writesHoldChecks: boolean): SchedulerSaturation {
    let overdueChecks = 0;
    let worstLagMs = 0;
    const limits = new Set<SchedulerLimit>();
    const busyHosts = new Set<string>();
    for (const { entry, inHostLine } of waiting) {
      const lag = now - entry.dueAt;
      worstLagMs = Math.max(worstLagMs, lag);
      if (lag < entry.monitor.intervalSeconds * 1000) continue;
      overdueChecks += 1;
      if (inHostLine) {
        limits.add('VERIFICATIONS_PAR_HOTE_MAX');
        busyHosts.add(entry.host);
      } else limits.add(writesHoldChecks ? 'database' : 'WORKERS_MAX_PARALLELES');
    }
    for (const [limit, miss] of this.recentMisses) {
      if (now - miss.at > this.memoryMs) this.recentMisses.delete(limit);
      else {
        limits.add(limit);
        worstLagMs = Math.max(worstLagMs, miss.lagMs);
      }
    }
    return {
      saturated: limits.size > 0,
      overdueChecks,
      worstLagMs,
      limitedBy: LIMIT_ORDER.filter((limit) => limits.has(limit)),
      busyHosts: [...busyHosts].slice(0, MAX_BUSY_HOSTS_SHOWN),
    };
  }

  /** Logs once when checks start running late (and which setting to raise), once when they are on time again. */
  log(state: SchedulerSaturation, now: number): void {
    if (state.saturated && this.saturatedSince === null) {
      this.saturatedSince = now;
      const advice = state.limitedBy.map((limit) =>
        limit === 'database'
          ? 'the database does not keep up with the results (see the database settings)'
          : limit === 'WORKERS_MAX_PARALLELES'
            ? `raise WORKERS_MAX_PARALLELES (now ${this.limits.maxParallelChecks})`
            : `raise VERIFICATIONS_PAR_HOTE_MAX (now ${this.limits.maxChecksPerHost}) or lengthen the intervals of the monitors of ${state.busyHosts.join(', ')}`,
      );
      this.logger.warn(
        {
          overdueChecks: state.overdueChecks,
          worstLagSeconds: Math.round(state.worstLagMs / 100) / 10,
          limitedBy: state.limitedBy,
          busyHosts: state.busyHosts,
        },
        `checks are running late, missing their intervals: ${advice.join('; ')}`,
      );
    } else if (!state.saturated && this.saturatedSince !== null) {
      this.logger.info({ lateForSeconds: Math.round((now - this.saturatedSince) / 1000) }, 'checks are on time again');
      this.saturatedSince = null;
    }
  }
}
