// Builds what a channel sends for an alert: the monitor, the cause, the outage length, a link.
import type { Db } from '../db/index.ts';
import { alertWriteDelaySeconds, listAlerts } from '../db/index.ts';
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

/** Below this, an alert written after its check is on time (batching, a busy moment). */
const LATE_AFTER_SECONDS = 10;

/** Seconds between the check and the alert's writing, when that is long enough to tell the reader. */
async function raisedLateSeconds(db: Db, alert: Alert): Promise<number | null> {
  const delay = await alertWriteDelaySeconds(db, alert.id);
  return delay !== null && delay >= LATE_AFTER_SECONDS ? Math.round(delay) : null;
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
    raisedLateSeconds: await raisedLateSeconds(db, alert),
    dashboardUrl: dashboardLink(publicUrl, alert.monitorId),
  };
}
