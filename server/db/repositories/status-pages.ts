// monitoring.pages_statut, sections_page, moniteurs_section, incidents_page, messages_incident <-> StatusPage,
// StatusPageIncident.
import type { IncidentStatus, StatusPage, StatusPageIncident, StatusPageSettings } from '../../types/index.ts';
import type { Queryable } from '../types.ts';
import { uniqueKeys } from '../unique.ts';

interface PageRow {
  id: number;
  slug: string;
  titre: string;
  description: string;
  logo_url: string | null;
  par_defaut: boolean;
  cree_a: Date;
  modifie_a: Date;
  sections: Array<{ nom: string; moniteurs: number[] }>;
}

// Sections in order, each with its monitors in order, in one row per page.
const SELECT_PAGES = `
  SELECT p.*, coalesce((
      SELECT json_agg(json_build_object('nom', s.nom, 'moniteurs', coalesce((
                 SELECT json_agg(ms.moniteur_id ORDER BY ms.position)
                   FROM monitoring.moniteurs_section ms WHERE ms.section_id = s.id), '[]'::json))
               ORDER BY s.position)
        FROM monitoring.sections_page s WHERE s.page_id = p.id), '[]'::json) AS sections
    FROM monitoring.pages_statut p`;

function toPage(row: PageRow): StatusPage {
  return {
    id: row.id,
    slug: row.slug,
    title: row.titre,
    description: row.description,
    logoUrl: row.logo_url,
    isDefault: row.par_defaut,
    sections: row.sections.map((section) => ({ name: section.nom, monitorIds: section.moniteurs })),
    createdAt: row.cree_a,
    updatedAt: row.modifie_a,
  };
}

export async function listStatusPages(db: Queryable): Promise<StatusPage[]> {
  const { rows } = await db.query<PageRow>(`${SELECT_PAGES} ORDER BY p.slug`);
  return rows.map(toPage);
}

export async function getStatusPage(db: Queryable, id: number): Promise<StatusPage | null> {
  const { rows } = await db.query<PageRow>(`${SELECT_PAGES} WHERE p.id = $1`, [id]);
  return rows[0] ? toPage(rows[0]) : null;
}

/** By slug; with a null slug, the default page. */
export async function findStatusPage(db: Queryable, slug: string | null): Promise<StatusPage | null> {
  const { rows } = await db.query<PageRow>(
    `${SELECT_PAGES} WHERE CASE WHEN $1::text IS NULL THEN p.par_defaut ELSE p.slug = $1 END`,
    [slug],
  );
  return rows[0] ? toPage(rows[0]) : null;
}

/** Which of these monitors exist. */
export async function existingMonitorIds(db: Queryable, ids: readonly number[]): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(`SELECT id FROM monitoring.moniteurs WHERE id = ANY($1::int[])`, [
    ids,
  ]);
  return rows.map((row) => row.id);
}

/** Writes the page's row and replaces its sections; a taken slug is a UniqueViolationError. Run it in a transaction. */
export async function saveStatusPage(db: Queryable, id: number | null, settings: StatusPageSettings): Promise<number> {
  // The default page moves: the previous one stops being it, in the same transaction.
  if (settings.isDefault) {
    await db.query(
      `UPDATE monitoring.pages_statut SET par_defaut = false WHERE par_defaut AND id IS DISTINCT FROM $1`,
      [id],
    );
  }
  const params = [settings.slug, settings.title, settings.description, settings.logoUrl, settings.isDefault];
  const { rows } = await uniqueKeys(
    id === null
      ? db.query<{ id: number }>(
          `INSERT INTO monitoring.pages_statut (slug, titre, description, logo_url, par_defaut)
           VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          params,
        )
      : db.query<{ id: number }>(
          `UPDATE monitoring.pages_statut
              SET slug = $1, titre = $2, description = $3, logo_url = $4, par_defaut = $5, modifie_a = now()
            WHERE id = $6 RETURNING id`,
          [...params, id],
        ),
  );
  const pageId = rows[0]!.id;
  await db.query(`DELETE FROM monitoring.sections_page WHERE page_id = $1`, [pageId]);
  await db.query(
    `WITH sections AS (
       INSERT INTO monitoring.sections_page (page_id, position, nom)
       SELECT $1, position - 1, nom FROM unnest($2::text[]) WITH ORDINALITY AS s (nom, position)
       RETURNING id, position)
     INSERT INTO monitoring.moniteurs_section (section_id, moniteur_id, position)
     SELECT sections.id, entry.moniteur_id, entry.position
       FROM sections
       JOIN (SELECT (e ->> 'section')::int AS section, (e ->> 'moniteur')::int AS moniteur_id, (e ->> 'position')::int AS position
               FROM jsonb_array_elements($3::jsonb) AS e) entry ON entry.section = sections.position`,
    [
      pageId,
      settings.sections.map((section) => section.name),
      JSON.stringify(
        settings.sections.flatMap((section, index) =>
          section.monitorIds.map((moniteur, position) => ({ section: index, moniteur, position })),
        ),
      ),
    ],
  );
  return pageId;
}

/** Returns false when the page does not exist. Its sections and incidents go with it. */
export async function deleteStatusPage(db: Queryable, id: number): Promise<boolean> {
  const { rowCount } = await db.query(`DELETE FROM monitoring.pages_statut WHERE id = $1`, [id]);
  return rowCount > 0;
}

interface IncidentRow {
  id: number;
  page_id: number;
  titre: string;
  statut: IncidentStatus;
  cree_a: Date | string;
  modifie_a: Date | string;
  resolu_a: Date | string | null;
  messages: Array<{ id: number; statut: IncidentStatus; message: string; cree_a: string }>;
}

const SELECT_INCIDENTS = `
  SELECT i.*, coalesce((
      SELECT json_agg(json_build_object('id', m.id, 'statut', m.statut, 'message', m.message, 'cree_a', m.cree_a)
               ORDER BY m.id)
        FROM monitoring.messages_incident m WHERE m.incident_id = i.id), '[]'::json) AS messages
    FROM monitoring.incidents_page i`;

const toDate = (value: Date | string) => (value instanceof Date ? value : new Date(value));

function toIncident(row: IncidentRow): StatusPageIncident {
  return {
    id: row.id,
    pageId: row.page_id,
    title: row.titre,
    status: row.statut,
    createdAt: toDate(row.cree_a),
    updatedAt: toDate(row.modifie_a),
    resolvedAt: row.resolu_a === null ? null : toDate(row.resolu_a),
    messages: row.messages.map((message) => ({
      id: message.id,
      status: message.statut,
      message: message.message,
      createdAt: toDate(message.cree_a),
    })),
  };
}

/** A page's incidents, newest first; with `resolvedSince`, only those open or resolved since then. */
export async function listStatusPageIncidents(
  db: Queryable,
  pageId: number,
  resolvedSince: Date | null = null,
): Promise<StatusPageIncident[]> {
  const { rows } = await db.query<IncidentRow>(
    `${SELECT_INCIDENTS}
      WHERE i.page_id = $1 AND ($2::timestamptz IS NULL OR i.resolu_a IS NULL OR i.resolu_a >= $2)
      ORDER BY i.cree_a DESC, i.id DESC
      LIMIT 100`,
    [pageId, resolvedSince],
  );
  return rows.map(toIncident);
}

export async function getStatusPageIncident(db: Queryable, id: number): Promise<StatusPageIncident | null> {
  const { rows } = await db.query<IncidentRow>(`${SELECT_INCIDENTS} WHERE i.id = $1`, [id]);
  return rows[0] ? toIncident(rows[0]) : null;
}

/** A new incident with its first message; null when the page does not exist. Run it in a transaction. */
export async function insertStatusPageIncident(
  db: Queryable,
  pageId: number,
  incident: { title: string; status: IncidentStatus; message: string },
): Promise<number | null> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO monitoring.incidents_page (page_id, titre, statut, resolu_a)
     SELECT id, $2, $3, CASE WHEN $3 = 'resolved' THEN now() END FROM monitoring.pages_statut WHERE id = $1
     RETURNING id`,
    [pageId, incident.title, incident.status],
  );
  if (!rows[0]) return null;
  await insertIncidentMessage(db, rows[0].id, incident.status, incident.message);
  return rows[0].id;
}

/**
 * Moves the incident to `status` (and renames it, when a title is given), with a message when one is given;
 * false when it does not exist. Run it in a transaction.
 */
export async function updateStatusPageIncident(
  db: Queryable,
  id: number,
  update: { status: IncidentStatus; message: string | null; title: string | null },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE monitoring.incidents_page
        SET statut = $2, titre = coalesce($3, titre), modifie_a = now(),
            resolu_a = CASE WHEN $2 = 'resolved' THEN coalesce(resolu_a, now()) END
      WHERE id = $1`,
    [id, update.status, update.title],
  );
  if (rowCount === 0) return false;
  if (update.message !== null) await insertIncidentMessage(db, id, update.status, update.message);
  return true;
}

async function insertIncidentMessage(db: Queryable, incidentId: number, status: IncidentStatus, message: string) {
  await db.query(`INSERT INTO monitoring.messages_incident (incident_id, statut, message) VALUES ($1, $2, $3)`, [
    incidentId,
    status,
    message,
  ]);
}

export async function deleteStatusPageIncident(db: Queryable, id: number): Promise<boolean> {
  const { rowCount } = await db.query(`DELETE FROM monitoring.incidents_page WHERE id = $1`, [id]);
  return rowCount > 0;
}
