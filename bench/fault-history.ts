// What a fault scenario left in the database: each monitor's check times, and the timing of a DOWN alert.
import { withClient } from './fault-database.ts';

export interface MonitorHistory {
  name: string;
  intervalSeconds: number;
  /** verifie_a of its stored results, ascending (ms since the epoch). */
  times: number[];
}

/** The stored check times of the monitors whose name starts with `prefix`, between `from` and `to`. */
export async function checkTimes(url: string, prefix: string, from: number, to: number): Promise<MonitorHistory[]> {
  const { rows } = await withClient(url, (client) =>
    client.query<{ nom: string; intervalle_secondes: number; times: Date[] }>(
      `SELECT m.nom, m.intervalle_secondes,
              coalesce(array_agg(s.verifie_a ORDER BY s.verifie_a) FILTER (WHERE s.id IS NOT NULL), '{}') AS times
         FROM monitoring.moniteurs m
         LEFT JOIN monitoring.statuts s
           ON s.moniteur_id = m.id AND s.verifie_a BETWEEN to_timestamp($2 / 1000.0) AND to_timestamp($3 / 1000.0)
        WHERE starts_with(m.nom, $1)
        GROUP BY m.id ORDER BY m.id`,
      [prefix, from, to],
    ),
  );
  return rows.map((row) => ({
    name: row.nom,
    intervalSeconds: row.intervalle_secondes,
    times: row.times.map((time) => time.getTime()),
  }));
}

/** The gaps between consecutive times (ms). */
export function gaps(times: number[]): number[] {
  return times.slice(1).map((time, i) => time - times[i]!);
}

export interface DownAlertTiming {
  downAlerts: number;
  /** verifie_a of the monitor's first failing check. */
  firstFailureAt: number | null;
  /** The first DOWN alert's recorded time (cree_a). */
  alertAt: number | null;
  /** When its row was written: the transaction time of its deliveries (one per default channel). */
  raisedAt: number | null;
  /** When its notification reached the channel, if it did. */
  deliveredAt: number | null;
}

export async function downAlertTiming(url: string, monitorName: string): Promise<DownAlertTiming> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{
      down_alerts: number;
      first_failure: Date | null;
      alert_at: Date | null;
      raised_at: Date | null;
      delivered_at: Date | null;
    }>(
      `WITH m AS (SELECT id FROM monitoring.moniteurs WHERE nom = $1),
            a AS (SELECT a.id, a.cree_a FROM monitoring.alertes a, m
                   WHERE a.moniteur_id = m.id AND a.type = 'DOWN' ORDER BY a.cree_a LIMIT 1)
       SELECT (SELECT count(*)::int FROM monitoring.alertes al, m WHERE al.moniteur_id = m.id AND al.type = 'DOWN')
                AS down_alerts,
              (SELECT min(s.verifie_a) FROM monitoring.statuts s, m WHERE s.moniteur_id = m.id AND NOT s.est_disponible)
                AS first_failure,
              (SELECT cree_a FROM a) AS alert_at,
              (SELECT min(l.cree_a) FROM monitoring.livraisons l, a WHERE l.alerte_id = a.id) AS raised_at,
              (SELECT min(l.livree_a) FROM monitoring.livraisons l, a WHERE l.alerte_id = a.id) AS delivered_at`,
      [monitorName],
    );
    const row = rows[0]!;
    return {
      downAlerts: row.down_alerts,
      firstFailureAt: row.first_failure?.getTime() ?? null,
      alertAt: row.alert_at?.getTime() ?? null,
      raisedAt: row.raised_at?.getTime() ?? null,
      deliveredAt: row.delivered_at?.getTime() ?? null,
    };
  });
}
