// monitoring.canaux and monitoring.moniteurs_canaux <-> Channel.
import type { Channel, ChannelKind } from '../../types/index.ts';
import type { Queryable } from '../types.ts';

interface ChannelRow {
  id: number;
  nom: string;
  type: ChannelKind;
  parametres: unknown;
  secrets: unknown;
  par_defaut: boolean;
  actif: boolean;
  cree_a: Date;
  modifie_a: Date;
}

function toChannel(row: ChannelRow): Channel {
  return {
    id: row.id,
    name: row.nom,
    kind: row.type,
    settings: row.parametres,
    secrets: row.secrets,
    isDefault: row.par_defaut,
    enabled: row.actif,
    createdAt: row.cree_a,
    updatedAt: row.modifie_a,
  } as Channel;
}

export interface ChannelRecord {
  name: string;
  kind: ChannelKind;
  settings: unknown;
  secrets: unknown;
  isDefault: boolean;
  enabled: boolean;
}

function recordParams(channel: ChannelRecord): unknown[] {
  return [
    channel.name,
    channel.kind,
    JSON.stringify(channel.settings),
    JSON.stringify(channel.secrets),
    channel.isDefault,
    channel.enabled,
  ];
}

export async function insertChannel(db: Queryable, channel: ChannelRecord): Promise<Channel> {
  const { rows } = await db.query<ChannelRow>(
    `INSERT INTO monitoring.canaux (nom, type, parametres, secrets, par_defaut, actif)
     VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $6) RETURNING *`,
    recordParams(channel),
  );
  return toChannel(rows[0]!);
}

export async function updateChannel(db: Queryable, id: number, channel: ChannelRecord): Promise<Channel | null> {
  const { rows } = await db.query<ChannelRow>(
    `UPDATE monitoring.canaux
        SET nom = $1, type = $2, parametres = $3::jsonb, secrets = $4::jsonb, par_defaut = $5, actif = $6,
            modifie_a = now()
      WHERE id = $7 RETURNING *`,
    [...recordParams(channel), id],
  );
  return rows[0] ? toChannel(rows[0]) : null;
}

export async function getChannel(db: Queryable, id: number): Promise<Channel | null> {
  const { rows } = await db.query<ChannelRow>('SELECT * FROM monitoring.canaux WHERE id = $1', [id]);
  return rows[0] ? toChannel(rows[0]) : null;
}

export async function listChannels(db: Queryable): Promise<Channel[]> {
  const { rows } = await db.query<ChannelRow>('SELECT * FROM monitoring.canaux ORDER BY id');
  return rows.map(toChannel);
}

export async function deleteChannel(db: Queryable, id: number): Promise<boolean> {
  return (await db.query('DELETE FROM monitoring.canaux WHERE id = $1', [id])).rowCount > 0;
}

/** Replaces the channels attached to a monitor. */
export async function setMonitorChannels(db: Queryable, monitorId: number, channelIds: number[]): Promise<void> {
  await db.query(
    `WITH removed AS (
       DELETE FROM monitoring.moniteurs_canaux WHERE moniteur_id = $1 AND NOT (canal_id = ANY($2::int[])))
     INSERT INTO monitoring.moniteurs_canaux (moniteur_id, canal_id)
     SELECT $1, unnest($2::int[]) ON CONFLICT DO NOTHING`,
    [monitorId, channelIds],
  );
}

export async function listMonitorChannelIds(db: Queryable, monitorId: number): Promise<number[]> {
  return (await listChannelIdsOfMonitors(db, [monitorId])).get(monitorId)!;
}

/** The channels of many monitors in one query: every id asked for is in the map, with [] when it has none. */
export async function listChannelIdsOfMonitors(db: Queryable, monitorIds: number[]): Promise<Map<number, number[]>> {
  const { rows } = await db.query<{ moniteur_id: number; canal_id: number }>(
    `SELECT moniteur_id, canal_id FROM monitoring.moniteurs_canaux
      WHERE moniteur_id = ANY($1::int[]) ORDER BY moniteur_id, canal_id`,
    [monitorIds],
  );
  const byMonitor = new Map(monitorIds.map((id) => [id, [] as number[]]));
  for (const row of rows) byMonitor.get(row.moniteur_id)?.push(row.canal_id);
  return byMonitor;
}
