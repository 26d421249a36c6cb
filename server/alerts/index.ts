// Alerts raised by the database on state changes; channels, deliveries, reminders and suppression.
import type { Db } from '../db/index.ts';
import {
  acknowledgeAlert as acknowledgeAlertRow,
  listAlerts,
  listDeliveries,
  listRecentAlertsOfMonitors,
  type AlertFilter,
} from '../db/index.ts';
import { groupBy } from '../group-by.ts';
import { NotFoundError } from '../errors.ts';
import type { Alert, Delivery, DeliveryStatus } from './types.ts';

export type { Alert, AlertKind, Delivery, DeliveryStatus, StatusTransition } from './types.ts';
export type { AlertFilter } from '../db/index.ts';
export type { Channel, ChannelKind } from './channels/types.ts';
export { publicSettings, ALL_CHANNEL_KINDS } from './channels/index.ts';
export {
  createChannelService,
  parseChannelChanges,
  parseChannelInput,
  channelInput,
  type ChannelChanges,
  type ChannelService,
  type TestResult,
} from './channel-service.ts';
export { DeliveryWorker, type DeliveryCounts, type DeliveryWorkerOptions } from './delivery-worker.ts';
export { scheduleReminders, sendDueReminders } from './reminders.ts';
export { DEFAULT_SUPPRESSION_POLICY, type SuppressionPolicy } from './suppression.ts';

export const MAX_ALERTS_LIMIT = 500;

/** Alerts and their deliveries as the APIs read them. */
export interface AlertService {
  matching(filter: AlertFilter): Promise<Alert[]>;
  /** The latest `limit` alerts of each monitor, in the order of monitorIds. */
  recentOf(monitorIds: readonly number[], limit: number): Promise<Alert[][]>;
  /** Marks an alert as seen; acknowledging twice keeps the first time. */
  acknowledge(id: number): Promise<Alert>;
  deliveriesMatching(filter: {
    alertIds?: number[] | null;
    status?: DeliveryStatus | null;
    limit: number;
  }): Promise<Delivery[]>;
}

export function createAlertService(db: Db): AlertService {
  return {
    matching: (filter) => listAlerts(db, { ...filter, limit: Math.min(filter.limit, MAX_ALERTS_LIMIT) }),
    async recentOf(monitorIds, limit) {
      const alerts = await listRecentAlertsOfMonitors(db, [...monitorIds], Math.min(limit, MAX_ALERTS_LIMIT));
      return groupBy(monitorIds, alerts, (alert) => alert.monitorId!);
    },
    async acknowledge(id) {
      return (await acknowledgeAlertRow(db, id)) ?? Promise.reject(new NotFoundError(`alert ${id} does not exist`));
    },
    deliveriesMatching: (filter) => listDeliveries(db, { ...filter, limit: Math.min(filter.limit, MAX_ALERTS_LIMIT) }),
  };
}
