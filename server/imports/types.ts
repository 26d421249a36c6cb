// What an import makes of another monitor's configuration: a configuration file's document (imported like a
// file, keyed so that importing again updates rather than copies) and what could not be brought over, and why.
export interface Skipped {
  /** What was not imported, as the source names it: 'monitor "API" (#3)', 'notification "Ops" (#1)'. */
  what: string;
  reason: string;
}

/** A configuration document in the file's format (server/config-file), not yet validated. */
export interface ImportedDocument {
  monitors: Array<Record<string, unknown> & { key: string; name: string; channels?: string[] }>;
  channels: Array<Record<string, unknown> & { key: string; name: string }>;
}

export interface ImportResult {
  document: ImportedDocument;
  skipped: Skipped[];
  /** Settings of imported objects that have no Vigie equivalent and were left out (the object was imported). */
  notes: Skipped[];
}

/** Lower-case letters, digits and dashes, for keys derived from names. */
export function keyPart(value: string): string {
  return (
    value
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'x'
  );
}

export type Row = Record<string, unknown>;

/** A non-empty string, trimmed; undefined otherwise. */
export const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/** Drops undefined values: the file's schema treats a missing field as "the default". */
export const defined = (row: Row): Row =>
  Object.fromEntries(Object.entries(row).filter(([, value]) => value !== undefined));
