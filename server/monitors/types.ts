// What callers give to create or change a monitor. The monitor record itself lives in types/ (db/ maps it).
import type { CheckKind, DnsCheckSettings, HttpCheckSettings } from '../types/index.ts';

export type { HeartbeatSchedule, Monitor, MonitorSettings, MonitorStatus } from '../types/index.ts';

/** What a caller may set; omitted fields take the defaults (create) or keep their value (patch). */
export interface MonitorInput {
  name: string;
  kind: CheckKind;
  /** Optional for heartbeats (nothing is checked): "heartbeat". */
  target?: string;
  intervalSeconds?: number;
  timeoutSeconds?: number;
  retries?: number;
  slowThresholdMs?: number;
  paused?: boolean;
  tags?: string[];
  http?: Partial<HttpCheckSettings>;
  reminderMinutes?: number | null;
  certificateAlertDays?: number;
  badgesEnabled?: boolean;
  slug?: string | null;
  /** The locations that check it; null, absent or empty: every location. */
  locations?: string[] | null;
  /** How many locations must see it down for it to be DOWN (default 1). */
  quorum?: number;
  graceSeconds?: number;
  /** Heartbeats: expected at each run of a cron schedule (time zone UTC by default) instead of every interval. */
  schedule?: { cron: string; timeZone?: string } | null;
  dns?: Partial<DnsCheckSettings> | null;
  assertions?: string[];
  group?: string | null;
  dependsOn?: number | null;
}

/** A patch: only the given fields change. */
export type MonitorChanges = Partial<MonitorInput>;

export interface MonitorDefaults {
  intervalSeconds: number;
  timeoutSeconds: number;
  slowThresholdMs: number;
}
