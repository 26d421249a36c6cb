// Status pages under /api/pages-statut: their settings and sections, and the incidents operators post on them.
import type { StatusPage, StatusPageIncident, StatusPageService } from '../status-pages/index.ts';
import {
  parseIncidentInput,
  parseIncidentUpdate,
  parseStatusPageChanges,
  parseStatusPageInput,
} from '../status-pages/index.ts';
import { ValidationError } from '../errors.ts';
import { HttpError } from './http-error.ts';
import { parseId } from './params.ts';
import type { Router } from './router.ts';
import { renameFields } from './shapes.ts';

const PAGE_FIELDS: Record<string, string> = {
  slug: 'slug',
  titre: 'title',
  description: 'description',
  logo_url: 'logoUrl',
  par_defaut: 'isDefault',
  sections: 'sections',
};
const SECTION_FIELDS: Record<string, string> = { nom: 'name', moniteurs: 'monitorIds' };
const INCIDENT_FIELDS: Record<string, string> = { titre: 'title', statut: 'status', message: 'message' };

const invert = (map: Record<string, string>) => Object.fromEntries(Object.entries(map).map(([fr, en]) => [en, fr]));
/** The domain's field paths in REST words, for error messages ("sections.0.monitorIds" → "sections.0.moniteurs"). */
const FRENCH = { ...invert(PAGE_FIELDS), ...invert(SECTION_FIELDS), ...invert(INCIDENT_FIELDS) };

/** Runs a parse or a service call; a ValidationError's field comes out in REST words. */
async function inRestWords<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ValidationError && error.field) {
      const field = error.field
        .split('.')
        .map((part) => FRENCH[part] ?? part)
        .join('.');
      throw new HttpError(400, `${field}: ${error.message}`);
    }
    throw error;
  }
}

function pageFromRest(body: unknown): Record<string, unknown> {
  const page = renameFields(body, PAGE_FIELDS, 'expected a JSON object describing a status page');
  if (Array.isArray(page.sections)) {
    page.sections = page.sections.map((section, index) =>
      renameFields(section, SECTION_FIELDS, 'expected an object {nom, moniteurs}', `sections.${index}: `),
    );
  }
  return page;
}

export function pageStatutShape(page: StatusPage) {
  return {
    id: page.id,
    slug: page.slug,
    titre: page.title,
    description: page.description,
    logo_url: page.logoUrl,
    par_defaut: page.isDefault,
    sections: page.sections.map((section) => ({ nom: section.name, moniteurs: section.monitorIds })),
    cree_a: page.createdAt.toISOString(),
    modifie_a: page.updatedAt.toISOString(),
  };
}

export function incidentPageShape(incident: StatusPageIncident) {
  return {
    id: incident.id,
    page_id: incident.pageId,
    titre: incident.title,
    statut: incident.status,
    cree_a: incident.createdAt.toISOString(),
    modifie_a: incident.updatedAt.toISOString(),
    resolu_a: incident.resolvedAt?.toISOString() ?? null,
    messages: incident.messages.map((message) => ({
      id: message.id,
      statut: message.status,
      message: message.message,
      cree_a: message.createdAt.toISOString(),
    })),
  };
}

export function registerStatusPageRoutes(router: Router, pages: StatusPageService): void {
  /** The incident, when it belongs to the page of the path (another page's is "not found" here). */
  async function incidentOf(pageId: number, incidentId: number): Promise<StatusPageIncident> {
    const found = (await pages.incidents(pageId)).find((incident) => incident.id === incidentId);
    if (!found) throw new HttpError(404, `incident ${incidentId} does not exist on status page ${pageId}`);
    return found;
  }

  router
    .on('GET', '/api/pages-statut', 'viewer', async () => ({
      body: { pages: (await pages.list()).map(pageStatutShape) },
    }))
    .on('POST', '/api/pages-statut', 'editor', async ({ body }) => {
      const raw = pageFromRest(await body());
      const page = await inRestWords(() => pages.create(parseStatusPageInput(raw)));
      return { status: 201, body: { page: pageStatutShape(page) } };
    })
    .on('GET', '/api/pages-statut/:id', 'viewer', async ({ params }) => ({
      body: { page: pageStatutShape(await pages.get(parseId(params.id))) },
    }))
    .on('PATCH', '/api/pages-statut/:id', 'editor', async ({ params, body }) => {
      const id = parseId(params.id);
      const raw = pageFromRest(await body());
      const page = await inRestWords(() => pages.update(id, parseStatusPageChanges(raw)));
      return { body: { page: pageStatutShape(page) } };
    })
    .on('DELETE', '/api/pages-statut/:id', 'editor', async ({ params }) => {
      await pages.remove(parseId(params.id));
      return { status: 204 };
    })
    .on('GET', '/api/pages-statut/:id/incidents', 'viewer', async ({ params }) => ({
      body: { incidents: (await pages.incidents(parseId(params.id))).map(incidentPageShape) },
    }))
    .on('POST', '/api/pages-statut/:id/incidents', 'editor', async ({ params, body }) => {
      const pageId = parseId(params.id);
      const raw = renameFields(await body(), INCIDENT_FIELDS, 'expected a JSON object {titre, statut, message}');
      const incident = await inRestWords(() => pages.postIncident(pageId, parseIncidentInput(raw)));
      return { status: 201, body: { incident: incidentPageShape(incident) } };
    })
    .on('PATCH', '/api/pages-statut/:id/incidents/:incident_id', 'editor', async ({ params, body }) => {
      const pageId = parseId(params.id);
      const incidentId = parseId(params.incident_id, 'incident_id');
      const raw = renameFields(await body(), INCIDENT_FIELDS, 'expected a JSON object {statut, message, titre}');
      const update = await inRestWords(() => parseIncidentUpdate(raw));
      await incidentOf(pageId, incidentId);
      return { body: { incident: incidentPageShape(await pages.updateIncident(incidentId, update)) } };
    })
    .on('DELETE', '/api/pages-statut/:id/incidents/:incident_id', 'editor', async ({ params }) => {
      const pageId = parseId(params.id);
      const incidentId = parseId(params.incident_id, 'incident_id');
      await incidentOf(pageId, incidentId);
      await pages.removeIncident(incidentId);
      return { status: 204 };
    });
}
