// Builds what a channel sends for an alert: the monitor, the cause, the outage length, a link.
import type { Db } from '../db/index.ts';
import { alertWriteDelaySeconds, getOutageStart, listAlerts, listDependents } from '../db/index.ts';
import type { Monitor } from '../monitors/index.ts';
import { MAX_AFFECTED_LISTED, notificationIdempotencyKey } from './channels/index.ts';
import type { Notification } from './channels/types.ts';
import type { Alert } from './types.ts';

export function dashboardLink(publicUrl: string, monitorId: number | null): string {
  const base = publicUrl.replace(/\/+$/, '');
  return monitorId === null ? `${base}/` : `${base}/#/monitors/${monitorId}`;
}

/** The DOWN alert an UP ends or a reminder recalls: the monitor's latest DOWN before it. */
async function openingDown(db: Db, alert: Alert): Promise<Alert | null> {
  if ((alert.kind !== 'UP' && alert.kind !== 'REMINDER') || alert.monitorId === null) return null;
  const [previous] = await listAlerts(db, {
    monitorIds: [alert.monitorId],
    beforeId: alert.id,
    kinds: ['DOWN'],
    limit: 1,
  });
  return previous ?? null;
}

/** The incident a DOWN opens, named so that the UP closing it (and reminders between) find the same key. */
export function incidentKey(monitorId: number, downAlertId: number): string {
  return `vigie-monitor-${monitorId}-down-${downAlertId}`;
}

function incidentKeyOf(alert: Alert, down: Alert | null): string | null {
  if (alert.monitorId === null) return null;
  if (alert.kind === 'DOWN') return incidentKey(alert.monitorId, alert.id);
  return down ? incidentKey(alert.monitorId, down.id) : null;
}

/** Below this, an alert written after its check is on time (batching, a busy moment). */
const LATE_AFTER_SECONDS = 10;

/** Seconds between the check and the alert's writing, when that is long enough to tell the reader. */
async function raisedLateSeconds(db: Db, alert: Alert): Promise<number | null> {
  const delay = await alertWriteDelaySeconds(db, alert.id);
  return delay !== null && delay >= LATE_AFTER_SECONDS ? Math.round(delay) : null;
}

/**
 * For an UP: seconds since the DOWN before it, or, for a monitor down from its first check (which raised no
 * DOWN alert: there was no UP to fall from), since its first failed check.
 */
async function outageSecondsOf(db: Db, alert: Alert, down: Alert | null): Promise<number | null> {
  if (alert.kind !== 'UP' || alert.monitorId === null) return null;
  const since = down ? down.createdAt : await getOutageStart(db, alert.monitorId, alert.createdAt);
  return since ? Math.round((alert.createdAt.getTime() - since.getTime()) / 1000) : null;
}

export async function buildNotification(
  db: Db,
  alert: Alert,
  monitor: Monitor | null,
  channelId: number,
  publicUrl: string,
): Promise<Notification> {
  const down = await openingDown(db, alert);
  return {
    idempotencyKey: notificationIdempotencyKey(alert.id, channelId),
    alertId: alert.id,
    incidentKey: incidentKeyOf(alert, down),
    kind: alert.kind,
    monitor: monitor ? { id: monitor.id, name: monitor.name, target: monitor.target } : null,
    cause: alert.cause,
    occurredAt: alert.createdAt,
    outageSeconds: await outageSecondsOf(db, alert, down),
    raisedLateSeconds: await raisedLateSeconds(db, alert),
    affectedMonitors:
      monitor && (alert.kind === 'DOWN' || alert.kind === 'UP' || alert.kind === 'REMINDER')
        ? await listDependents(db, monitor.id, MAX_AFFECTED_LISTED)
        : [],
    dashboardUrl: dashboardLink(publicUrl, alert.monitorId),
  };
}
