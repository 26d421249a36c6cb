// A maintenance window: a fixed period or a recurring one (cron + duration), for every monitor, or for
// some monitors and/or the monitors carrying some tags.

export interface MaintenanceWindow {
  id: number;
  name: string;
  /** The monitors it covers by id; with no tags either, it covers every monitor. */
  monitorIds: number[];
  /** It covers the monitors carrying any of these tags. */
  tags: string[];
  startsAt: Date | null;
  endsAt: Date | null;
  cron: string | null;
  durationMinutes: number | null;
  timeZone: string;
  createdAt: Date;
}
