// Maintenance windows: during one, checks run and are stored, but nothing is notified and the monitor shows
// MAINTENANCE.
export type { MaintenanceWindow } from '../types/index.ts';
export { maintenanceOf, type MonitorMaintenance, windowTimes, type WindowTimes } from './monitor-maintenance.ts';
export {
  checkRecurringSchedule,
  createMaintenance,
  currentOccurrence,
  previewSchedule,
  upcomingOccurrences,
  type MaintenanceOccurrence,
  type MaintenanceSchedule,
  createMaintenanceService,
  isInMaintenance,
  singleMonitorId,
  windowCovers,
  type CoveredMonitor,
  isWindowActive,
  nextCronRun,
  maintenanceWindows,
  removeMaintenance,
  parseMaintenanceInput,
  maintenanceFields,
  replaceMaintenance,
  type MaintenanceService,
  type MaintenanceWindowInput,
} from './windows.ts';
