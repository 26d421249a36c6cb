// Loads what the public status page shows: monitors with their availability per UTC day over the last 90 days.
import type { Api } from '../api/client.ts';
import { PublicStatusQuery } from '../api/documents.ts';
import type { PublicMonitor } from '../api/types.ts';
import { firstDayStart } from '../state/daily.ts';

export const DAYS = 90;

/** One query for every monitor: states, and the daily series since the first bar's UTC midnight. */
export async function loadStatus(api: Api, now = Date.now()): Promise<PublicMonitor[]> {
  const from = new Date(firstDayStart(DAYS, now)).toISOString();
  return (await api.query(PublicStatusQuery, { from })).publicStatus;
}
