// What a row of the monitor list says of maintenance: in maintenance now (until when), or its next window. Worked
// out in the page from the maintenance windows, read once (one small query, whatever the number of monitors), as
// the server's Monitor.maintenance does: a window covers the monitors it names and those with one of its tags, or
// every monitor when it names neither.

export interface WindowTimes {
  name: string;
  /** The monitors it names; with no tags either, it covers every monitor. */
  monitorIds: readonly string[];
  /** It covers the monitors with any of these tags. */
  tags: readonly string[];
  /** While open now: when this occurrence ends. */
  activeUntil: string | null;
  /** Its next occurrence to start (the first one is read). */
  nextOccurrences: ReadonlyArray<{ startsAt: string }>;
}

/** What decides which windows cover a monitor. */
export interface BadgeMonitor {
  id: string;
  tags: readonly string[];
}

export type MaintenanceBadge =
  | { kind: 'active'; until: string; name: string }
  | { kind: 'next'; startsAt: string; name: string };

interface Best {
  active: { until: string; name: string } | null;
  next: { startsAt: string; name: string } | null;
}

const time = (iso: string): number => Date.parse(iso);

type Times = Pick<WindowTimes, 'name' | 'activeUntil' | 'nextOccurrences'>;

function merge(best: Best, window: Times): void {
  if (window.activeUntil && (!best.active || time(window.activeUntil) > time(best.active.until))) {
    best.active = { until: window.activeUntil, name: window.name };
  }
  const next = window.nextOccurrences[0];
  if (next && (!best.next || time(next.startsAt) < time(best.next.startsAt))) {
    best.next = { startsAt: next.startsAt, name: window.name };
  }
}

/** The badge of each monitor: the open window ending last, else the next one to start; null when none. */
export function maintenanceBadges(windows: readonly WindowTimes[]): (monitor: BadgeMonitor) => MaintenanceBadge | null {
  const everyMonitor: Best = { active: null, next: null };
  // Each window merged once per monitor id and per tag it names: a monitor then merges a few of these.
  const byId = new Map<string, Best>();
  const byTag = new Map<string, Best>();
  const into = (map: Map<string, Best>, key: string, window: WindowTimes) => {
    let best = map.get(key);
    if (!best) map.set(key, (best = { active: null, next: null }));
    merge(best, window);
  };
  for (const window of windows) {
    if (window.monitorIds.length === 0 && window.tags.length === 0) merge(everyMonitor, window);
    for (const id of window.monitorIds) into(byId, id, window);
    for (const tag of window.tags) into(byTag, tag, window);
  }
  const mergeBest = (best: Best, other: Best | undefined): void => {
    if (other?.active) merge(best, { name: other.active.name, activeUntil: other.active.until, nextOccurrences: [] });
    if (other?.next) merge(best, { name: other.next.name, activeUntil: null, nextOccurrences: [other.next] });
  };
  return (monitor) => {
    const best: Best = { ...everyMonitor };
    mergeBest(best, byId.get(monitor.id));
    for (const tag of monitor.tags) mergeBest(best, byTag.get(tag));
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
