// Builds what a channel sends for an alert: the monitor, the cause, the outage length, a link.
import type { Db } from '../db/index.ts';
import { listAlerts } from '../db/index.ts';
import type { Monitor } from '../monitors/index.ts';
import { notificationIdempotencyKey } from './channels/index.ts';
import type { Notification } from './channels/types.ts';
import type { Alert } from './types.ts';

export function dashboardLink(publicUrl: string, monitorId: number | null): string {
  const base = publicUrl.replace(/\/+$/, '');
  return monitorId === null ? `${base}/` : `${base}/#/monitors/${monitorId}`;
}

/** For an UP alert: seconds since the DOWN alert before it. */
async function outageSeconds(db: Db, alert: Alert): Promise<number | null> {
  if (alert.kind !== 'UP' || alert.monitorId === null) return null;
  const [previous] = await listAlerts(db, {
    monitorIds: [alert.monitorId],
    beforeId: alert.id,
    kinds: ['DOWN'],
    limit: 1,
  });
  if (!previous) return null;
  return Math.round((alert.createdAt.getTime() - previous.createdAt.getTime()) / 1000);
}

export async function buildNotification(
  db: Db,
  alert: Alert,
  monitor: Monitor | null,
  channelId: number,
  publicUrl: string,
): Promise<Notification> {
  return {
    idempotencyKey: notificationIdempotencyKey(alert.id, channelId),
    alertId: alert.id,
    kind: alert.kind,
    monitor: monitor ? { id: monitor.id, name: monitor.name, target: monitor.target } : null,
    cause: alert.cause,
    occurredAt: alert.createdAt,
    outageSeconds: await outageSeconds(db, alert),
    dashboardUrl: dashboardLink(publicUrl, alert.monitorId),
  };
}
