// The cle_config column of the tables a configuration file may own (sql/018_config_keys.sql).
import type { Db, Queryable } from '../types.ts';

/** What a configuration file declares, by the table its rows live in. Groups will add theirs here. */
export const CONFIG_TABLES = {
  monitor: 'monitoring.moniteurs',
  channel: 'monitoring.canaux',
  maintenance: 'monitoring.maintenances',
  statusPage: 'monitoring.pages_statut',
} as const;

export type ConfigKind = keyof typeof CONFIG_TABLES;

/** The owned rows of a kind: key → id. */
export async function listConfigKeys(db: Queryable, kind: ConfigKind): Promise<Map<string, number>> {
  const { rows } = await db.query<{ id: number; cle_config: string }>(
    `SELECT id, cle_config FROM ${CONFIG_TABLES[kind]} WHERE cle_config IS NOT NULL`,
  );
  return new Map(rows.map((row) => [row.cle_config, row.id]));
}

export async function setConfigKey(db: Queryable, kind: ConfigKind, id: number, key: string | null): Promise<void> {
  await db.query(`UPDATE ${CONFIG_TABLES[kind]} SET cle_config = $2 WHERE id = $1`, [id, key]);
}

/** Serialises configuration applies (several instances starting with the same file): held until the transaction ends. */
export async function lockConfigApply(db: Queryable): Promise<void> {
  await db.query("SELECT pg_advisory_xact_lock(hashtext('vigie.config-apply'))");
}

/**
 * The database seen through one transaction: services built on it run their queries in it (a transaction they
 * open themselves becomes part of it), so that what they write together commits or rolls back together.
 */
export function transactionView(db: Db, tx: Queryable): Db {
  const view: Db = Object.assign(Object.create(db) as Db, {
    query: tx.query.bind(tx),
    exec: tx.exec.bind(tx),
    transaction: <T>(fn: (inner: Queryable) => Promise<T>) => fn(tx),
  });
  Object.defineProperty(view, 'background', { value: view });
  return view;
}
