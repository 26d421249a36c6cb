// Dependencies between monitors (moniteurs.depend_de): the chain above a monitor, and the monitors below it.
import type { MonitorStatus } from '../../types/index.ts';
import type { Queryable } from '../types.ts';

/**
 * The monitors a dependency on `parentId` leads to, from it up through each one's own parent (a cycle stops the
 * walk); empty when it does not exist.
 */
export async function listDependencyChain(db: Queryable, parentId: number): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `WITH RECURSIVE chain(id, depth) AS (
       SELECT id, 0 FROM monitoring.moniteurs WHERE id = $1
       UNION
       SELECT m.depend_de, c.depth + 1 FROM monitoring.moniteurs m JOIN chain c ON m.id = c.id
        WHERE m.depend_de IS NOT NULL AND c.depth < 1000)
     SELECT id, min(depth) AS depth FROM chain GROUP BY id ORDER BY depth`,
    [parentId],
  );
  return rows.map((row) => row.id);
}

/** The nearest monitor above this one (its parent, or the parent's parent...) that is DOWN now; null: none. */
export async function findDownAncestor(db: Queryable, monitorId: number): Promise<{ id: number; name: string } | null> {
  const { rows } = await db.query<{ id: number; nom: string }>(
    `WITH RECURSIVE ancestors(id, depth) AS (
       SELECT depend_de, 1 FROM monitoring.moniteurs WHERE id = $1 AND depend_de IS NOT NULL
       UNION
       SELECT m.depend_de, a.depth + 1 FROM monitoring.moniteurs m JOIN ancestors a ON m.id = a.id
        WHERE m.depend_de IS NOT NULL AND a.depth < 1000)
     SELECT m.id, m.nom
       FROM ancestors a
       JOIN monitoring.moniteurs m ON m.id = a.id
       JOIN monitoring.etats_moniteurs e ON e.moniteur_id = m.id
      WHERE e.etat = 'DOWN' AND NOT m.en_pause
      ORDER BY a.depth
      LIMIT 1`,
    [monitorId],
  );
  return rows[0] ? { id: rows[0].id, name: rows[0].nom } : null;
}

export interface Dependent {
  id: number;
  name: string;
  status: Exclude<MonitorStatus, 'MAINTENANCE' | 'DEGRADED'>;
}

/** The monitors depending on this one, directly or through others, nearest first (at most `limit`). */
export async function listDependents(db: Queryable, monitorId: number, limit: number): Promise<Dependent[]> {
  const { rows } = await db.query<{ id: number; nom: string; etat: Dependent['status'] }>(
    `WITH RECURSIVE dependents(id, depth) AS (
       SELECT id, 1 FROM monitoring.moniteurs WHERE depend_de = $1
       UNION
       SELECT m.id, d.depth + 1 FROM monitoring.moniteurs m JOIN dependents d ON m.depend_de = d.id
        WHERE d.depth < 1000)
     SELECT m.id, m.nom,
            CASE WHEN m.en_pause THEN 'PAUSED' ELSE coalesce(e.etat, 'PENDING') END AS etat
       FROM (SELECT id, min(depth) AS depth FROM dependents GROUP BY id) d
       JOIN monitoring.moniteurs m ON m.id = d.id
       LEFT JOIN monitoring.etats_moniteurs e ON e.moniteur_id = m.id
      ORDER BY d.depth, m.id
      LIMIT $2`,
    [monitorId, limit],
  );
  return rows.map((row) => ({ id: row.id, name: row.nom, status: row.etat }));
}
