// GraphQL documents of the Maintenance page: part of its lazily loaded chunk.
import { gql } from '@urql/core';
import type * as Generated from './generated.ts';

export type Occurrence = Generated.MaintenanceScheduleQuery['maintenanceSchedule'][number];
export type MaintenanceRow = Generated.MaintenanceWindowsQuery['maintenanceWindows'][number];
export type MaintenanceInput = Generated.MaintenanceWindowInput;

export const MaintenanceWindowsQuery = gql<
  Generated.MaintenanceWindowsQuery,
  Generated.MaintenanceWindowsQueryVariables
>`
  query MaintenanceWindows {
    maintenanceWindows {
      id name monitorIds tags allMonitors startsAt endsAt cron durationMinutes timeZone activeUntil
      nextOccurrences(count: 1) { startsAt endsAt }
    }
  }
`;

export const MaintenanceScheduleQuery = gql<
  Generated.MaintenanceScheduleQuery,
  Generated.MaintenanceScheduleQueryVariables
>`
  query MaintenanceSchedule($cron: String!, $durationMinutes: Int!, $timeZone: String) {
    maintenanceSchedule(cron: $cron, durationMinutes: $durationMinutes, timeZone: $timeZone) { startsAt endsAt }
  }
`;

export const CreateMaintenanceWindow = gql<
  Generated.CreateMaintenanceWindowMutation,
  Generated.CreateMaintenanceWindowMutationVariables
>`
  mutation CreateMaintenanceWindow($input: MaintenanceWindowInput!) { createMaintenanceWindow(input: $input) { id } }
`;

export const DeleteMaintenanceWindow = gql<
  Generated.DeleteMaintenanceWindowMutation,
  Generated.DeleteMaintenanceWindowMutationVariables
>`
  mutation DeleteMaintenanceWindow($id: ID!) { deleteMaintenanceWindow(id: $id) }
`;

export const UpdateMaintenanceWindow = gql<
  Generated.UpdateMaintenanceWindowMutation,
  Generated.UpdateMaintenanceWindowMutationVariables
>`
  mutation UpdateMaintenanceWindow($id: ID!, $input: UpdateMaintenanceWindowInput!) {
    updateMaintenanceWindow(id: $id, input: $input) { id }
  }
`;
