// The records every layer shares: domain folders re-export them, db/ maps rows to them. Plain types that import
// nothing outside this folder, so that db/ depends on no domain folder (see .dependency-cruiser.cjs).
export type * from './alert.ts';
export type * from './auth.ts';
export type * from './channel.ts';
export type * from './check.ts';
export type * from './delivery.ts';
export type * from './instance.ts';
export type * from './maintenance.ts';
export type * from './monitor.ts';
export type * from './result.ts';
export type * from './status-page.ts';
export { DatabaseUnavailableError } from './database-unavailable.ts';
export { DEFAULT_LOCATION } from './instance.ts';
