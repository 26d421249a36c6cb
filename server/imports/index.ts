// Imports from other monitors: their configuration becomes a configuration document (server/config-file) and a
// report of what could not be brought over.
export { importGatus } from './gatus.ts';
export { importUptimeKuma } from './uptime-kuma.ts';
export { prepareImport, type PreparedImport } from './prepare.ts';
export type { ImportedDocument, ImportResult, Skipped } from './types.ts';
