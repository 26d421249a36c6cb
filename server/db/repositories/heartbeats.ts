// monitoring.battements (what heartbeat pings tell) and the ping tokens of monitoring.moniteurs.
import type { Queryable } from '../types.ts';
import { newPingToken } from './monitors.ts';

export type PingEvent = 'success' | 'start' | 'fail';

/** What a heartbeat's pings told last. */
export interface HeartbeatState {
  monitorId: number;
  /** The last ping that ended a run (success or fail); null before the first. */
  lastPingAt: Date | null;
  /** The last /start; a run is open while it is after lastPingAt. */
  startedAt: Date | null;
  /** Time of the monitor's last result (a ping's, or a missed deadline's, written by whichever instance). */
  lastResultAt: Date | null;
}

/** The monitor a ping was for, and the run it ended. */
export interface RecordedPing {
  monitorId: number;
  target: string;
  paused: boolean;
  /** When the run it ends started (a /start after the previous end), else null. */
  runStartedAt: Date | null;
}

/**
 * Records a ping by its token, in one statement; null when no heartbeat monitor has the token. The values read
 * are those before the ping (a data-modifying CTE does not see its own changes).
 */
export async function recordPing(
  db: Queryable,
  token: string,
  event: PingEvent,
  message: string | null,
  at: Date,
): Promise<RecordedPing | null> {
  const { rows } = await db.query<{ id: number; cible: string; en_pause: boolean; debut: Date | null }>(
    `WITH m AS (
       SELECT id, cible, en_pause FROM monitoring.moniteurs WHERE jeton_ping = $1 AND type = 'push'),
     before AS (
       SELECT b.debut_ping_a, b.dernier_ping_a FROM monitoring.battements b JOIN m ON b.moniteur_id = m.id),
     saved AS (
       INSERT INTO monitoring.battements AS b (moniteur_id, dernier_ping_a, debut_ping_a, message)
       SELECT id, CASE WHEN $2 <> 'start' THEN $3::timestamptz END, CASE WHEN $2 = 'start' THEN $3::timestamptz END, $4
         FROM m
       ON CONFLICT (moniteur_id) DO UPDATE
         SET dernier_ping_a = CASE WHEN $2 <> 'start' THEN $3::timestamptz ELSE b.dernier_ping_a END,
             debut_ping_a = CASE WHEN $2 = 'start' THEN $3::timestamptz ELSE b.debut_ping_a END,
             message = $4)
     SELECT m.id, m.cible, m.en_pause,
            (SELECT debut_ping_a FROM before
              WHERE debut_ping_a IS NOT NULL AND (dernier_ping_a IS NULL OR debut_ping_a > dernier_ping_a)) AS debut
       FROM m`,
    [token, event, at, message],
  );
  const row = rows[0];
  return row ? { monitorId: row.id, target: row.cible, paused: row.en_pause, runStartedAt: row.debut } : null;
}

/** The ping state of these heartbeat monitors, in one read. */
export async function heartbeatStates(db: Queryable, monitorIds: number[]): Promise<Map<number, HeartbeatState>> {
  const { rows } = await db.query<{
    moniteur_id: number;
    dernier_ping_a: Date | null;
    debut_ping_a: Date | null;
    dernier_verifie_a: Date | null;
  }>(
    `SELECT e.moniteur_id, b.dernier_ping_a, b.debut_ping_a, e.dernier_verifie_a
       FROM monitoring.etats_moniteurs e
       LEFT JOIN monitoring.battements b ON b.moniteur_id = e.moniteur_id
      WHERE e.moniteur_id = ANY($1::int[])`,
    [monitorIds],
  );
  return new Map(
    rows.map((row) => [
      row.moniteur_id,
      {
        monitorId: row.moniteur_id,
        lastPingAt: row.dernier_ping_a,
        startedAt: row.debut_ping_a,
        lastResultAt: row.dernier_verifie_a,
      },
    ]),
  );
}

/** Gives a heartbeat monitor a new ping token (the old URL stops working); null when it is not one. */
export async function regeneratePingToken(db: Queryable, monitorId: number): Promise<string | null> {
  const { rows } = await db.query<{ jeton_ping: string }>(
    `UPDATE monitoring.moniteurs SET jeton_ping = $2, modifie_a = now()
      WHERE id = $1 AND type = 'push' RETURNING jeton_ping`,
    [monitorId, newPingToken()],
  );
  return rows[0]?.jeton_ping ?? null;
}
