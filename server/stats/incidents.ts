// Incidents (DOWN periods) rebuilt from a monitor's status changes. Paused time is not downtime: a pause
// inside an incident stops its clock, and the incident goes on if the monitor is still DOWN when resumed.
import type { StatusChange } from '../db/index.ts';
import type { StatsRange } from './range.ts';

export interface Incident {
  start: Date;
  /** When the monitor came back; null if it was still DOWN (or paused while DOWN) at the range's end. */
  end: Date | null;
  /** Time spent DOWN, paused time excluded, up to the end (or the range's end). */
  durationSeconds: number;
}

export interface IncidentSummary {
  incidents: Incident[];
  /** DOWN time inside the range. */
  downtimeSeconds: number;
  /** Mean duration of the incidents that ended inside the range; null without any. */
  mttrSeconds: number | null;
}

/** `changes`: one monitor's status changes in order, as readStatusChanges returns them. */
export function summariseIncidents(changes: readonly StatusChange[], range: StatsRange, now: Date): IncidentSummary {
  const rangeEnd = Math.min(range.to.getTime(), now.getTime());
  const incidents: Incident[] = [];
  let open: { start: number; downMs: number } | null = null;
  let downtimeMs = 0;
  let previousAt = -Infinity;
  for (const [index, change] of changes.entries()) {
    // A pause is stamped with the clock, a result with its check time: keep them in the order they happened.
    const start = Math.max(change.at.getTime(), previousAt);
    previousAt = start;
    const next = changes[index + 1];
    const end = Math.min(Math.max(next ? next.at.getTime() : rangeEnd, start), rangeEnd);
    if (change.status === 'DOWN') {
      open ??= { start, downMs: 0 };
      open.downMs += Math.max(0, end - start);
      downtimeMs += Math.max(0, Math.min(end, rangeEnd) - Math.max(start, range.from.getTime()));
    } else if (change.status !== 'PAUSED' && open) {
      incidents.push({ start: new Date(open.start), end: new Date(start), durationSeconds: open.downMs / 1000 });
      open = null;
    }
  }
  if (open) {
    const { start, downMs } = open;
    incidents.push({ start: new Date(start), end: null, durationSeconds: downMs / 1000 });
  }
  const from = range.from.getTime();
  const overlapping = incidents.filter((incident) => incident.end === null || incident.end.getTime() > from);
  const ended = overlapping.filter((incident) => incident.end !== null);
  return {
    incidents: overlapping,
    downtimeSeconds: downtimeMs / 1000,
    mttrSeconds: ended.length
      ? ended.reduce((sum, incident) => sum + incident.durationSeconds, 0) / ended.length
      : null,
  };
}
