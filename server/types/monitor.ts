// The monitor as the rest of the code sees it (English names; the db/ repositories map the French columns).
import type { CheckKind, DnsCheckSettings, HttpCheckSettings } from './check.ts';

export type MonitorStatus = 'UP' | 'DOWN' | 'DEGRADED' | 'PENDING' | 'PAUSED' | 'MAINTENANCE';

/** Heartbeats expected on a cron schedule instead of every interval: 5 fields (or 6, seconds first), in a time zone. */
export interface HeartbeatSchedule {
  cron: string;
  /** IANA name (Europe/Paris); UTC by default. */
  timeZone: string;
}

export interface Monitor {
  id: number;
  name: string;
  kind: CheckKind;
  target: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  /** Consecutive failures needed before the monitor counts as DOWN. */
  retries: number;
  slowThresholdMs: number;
  paused: boolean;
  tags: string[];
  http: HttpCheckSettings;
  /** While DOWN, notify again every this many minutes; null: no reminders. */
  reminderMinutes: number | null;
  /** Raise a CERTIFICATE alert when the HTTPS certificate expires in fewer days; 0: never. */
  certificateAlertDays: number;
  /** Its badges (/badge/<id or slug>/...) are served to anyone; off by default. */
  badgesEnabled: boolean;
  /** Another name for its badges' address: lower-case words joined by dashes, never only digits; null: none. */
  slug: string | null;
  /** The locations that check it (LOCATION of the instances); null: every location. */
  locations: string[] | null;
  /** How many of its locations must see it down for it to be DOWN (at least 1). */
  quorum: number;
  /** Heartbeats: how long past the expected time a ping may still arrive (seconds). */
  graceSeconds: number;
  /** Heartbeats: expected at each run of this schedule (plus the grace) instead of every interval; null: by interval. */
  schedule: HeartbeatSchedule | null;
  /** Heartbeats: the secret of the ping URL (/api/ping/<token>); null for other kinds. */
  pingToken: string | null;
  /** DNS monitors: what is asked and expected; null for other kinds. */
  dns: DnsCheckSettings | null;
  /** HTTP: conditions on each response (`status == 200`, `body.$.status == "UP"`, ...), all evaluated. */
  assertions: string[];
  /** The group it is listed under; null: none. */
  group: string | null;
  /** The monitor it depends on: while that one is DOWN, this one's alerts are recorded but not notified. */
  dependsOn: number | null;
  status: MonitorStatus;
  /** Time of the last result applied to the monitor's state; null before the first check. */
  lastCheckedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A monitor's settings, complete and validated, as stored. */
export type MonitorSettings = Omit<
  Monitor,
  'id' | 'status' | 'lastCheckedAt' | 'createdAt' | 'updatedAt' | 'pingToken'
>;
