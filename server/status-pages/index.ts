// Status pages: which monitors each public page shows, in named sections, and the incidents operators post on it
// (investigating → identified → monitoring → resolved). A monitor is public only when a page lists it.
import { z } from 'zod';
import type { Db } from '../db/index.ts';
import {
  deleteStatusPage,
  deleteStatusPageIncident,
  existingMonitorIds,
  findStatusPage,
  getStatusPage,
  getStatusPageIncident,
  insertStatusPageIncident,
  listStatusPageIncidents,
  listStatusPages,
  saveStatusPage,
  UniqueViolationError,
  updateStatusPageIncident,
} from '../db/index.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import type { Monitor, MonitorService } from '../monitors/index.ts';
import type { StatusPage, StatusPageIncident, StatusPageSettings } from '../types/index.ts';
import { parseInput, recordId } from '../validation.ts';

export type {
  IncidentMessage,
  IncidentStatus,
  StatusPage,
  StatusPageIncident,
  StatusPageSection,
  StatusPageSettings,
} from '../types/index.ts';

export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
/** Resolved incidents stay on the public page this long. */
export const RESOLVED_SHOWN_MS = 7 * 24 * 3_600_000;
/** As sql/015_public_pages.sql checks it. */
const SLUG = /^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/;

const text = (max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .max(max, `must be at most ${max} characters`);

const logoUrl = text(2048).refine((value) => {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}, 'must be an http or https URL');

/** A status page's fields; a configuration file's pages name their monitors by key instead of id. */
export const statusPageInput = z.strictObject({
  slug: text(64).regex(
    SLUG,
    'must be lower-case letters, digits and dashes (at most 64), not starting or ending with a dash',
  ),
  title: text(200).trim().min(1, 'is required'),
  description: text(5000).optional(),
  logoUrl: logoUrl.nullable().optional(),
  isDefault: z.boolean({ error: 'must be true or false' }).optional(),
  sections: z
    .array(
      z.strictObject({
        name: text(200).trim().min(1, 'is required'),
        monitorIds: z
          .array(recordId('must be monitor ids'))
          .max(1000, 'at most 1000 monitors in a section')
          .refine((ids) => new Set(ids).size === ids.length, 'lists a monitor twice'),
      }),
      { error: 'must be a list of {name, monitorIds}' },
    )
    .max(50, 'at most 50 sections')
    .optional(),
});

const statusPageChanges = statusPageInput.partial();

export type StatusPageInput = z.infer<typeof statusPageInput>;
export type StatusPageChanges = z.infer<typeof statusPageChanges>;

const incidentStatus = z.enum(INCIDENT_STATUSES, { error: `must be one of ${INCIDENT_STATUSES.join(', ')}` });

const incidentInput = z.strictObject({
  title: text(200).trim().min(1, 'is required'),
  status: incidentStatus.optional(),
  message: text(5000).trim().min(1, 'is required'),
});

const incidentUpdate = z
  .strictObject({
    title: text(200).trim().min(1, 'cannot be empty').optional(),
    status: incidentStatus.optional(),
    message: text(5000).trim().min(1, 'cannot be empty').optional(),
  })
  .refine((update) => Object.keys(update).length > 0, 'give a status, a message or a title');

export type IncidentInput = z.infer<typeof incidentInput>;
export type IncidentUpdate = z.infer<typeof incidentUpdate>;

/** Checked at the edges (REST, GraphQL), with the names of the domain. */
export const parseStatusPageInput = (input: unknown): StatusPageInput => parseInput(statusPageInput, input);
export const parseStatusPageChanges = (input: unknown): StatusPageChanges => parseInput(statusPageChanges, input);
export const parseIncidentInput = (input: unknown): IncidentInput => parseInput(incidentInput, input);
export const parseIncidentUpdate = (input: unknown): IncidentUpdate => parseInput(incidentUpdate, input);

/** What a page shows to anyone: its sections' monitors as they are now, and its open and recent incidents. */
export interface PublicStatusPage {
  page: StatusPage;
  sections: Array<{ name: string; monitors: Monitor[] }>;
  incidents: StatusPageIncident[];
}

export interface StatusPageService {
  list(): Promise<StatusPage[]>;
  get(id: number): Promise<StatusPage>;
  create(input: StatusPageInput): Promise<StatusPage>;
  /** Changes the given fields; `sections` replaces them all. */
  update(id: number, changes: StatusPageChanges): Promise<StatusPage>;
  remove(id: number): Promise<void>;
  /** Every incident of the page, newest first. */
  incidents(pageId: number): Promise<StatusPageIncident[]>;
  postIncident(pageId: number, input: IncidentInput): Promise<StatusPageIncident>;
  updateIncident(id: number, update: IncidentUpdate): Promise<StatusPageIncident>;
  removeIncident(id: number): Promise<void>;
  /** The page at /status/<slug>, or the default one (/status) for a null slug; null when there is none. */
  publicPage(slug: string | null, now?: Date): Promise<PublicStatusPage | null>;
  /** The same, by id (a page followed live keeps its id when its slug changes); null once deleted. */
  publicPageById(id: number, now?: Date): Promise<PublicStatusPage | null>;
  /** The monitors a page lists (for following their changes). */
  monitorIdsOf(pageId: number): Promise<number[]>;
}

const pageNotFound = (id: number) => new NotFoundError(`status page ${id} does not exist`);
const incidentNotFound = (id: number) => new NotFoundError(`incident ${id} does not exist`);

function settingsOf(page: StatusPage): StatusPageSettings {
  const { id, createdAt, updatedAt, ...settings } = page;
  return settings;
}

function complete(input: StatusPageInput): StatusPageSettings {
  return {
    slug: input.slug,
    title: input.title,
    description: input.description ?? '',
    logoUrl: input.logoUrl ?? null,
    isDefault: input.isDefault ?? false,
    sections: input.sections ?? [],
  };
}

export function createStatusPageService(db: Db, monitors: MonitorService): StatusPageService {
  async function get(id: number): Promise<StatusPage> {
    const page = await getStatusPage(db, id);
    if (!page) throw pageNotFound(id);
    return page;
  }

  async function save(id: number | null, settings: StatusPageSettings): Promise<StatusPage> {
    const pageId = await db
      .transaction(async (tx) => {
        const listed = settings.sections.flatMap((section) => section.monitorIds);
        const existing = new Set(await existingMonitorIds(tx, listed));
        settings.sections.forEach((section, index) => {
          const missing = section.monitorIds.find((monitorId) => !existing.has(monitorId));
          if (missing !== undefined) {
            throw new ValidationError(`monitor ${missing} does not exist`, `sections.${index}.monitorIds`);
          }
        });
        return saveStatusPage(tx, id, settings);
      })
      .catch((error: unknown) => {
        if (error instanceof UniqueViolationError && error.constraint === 'pages_statut_slug_unique') {
          throw new ConflictError(`slug: another status page is at /status/${settings.slug}`);
        }
        throw error;
      });
    return get(pageId);
  }

  async function shown(page: StatusPage | null, now = new Date()): Promise<PublicStatusPage | null> {
    if (!page) return null;
    const [listed, incidents] = await Promise.all([
      monitors.getMany(page.sections.flatMap((section) => section.monitorIds)),
      listStatusPageIncidents(db, page.id, new Date(now.getTime() - RESOLVED_SHOWN_MS)),
    ]);
    const byId = new Map(listed.filter((monitor) => monitor !== null).map((monitor) => [monitor.id, monitor]));
    return {
      page,
      sections: page.sections.map((section) => ({
        name: section.name,
        monitors: section.monitorIds.flatMap((id) => byId.get(id) ?? []),
      })),
      incidents,
    };
  }

  async function incident(id: number): Promise<StatusPageIncident> {
    const found = await getStatusPageIncident(db, id);
    if (!found) throw incidentNotFound(id);
    return found;
  }

  return {
    list: () => listStatusPages(db),
    get,
    create: (input) => save(null, complete(input)),
    async update(id, changes) {
      const current = settingsOf(await get(id));
      const given = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
      return save(id, { ...current, ...given });
    },
    async remove(id) {
      if (!(await deleteStatusPage(db, id))) throw pageNotFound(id);
    },
    async incidents(pageId) {
      await get(pageId);
      return listStatusPageIncidents(db, pageId);
    },
    async postIncident(pageId, input) {
      const id = await db.transaction((tx) =>
        insertStatusPageIncident(tx, pageId, { ...input, status: input.status ?? 'investigating' }),
      );
      if (id === null) throw pageNotFound(pageId);
      return incident(id);
    },
    async updateIncident(id, update) {
      const current = await incident(id);
      const found = await db.transaction((tx) =>
        updateStatusPageIncident(tx, id, {
          status: update.status ?? current.status,
          message: update.message ?? null,
          title: update.title ?? null,
        }),
      );
      if (!found) throw incidentNotFound(id);
      return incident(id);
    },
    async removeIncident(id) {
      if (!(await deleteStatusPageIncident(db, id))) throw incidentNotFound(id);
    },
    publicPage: async (slug, now) => shown(await findStatusPage(db, slug), now),
    publicPageById: async (id, now) => shown(await getStatusPage(db, id), now),
    async monitorIdsOf(pageId) {
      const page = await getStatusPage(db, pageId);
      return page ? page.sections.flatMap((section) => section.monitorIds) : [];
    },
  };
}
