// Which monitor a badge address names, among those whose badges anyone may see.
import type { Queryable } from '../types.ts';

/**
 * The id of the monitor with this id or slug when its badges are public (switched on, or a status page lists it);
 * null otherwise (unknown or private alike).
 */
export async function findPublicBadgeMonitor(
  db: Queryable,
  ref: { id: number } | { slug: string },
): Promise<number | null> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT m.id FROM monitoring.moniteurs m
      WHERE (m.id = $1 OR m.slug = $2)
        AND (m.badges_actifs OR EXISTS (SELECT 1 FROM monitoring.moniteurs_section s WHERE s.moniteur_id = m.id))`,
    'id' in ref ? [ref.id, null] : [null, ref.slug],
  );
  return rows[0]?.id ?? null;
}
