// What a row of the monitor list says of maintenance: in maintenance now (until when), or its next window. Worked
// out in the page from the maintenance windows, read once (one small query, whatever the number of monitors), as
// the server's Monitor.maintenance does: a window covers its own monitor, or every monitor when it names none.

export interface WindowTimes {
  name: string;
  /** null: every monitor. */
  monitorId: string | null;
  /** While open now: when this occurrence ends. */
  activeUntil: string | null;
  /** Its next occurrence to start (the first one is read). */
  nextOccurrences: ReadonlyArray<{ startsAt: string }>;
}

export type MaintenanceBadge =
  | { kind: 'active'; until: string; name: string }
  | { kind: 'next'; startsAt: string; name: string };

interface Best {
  active: { until: string; name: string } | null;
  next: { startsAt: string; name: string } | null;
}

const time = (iso: string): number => Date.parse(iso);

function merge(best: Best, window: WindowTimes): void {
  if (window.activeUntil && (!best.active || time(window.activeUntil) > time(best.active.until))) {
    best.active = { until: window.activeUntil, name: window.name };
  }
  const next = window.nextOccurrences[0];
  if (next && (!best.next || time(next.startsAt) < time(best.next.startsAt))) {
    best.next = { startsAt: next.startsAt, name: window.name };
  }
}

/** The badge of each monitor: the open window ending last, else the next one to start; null when none. */
export function maintenanceBadges(windows: readonly WindowTimes[]): (monitorId: string) => MaintenanceBadge | null {
  const everyMonitor: Best = { active: null, next: null };
  const own = new Map<string, Best>();
  for (const window of windows) {
    if (window.monitorId === null) merge(everyMonitor, window);
    else {
      let best = own.get(window.monitorId);
      if (!best) own.set(window.monitorId, (best = { active: null, next: null }));
      merge(best, window);
    }
  }
  return (monitorId) => {
    const best: Best = { ...everyMonitor };
    const mine = own.get(monitorId);
    if (mine) {
      if (mine.active)
        merge(best, { name: mine.active.name, monitorId, activeUntil: mine.active.until, nextOccurrences: [] });
      if (mine.next) merge(best, { name: mine.next.name, monitorId, activeUntil: null, nextOccurrences: [mine.next] });
    }
    if (best.active) return { kind: 'active', ...best.active };
    if (best.next) return { kind: 'next', ...best.next };
    return null;
  };
}

/** When the badges change by themselves (a window opens or closes): the earliest such time after `now`, or null. */
export function nextBadgeChange(windows: readonly WindowTimes[], now: number): number | null {
  let soonest: number | null = null;
  for (const window of windows) {
    for (const iso of [window.activeUntil, window.nextOccurrences[0]?.startsAt]) {
      if (!iso) continue;
      const at = time(iso);
      if (at > now && (soonest === null || at < soonest)) soonest = at;
    }
  }
  return soonest;
}

/** A key that changes when what the badge says changes. */
export function badgeKey(badge: MaintenanceBadge | null): string {
  if (!badge) return '';
  return badge.kind === 'active' ? `a|${badge.until}|${badge.name}` : `n|${badge.startsAt}|${badge.name}`;
}
