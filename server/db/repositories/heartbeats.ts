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
  /**
   * The location evaluating the heartbeat (its single lease's, else the one it names): its results are stored as
   * that location's, whichever instance serves the ping. Null: neither (the instance's own location).
   */
  location: string | null;
}

export interface NewPing {
  token: string;
  event: PingEvent;
  message: string | null;
  at: Date;
}

/**
 * Records pings by their tokens, in one statement (pings come by the thousand per second: one round trip for many);
 * answers in their order, null where no heartbeat monitor has the token. The values read are those before the
 * pings (a data-modifying CTE does not see its own changes); several pings of one monitor are merged, the latest
 * times and the last message winning.
 */
export async function recordPings(db: Queryable, pings: readonly NewPing[]): Promise<Array<RecordedPing | null>> {
  const { rows } = await db.query<{
    n: string;
    id: number;
    cible: string;
    en_pause: boolean;
    debut: Date | null;
    emplacement: string | null;
  }>(
    `WITH p AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[])
              WITH ORDINALITY AS p(jeton, evenement, a, message, n)),
     m AS (
       SELECT p.n, mo.id, mo.cible, mo.en_pause,
              coalesce((SELECT l.emplacement FROM monitoring.baux l WHERE l.moniteur_id = mo.id AND l.unique_emplacement),
                       mo.emplacements[1]) AS emplacement
         FROM p JOIN monitoring.moniteurs mo ON mo.jeton_ping = p.jeton AND mo.type = 'push'),
     before AS (
       SELECT b.moniteur_id, b.debut_ping_a, b.dernier_ping_a
         FROM monitoring.battements b WHERE b.moniteur_id IN (SELECT id FROM m)),
     merged AS (
       SELECT m.id,
              max(p.a) FILTER (WHERE p.evenement <> 'start') AS fin,
              max(p.a) FILTER (WHERE p.evenement = 'start') AS debut,
              (array_agg(p.message ORDER BY p.n DESC))[1] AS message
         FROM m JOIN p USING (n) GROUP BY m.id),
     saved AS (
       INSERT INTO monitoring.battements AS b (moniteur_id, dernier_ping_a, debut_ping_a, message)
       SELECT id, fin, debut, message FROM merged ORDER BY id
       ON CONFLICT (moniteur_id) DO UPDATE
         SET dernier_ping_a = greatest(EXCLUDED.dernier_ping_a, b.dernier_ping_a),
             debut_ping_a = greatest(EXCLUDED.debut_ping_a, b.debut_ping_a),
             message = EXCLUDED.message)
     SELECT m.n, m.id, m.cible, m.en_pause, m.emplacement,
            (SELECT debut_ping_a FROM before
              WHERE before.moniteur_id = m.id AND debut_ping_a IS NOT NULL
                AND (dernier_ping_a IS NULL OR debut_ping_a > dernier_ping_a)) AS debut
       FROM m`,
    [pings.map((p) => p.token), pings.map((p) => p.event), pings.map((p) => p.at), pings.map((p) => p.message)],
  );
  const recorded: Array<RecordedPing | null> = pings.map(() => null);
  for (const row of rows) {
    recorded[Number(row.n) - 1] = {
      monitorId: row.id,
      target: row.cible,
      paused: row.en_pause,
      runStartedAt: row.debut,
      location: row.emplacement,
    };
  }
  return recorded;
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
