// Check results: one-off checks of any URL, reading the latest results, emptying all data.
import { parseHttpTarget, runCheck } from '../checks/index.ts';
import type { Db } from '../db/index.ts';
import { deleteAllData, insertResult, listLatestResults, listMonitorResults } from '../db/index.ts';
import type { CheckResult } from './types.ts';

export type { CheckResult, NewCheckResult } from './types.ts';

/** Most results one read returns; larger limits are clamped to it. */
export const MAX_RESULTS_LIMIT = 1000;

/** Checks an http(s) URL now, outside any monitor, and stores the result. */
export async function checkUrlNow(db: Db, url: string, timeoutMs: number): Promise<CheckResult> {
  const target = parseHttpTarget(url).href;
  const outcome = await runCheck({ kind: 'http', target, timeoutMs });
  return insertResult(db, { ...outcome, monitorId: null });
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
  return deleteAllData(db);
}
