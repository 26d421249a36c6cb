// Whether an alert should be notified: not during maintenance, not once per change while a monitor flaps, and
// not once per monitor when nearly every monitor failed together (then one "checker degraded" notice instead).
import type { Db } from '../db/index.ts';
import {
  countMonitorsGoneDown,
  countStateAlerts,
  findDownAncestor,
  insertNoticeOnce,
  lastDownSuppressedFor,
} from '../db/index.ts';
import { isWindowActive, maintenanceWindows } from '../maintenance/index.ts';
import type { Alert } from './types.ts';

export interface SuppressionPolicy {
  /** More than this many DOWN/UP changes within flappingMinutes is flapping. */
  flappingChanges: number;
  flappingMinutes: number;
  /** Share (0-1) of active monitors going DOWN within a minute that means Vigie itself is the problem. */
  degradedShare: number;
  /** Below this many active monitors, a mass failure is not assumed. */
  degradedMinMonitors: number;
}

export const DEFAULT_SUPPRESSION_POLICY: SuppressionPolicy = {
  flappingChanges: 5,
  flappingMinutes: 10,
  degradedShare: 0.8,
  degradedMinMonitors: 3,
};

const MASS_FAILURE_WINDOW_MS = 60_000;
const DEGRADED_NOTICE_EVERY_MS = 30 * 60_000;

/** Why an alert is not sent while a monitor it depends on is DOWN (the parent's own alert names its children). */
export const PARENT_DOWN = 'parent down';

/** Returns why the alert must not be sent, or null to send it. May write a FLAPPING or CHECKER_DEGRADED notice. */
export async function suppressionReason(db: Db, alert: Alert, policy: SuppressionPolicy): Promise<string | null> {
  if (alert.monitorId === null) return null;
  const monitorId = alert.monitorId;
  // The windows read are those covering the monitor (by id, by one of its tags, or every monitor).
  const windows = await maintenanceWindows(db, [monitorId]);
  if (windows.some((window) => isWindowActive(window, alert.createdAt))) return 'maintenance';
  if (alert.kind !== 'DOWN' && alert.kind !== 'UP' && alert.kind !== 'REMINDER' && alert.kind !== 'SLOW') return null;
  // Its transitions are recorded, but what is down is the parent: its alert speaks for the children.
  if ((await findDownAncestor(db, monitorId)) !== null) return PARENT_DOWN;
  // Its parent came back first: the end (or a reminder) of an outage no one was told of is not news either.
  if (
    (alert.kind === 'UP' || alert.kind === 'REMINDER') &&
    (await lastDownSuppressedFor(db, monitorId, alert.id, PARENT_DOWN))
  ) {
    return PARENT_DOWN;
  }
  if (alert.kind !== 'DOWN' && alert.kind !== 'UP') return null;

  const flappingSince = new Date(alert.createdAt.getTime() - policy.flappingMinutes * 60_000);
  if ((await countStateAlerts(db, monitorId, flappingSince, alert.createdAt)) > policy.flappingChanges) {
    await db.transaction((tx) =>
      insertNoticeOnce(tx, {
        kind: 'FLAPPING',
        monitorId,
        cause: `more than ${policy.flappingChanges} state changes in ${policy.flappingMinutes} min`,
        since: flappingSince,
      }),
    );
    return 'flapping';
  }

  if (alert.kind === 'DOWN') {
    const around = alert.createdAt.getTime();
    const { down, active } = await countMonitorsGoneDown(
      db,
      new Date(around - MASS_FAILURE_WINDOW_MS),
      new Date(around + MASS_FAILURE_WINDOW_MS),
    );
    if (active >= policy.degradedMinMonitors && down >= Math.ceil(active * policy.degradedShare)) {
      await db.transaction((tx) =>
        insertNoticeOnce(tx, {
          kind: 'CHECKER_DEGRADED',
          monitorId: null,
          cause: `${down} of ${active} monitors went down within a minute: Vigie's own network or DNS is probably failing`,
          since: new Date(Date.now() - DEGRADED_NOTICE_EVERY_MS),
        }),
      );
      return 'checker_degraded';
    }
  }
  return null;
}
