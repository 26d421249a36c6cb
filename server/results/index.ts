// Check results: one-off checks of any URL, reading the latest results, emptying all data.
import {
  parseHttpTarget,
  runCheck,
  STRICT_ADDRESS_POLICY,
  type AddressPolicies,
  type AddressPolicy,
} from '../checks/index.ts';
import type { Db } from '../db/index.ts';
import {
  deleteAllData,
  insertResults,
  listLatestResults,
  listMonitorResults,
  listRecentResultsOfMonitors,
  listResultPage,
  type ResultPage,
} from '../db/index.ts';
import { NotFoundError } from '../errors.ts';
import { groupBy } from '../group-by.ts';
import { checkSpecOf, type Monitor } from '../monitors/index.ts';
import { RateLimit } from '../rate-limit.ts';
import { EXPORT_PAGE_SIZE, exportDocument, type ExportRequest } from './export.ts';
import type { CheckResult } from './types.ts';

export type { CheckResult, NewCheckResult } from './types.ts';
export type { ResultPage } from '../db/index.ts';
/** The one write of results, for scheduled batches and one-off checks alike. */
export { insertResults, writeResults, type ResultsWritten } from '../db/index.ts';
export {
  pruneOldData,
  scheduleRetention,
  type PruneOptions,
  type PruneReport,
  type RetentionJob,
  type RetentionJobOptions,
  type RetentionPolicy,
} from './retention.ts';
export {
  RESULT_PARTITION_JOB,
  scheduleResultPartitions,
  type ResultPartitionJob,
  type ResultPartitionJobOptions,
} from './partitions.ts';
export { EXPORT_PAGE_SIZE, exportDocument, type ExportFormat, type ExportRequest, type ExportTable } from './export.ts';

/** Most results one read returns; larger limits are clamped to it. */
export const MAX_RESULTS_LIMIT = 1000;

/**
 * Checks an http(s) URL now, outside any monitor, and stores the result. Anyone with an account can type the URL,
 * so link-local and cloud metadata addresses are refused (cause blocked_address), redirects included: pass
 * AddressPolicies.strict, which adds the operator's lists; the default has the refusal without the lists.
 */
export async function checkUrlNow(
  db: Db,
  url: string,
  timeoutMs: number,
  addressPolicy: AddressPolicy = STRICT_ADDRESS_POLICY,
  location?: string,
): Promise<CheckResult> {
  const target = parseHttpTarget(url).href;
  const outcome = await runCheck({ kind: 'http', target, timeoutMs, addressPolicy });
  const [stored] = await insertResults(db, [{ ...outcome, monitorId: null, location }], { returnRows: true });
  return stored!;
}

export interface ResultServiceOptions {
  /** `strict` for one-off URLs (anyone with an account types them), `monitors` for a monitor's checks. */
  addressPolicies: AddressPolicies;
  /** The deadline of a one-off URL check. */
  checkTimeoutMs: number;
  /** One-off checks allowed per client address and minute, both APIs together (0: unlimited). */
  oneOffChecksPerMinute: number;
  /** Rows per database read of an export (tests use tiny pages). */
  exportPageSize?: number;
  /**
   * "Check now" of a monitor, stored: the scheduler's, which runs it on the instance holding the monitor without
   * overlapping its scheduled check. Default: checked here, unguarded.
   */
  checkMonitor?: (monitor: Monitor) => Promise<CheckResult>;
  /** LOCATION of this instance, which the results of its one-off checks carry (default "default"). */
  location?: string;
}

/** Check results as the APIs see them: one-off checks under their policy and limit, reads, exports. */
export interface ResultService {
  /**
   * Checks an http(s) URL now for the client at clientAddress, within its allowance, and stores the result. The
   * allowance is taken before the URL is read, so a malformed request counts too.
   */
  checkUrl(clientAddress: string, readUrl: () => Promise<string>): Promise<CheckResult>;
  /** Checks a monitor now, outside its schedule, and stores the result. */
  checkMonitor(monitor: Monitor): Promise<CheckResult>;
  /** Newest first; only those checked from `location` when given. */
  latest(limit: number, location?: string | null): Promise<CheckResult[]>;
  /** Newest first; only those checked from `location` when given. */
  ofMonitor(monitorId: number, limit: number, location?: string | null): Promise<CheckResult[]>;
  page(page: ResultPage): Promise<CheckResult[]>;
  /** The latest result of each monitor, in the order of monitorIds (null when it has none). */
  lastOf(monitorIds: readonly number[]): Promise<Array<CheckResult | null>>;
  /** The latest `limit` results of each monitor, in the order of monitorIds. */
  recentOf(monitorIds: readonly number[], limit: number): Promise<CheckResult[][]>;
  /** Removes every monitor, result and alert. */
  deleteEverything(): Promise<void>;
  /** An export document, chunk by chunk. */
  export(request: ExportRequest): AsyncGenerator<string>;
}

export function createResultService(db: Db, options: ResultServiceOptions): ResultService {
  const { addressPolicies, checkTimeoutMs, exportPageSize = EXPORT_PAGE_SIZE } = options;
  // One allowance per address for every API: each one-off check sends a request wherever its caller says.
  const oneOffChecks = new RateLimit(options.oneOffChecksPerMinute, 60_000, 'one-off checks');
  return {
    async checkUrl(clientAddress, readUrl) {
      oneOffChecks.take(clientAddress);
      return checkUrlNow(db, await readUrl(), checkTimeoutMs, addressPolicies.strict, options.location);
    },
    async checkMonitor(monitor) {
      if (options.checkMonitor) return options.checkMonitor(monitor);
      const outcome = await runCheck({ ...checkSpecOf(monitor), addressPolicy: addressPolicies.monitors });
      const [stored] = await insertResults(db, [{ ...outcome, monitorId: monitor.id, location: options.location }], {
        returnRows: true,
      });
      // Deleted while it was being checked: its result is not kept.
      if (!stored) throw new NotFoundError(`monitor ${monitor.id} does not exist`);
      return stored;
    },
    latest: (limit, location) => listLatestResults(db, Math.min(limit, MAX_RESULTS_LIMIT), location ?? null),
    ofMonitor: (monitorId, limit, location) =>
      listMonitorResults(db, monitorId, Math.min(limit, MAX_RESULTS_LIMIT), location ?? null),
    // Up to one more than a page, so that a caller of a full page can tell whether another follows.
    page: (page) => listResultPage(db, { ...page, limit: Math.min(page.limit, MAX_RESULTS_LIMIT + 1) }),
    async lastOf(monitorIds) {
      const results = await listRecentResultsOfMonitors(db, [...monitorIds], 1);
      const byMonitor = new Map(results.map((result) => [result.monitorId, result]));
      return monitorIds.map((id) => byMonitor.get(id) ?? null);
    },
    async recentOf(monitorIds, limit) {
      const results = await listRecentResultsOfMonitors(db, [...monitorIds], Math.min(limit, MAX_RESULTS_LIMIT + 1));
      return groupBy(monitorIds, results, (result) => result.monitorId!);
    },
    deleteEverything: () => db.transaction((tx) => deleteAllData(tx)),
    export: (request) => exportDocument(db, request, exportPageSize),
  };
}
