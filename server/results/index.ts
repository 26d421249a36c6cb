// Check results: one-off checks of any URL, reading the latest results, emptying all data.
import { MONITOR_ADDRESS_POLICY, parseHttpTarget, runCheck, STRICT_ADDRESS_POLICY, type AddressPolicy } from '../checks/index.ts';
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
import type { CheckResult } from './types.ts';

export type { CheckResult, NewCheckResult } from './types.ts';
export type { ResultPage } from '../db/index.ts';
/** The one write of results, for scheduled batches and one-off checks alike. */
export { insertResults } from '../db/index.ts';
export {
  pruneOldData,
  scheduleRetention,
  type PruneOptions,
  type PruneReport,
  type RetentionJob,
  type RetentionJobOptions,
  type RetentionPolicy,
} from './retention.ts';
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
): Promise<CheckResult> {
  const target = parseHttpTarget(url).href;
  const outcome = await runCheck({ kind: 'http', target, timeoutMs, addressPolicy });
  const [stored] = await insertResults(db, [{ ...outcome, monitorId: null }], { returnRows: true });
  return stored!;
}

/**
 * Checks a monitor now, outside its schedule, and stores the result (it counts like any other). Pass
 * AddressPolicies.monitors so the operator's lists apply as they do to scheduled checks.
 */
export async function checkMonitorNow(
  db: Db,
  monitor: Monitor,
  addressPolicy: AddressPolicy = MONITOR_ADDRESS_POLICY,
): Promise<CheckResult> {
  const outcome = await runCheck({ ...checkSpecOf(monitor), addressPolicy });
  const [stored] = await insertResults(db, [{ ...outcome, monitorId: monitor.id }], { returnRows: true });
  // Deleted while it was being checked: its result is not kept.
  if (!stored) throw new NotFoundError(`monitor ${monitor.id} does not exist`);
  return stored;
}

/** The latest result of each monitor, in the order of monitorIds (null when it has none). */
export async function lastResultsOf(db: Db, monitorIds: readonly number[]): Promise<Array<CheckResult | null>> {
  const results = await listRecentResultsOfMonitors(db, [...monitorIds], 1);
  const byMonitor = new Map(results.map((result) => [result.monitorId, result]));
  return monitorIds.map((id) => byMonitor.get(id) ?? null);
}

/** The latest `limit` results of each monitor, in the order of monitorIds. */
export async function recentResultsOf(db: Db, monitorIds: readonly number[], limit: number): Promise<CheckResult[][]> {
  const results = await listRecentResultsOfMonitors(db, [...monitorIds], Math.min(limit, MAX_RESULTS_LIMIT + 1));
  return groupBy(monitorIds, results, (result) => result.monitorId!);
}

export function resultPage(db: Db, page: ResultPage): Promise<CheckResult[]> {
  return listResultPage(db, { ...page, limit: Math.min(page.limit, MAX_RESULTS_LIMIT) });
}

export function latestResults(db: Db, limit: number): Promise<CheckResult[]> {
  return listLatestResults(db, Math.min(limit, MAX_RESULTS_LIMIT));
}

/** Newest first. */
export function resultsOfMonitor(db: Db, monitorId: number, limit: number): Promise<CheckResult[]> {
  return listMonitorResults(db, monitorId, Math.min(limit, MAX_RESULTS_LIMIT));
}

/** Removes every monitor, result and alert. */
export function deleteEverything(db: Db): Promise<void> {
  return db.transaction((tx) => deleteAllData(tx));
}
