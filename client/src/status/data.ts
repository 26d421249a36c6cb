// Loads what the public status page shows: monitors and their DOWN/UP transitions of the last 90 days.
import type { Api, ResultOf } from '../api/client.ts';
import { PublicStatusQuery, TransitionsQuery } from '../api/documents.ts';
import type { PublicMonitor } from '../api/types.ts';
import { DAY_MS, type Transition } from '../state/daily.ts';

export const DAYS = 90;
/** 20 pages of 500 alerts; beyond that the oldest days are shown from the alerts that were read. */
const MAX_PAGES = 20;

export interface StatusData {
  monitors: PublicMonitor[];
  transitions: Map<string, Transition[]>;
  /** Alerts are complete from this time on (the window start, or the oldest alert read when capped). */
  completeSince: number;
}

export async function loadStatus(api: Api, now = Date.now()): Promise<StatusData> {
  const windowStart = now - DAYS * DAY_MS;
  const [{ monitors }, alerts] = await Promise.all([api.query(PublicStatusQuery, {}), loadTransitions(api, windowStart)]);
  const transitions = new Map<string, Transition[]>();
  for (const alert of alerts.items) {
    if (!alert.monitorId || (alert.kind !== 'DOWN' && alert.kind !== 'UP')) continue;
    const list = transitions.get(alert.monitorId) ?? [];
    list.push({ kind: alert.kind, at: Date.parse(alert.createdAt) });
    transitions.set(alert.monitorId, list);
  }
  return { monitors, transitions, completeSince: alerts.completeSince };
}

async function loadTransitions(api: Api, windowStart: number) {
  const items: Array<{ id: string; monitorId: string | null; kind: string; createdAt: string }> = [];
  let before: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const page: ResultOf<typeof TransitionsQuery> = await api.query(TransitionsQuery, { before });
    const alerts = page.alerts;
    items.push(...alerts);
    const last: (typeof alerts)[number] | undefined = alerts[alerts.length - 1];
    if (alerts.length < 500 || !last || Date.parse(last.createdAt) < windowStart) return { items, completeSince: windowStart };
    before = last.id;
  }
  const oldest = items[items.length - 1];
  return { items, completeSince: oldest ? Math.max(windowStart, Date.parse(oldest.createdAt)) : windowStart };
}
