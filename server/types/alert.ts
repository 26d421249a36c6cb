// An alert written by the database when a monitor changes state, and a status transition.
import type { MonitorStatus } from './monitor.ts';

export type AlertKind = 'DOWN' | 'UP' | 'SLOW' | 'CERTIFICATE' | 'FLAPPING' | 'REMINDER' | 'CHECKER_DEGRADED';

export interface Alert {
  id: number;
  /** null for notices about Vigie itself (CHECKER_DEGRADED). */
  monitorId: number | null;
  kind: AlertKind;
  cause: string | null;
  resultId: number | null;
  /** DOWN: the locations that saw the monitor down; null for other kinds. */
  locations: string[] | null;
  createdAt: Date;
  acknowledgedAt: Date | null;
}

export interface StatusTransition {
  id: number;
  monitorId: number;
  previous: MonitorStatus;
  status: MonitorStatus;
  resultId: number | null;
  changedAt: Date;
}
