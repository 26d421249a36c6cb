// Where a monitor stands with its maintenance windows: in one now (until when), and the next one to come.
import type { MaintenanceWindow } from '../types/index.ts';
import {
  type CoveredMonitor,
  currentOccurrence,
  type MaintenanceOccurrence,
  upcomingOccurrences,
  windowCovers,
} from './windows.ts';

export interface WindowOccurrence extends MaintenanceOccurrence {
  window: MaintenanceWindow;
}

export interface MonitorMaintenance {
  /** The window open now (the one ending last, when several are); null when none is. */
  current: WindowOccurrence | null;
  /** The next occurrence to start after now, of any of its windows; null when none will. */
  next: WindowOccurrence | null;
}

/** Each window's open and next occurrence at `at`: computed once for a whole list of monitors. */
export interface WindowTimes {
  window: MaintenanceWindow;
  current: MaintenanceOccurrence | null;
  next: MaintenanceOccurrence | null;
}

export function windowTimes(windows: MaintenanceWindow[], at: Date): WindowTimes[] {
  return windows.map((window) => ({
    window,
    current: currentOccurrence(window, at),
    next: upcomingOccurrences(window, at, 1)[0] ?? null,
  }));
}

export function maintenanceOf(times: WindowTimes[], monitor: CoveredMonitor): MonitorMaintenance {
  let current: WindowOccurrence | null = null;
  let next: WindowOccurrence | null = null;
  for (const { window, current: open, next: coming } of times) {
    if (!windowCovers(window, monitor)) continue;
    if (open && (!current || open.endsAt > current.endsAt)) current = { window, ...open };
    if (coming && (!next || coming.startsAt < next.startsAt)) next = { window, ...coming };
  }
  return { current, next };
}
