// GraphQL documents of the Maintenance page: part of its lazily loaded chunk.
import { gql } from '@urql/core';

export interface Occurrence {
  startsAt: string;
  endsAt: string;
}

export interface MaintenanceRow {
  id: string;
  name: string;
  /** null: every monitor. */
  monitorId: string | null;
  startsAt: string | null;
  endsAt: string | null;
  cron: string | null;
  durationMinutes: number | null;
  timeZone: string;
  /** While open now: when this occurrence ends. */
  activeUntil: string | null;
  nextOccurrences: Occurrence[];
}

export interface MaintenanceInput {
  name: string;
  monitorId?: string | null;
  startsAt?: string;
  endsAt?: string;
  cron?: string;
  durationMinutes?: number;
  timeZone?: string;
}

export const MaintenanceWindowsQuery = gql<{ maintenanceWindows: MaintenanceRow[] }, Record<string, never>>(
  `query MaintenanceWindows { maintenanceWindows { id name monitorId startsAt endsAt cron durationMinutes timeZone
    activeUntil nextOccurrences(count: 1) { startsAt endsAt } } }`,
);

export const MaintenanceScheduleQuery = gql<
  { maintenanceSchedule: Occurrence[] },
  { cron: string; durationMinutes: number; timeZone: string }
>(
  `query MaintenanceSchedule($cron: String!, $durationMinutes: Int!, $timeZone: String) {
    maintenanceSchedule(cron: $cron, durationMinutes: $durationMinutes, timeZone: $timeZone) { startsAt endsAt } }`,
);

export const CreateMaintenanceWindow = gql<{ createMaintenanceWindow: { id: string } }, { input: MaintenanceInput }>(
  `mutation CreateMaintenanceWindow($input: MaintenanceWindowInput!) { createMaintenanceWindow(input: $input) { id } }`,
);

export const DeleteMaintenanceWindow = gql<{ deleteMaintenanceWindow: string }, { id: string }>(
  `mutation DeleteMaintenanceWindow($id: ID!) { deleteMaintenanceWindow(id: $id) }`,
);
