// Alerts raised by the database on state changes; channels, deliveries, reminders and suppression.
import type { Db } from '../db/index.ts';
import {
  acknowledgeAlert as acknowledgeAlertRow,
  getAlertsByIds,
  getDelivery,
  listAlerts,
  listDeliveries,
  listRecentAlertsOfMonitors,
  retryDeliveryNow,
  type AlertFilter,
  type DeliveryFilter,
} from '../db/index.ts';
import { VIGIE_LIVRAISONS } from '../events/index.ts';
import { groupBy } from '../group-by.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { Alert, Delivery, DeliveryStatus } from './types.ts';

export type { Alert, AlertKind, Delivery, DeliveryStatus, StatusTransition } from './types.ts';
export type { AlertFilter, DeliveryFilter } from '../db/index.ts';
export type { Channel, ChannelKind } from './channels/types.ts';
export { DELIVERY_ERROR_FIELDS } from './channels/types.ts';
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
  /** The alerts of the given ids, in their order (null for one that does not exist). */
  getMany(ids: readonly number[]): Promise<Array<Alert | null>>;
  /** Marks an alert as seen; acknowledging twice keeps the first time. */
  acknowledge(id: number): Promise<Alert>;
  /** Newest first. */
  deliveriesMatching(filter: DeliveryFilter): Promise<Delivery[]>;
  /**
   * Sends a failed delivery again now, or a retrying one without waiting for its next try. ConflictError when it
   * is being sent, delivered or suppressed.
   */
  retryDelivery(id: number): Promise<Delivery>;
}

const UNRETRYABLE: Record<DeliveryStatus, string> = {
  PENDING: 'is being sent right now',
  DELIVERED: 'was delivered already',
  FAILED: 'failed',
  SUPPRESSED: 'was not sent on purpose (suppressed)',
};

export function createAlertService(db: Db): AlertService {
  return {
    matching: (filter) => listAlerts(db, { ...filter, limit: Math.min(filter.limit, MAX_ALERTS_LIMIT) }),
    async recentOf(monitorIds, limit) {
      const alerts = await listRecentAlertsOfMonitors(db, [...monitorIds], Math.min(limit, MAX_ALERTS_LIMIT));
      return groupBy(monitorIds, alerts, (alert) => alert.monitorId!);
    },
    getMany: (ids) => getAlertsByIds(db, ids),
    async acknowledge(id) {
      return (await acknowledgeAlertRow(db, id)) ?? Promise.reject(new NotFoundError(`alert ${id} does not exist`));
    },
    deliveriesMatching: (filter) => listDeliveries(db, { ...filter, limit: Math.min(filter.limit, MAX_ALERTS_LIMIT) }),
    async retryDelivery(id) {
      const retried = await retryDeliveryNow(db, id, VIGIE_LIVRAISONS);
      if (retried) return retried;
      const delivery = await getDelivery(db, id);
      if (!delivery) throw new NotFoundError(`delivery ${id} does not exist`);
      throw new ConflictError(
        `delivery ${id} ${UNRETRYABLE[delivery.status]}: only a failed or retrying one is sent again`,
      );
    },
  };
}
