// Alerts raised by the database on state changes: reading and acknowledging them.
import type { Db } from '../db/index.ts';
import { acknowledgeAlert as acknowledgeAlertRow, listAlerts, type AlertFilter } from '../db/index.ts';
import { NotFoundError } from '../errors.ts';
import type { Alert } from './types.ts';

export type { Alert, AlertKind, StatusTransition } from './types.ts';
export type { AlertFilter } from '../db/index.ts';

export const MAX_ALERTS_LIMIT = 500;

export function alertsMatching(db: Db, filter: AlertFilter): Promise<Alert[]> {
  return listAlerts(db, { ...filter, limit: Math.min(filter.limit, MAX_ALERTS_LIMIT) });
}

/** Marks an alert as seen; acknowledging twice keeps the first time. */
export async function acknowledgeAlert(db: Db, id: number): Promise<Alert> {
  return (await acknowledgeAlertRow(db, id)) ?? Promise.reject(new NotFoundError(`alert ${id} does not exist`));
}
