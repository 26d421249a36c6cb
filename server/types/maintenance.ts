// A maintenance window: a fixed period or a recurring one (cron + duration), for one monitor or all.

export interface MaintenanceWindow {
  id: number;
  name: string;
  /** null: every monitor. */
  monitorId: number | null;
  startsAt: Date | null;
  endsAt: Date | null;
  cron: string | null;
  durationMinutes: number | null;
  timeZone: string;
  createdAt: Date;
}
