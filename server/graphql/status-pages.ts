// Managing status pages: their settings and sections (editors), and the incidents posted on them.
import {
  parseIncidentInput,
  parseIncidentUpdate,
  parseStatusPageChanges,
  parseStatusPageInput,
  type StatusPage,
  type StatusPageSection,
} from '../status-pages/index.ts';
import { builder } from './builder.ts';
import { parseNumericId } from './ids.ts';
import { withoutNulls } from './inputs.ts';
import { MonitorRef } from './monitor.ts';
import { IncidentStatusEnum, StatusPageIncidentRef } from './status-page.ts';

const StatusPageSectionRef = builder.objectRef<StatusPageSection>('StatusPageSection').implement({
  description: 'A named group of monitors on a status page.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Its heading.' }),
    monitorIds: t.field({ type: ['ID'], description: 'Its monitors, in order.', resolve: (s) => s.monitorIds }),
    monitors: t.field({
      type: [MonitorRef],
      description: 'Its monitors, in order.',
      resolve: async (section, _, context) => {
        const monitors = await Promise.all(section.monitorIds.map((id) => context.loaders.monitor.load(id)));
        return monitors.filter((monitor) => monitor !== null);
      },
    }),
  }),
});

const StatusPageRef = builder.objectRef<StatusPage>('StatusPage').implement({
  description: 'A public status page at /status/<slug>: the monitors its sections list, and its incidents.',
  fields: (t) => ({
    id: t.id({ description: 'Unique id.', resolve: (page) => page.id }),
    slug: t.exposeString('slug', { description: 'Its address: /status/<slug>.' }),
    title: t.exposeString('title', { description: 'Its title.' }),
    description: t.exposeString('description', { description: 'Its description (plain text).' }),
    logoUrl: t.exposeString('logoUrl', { nullable: true, description: 'Its logo (an http or https URL).' }),
    isDefault: t.exposeBoolean('isDefault', { description: 'Served at /status as well.' }),
    sections: t.field({ type: [StatusPageSectionRef], description: 'Its sections.', resolve: (p) => p.sections }),
    incidents: t.field({
      type: [StatusPageIncidentRef],
      description: 'Every incident posted on it, newest first.',
      resolve: (page, _, context) => context.statusPages.incidents(page.id),
    }),
    createdAt: t.field({ type: 'DateTime', description: 'Creation time.', resolve: (page) => page.createdAt }),
    updatedAt: t.field({ type: 'DateTime', description: 'Last change.', resolve: (page) => page.updatedAt }),
  }),
});

const SectionInput = builder.inputType('StatusPageSectionInput', {
  description: 'A section of a status page.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'Its heading.' }),
    monitorIds: t.idList({ required: true, description: 'Its monitors, in order.' }),
  }),
});

const settingsFields = (t: Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0], required: boolean) => ({
  slug: t.string({
    required,
    description: 'Its address, /status/<slug>: lower-case letters, digits and dashes (at most 64).',
  }),
  title: t.string({ required, description: 'Its title (1 to 200 characters).' }),
  description: t.string({ description: 'Its description (plain text).' }),
  logoUrl: t.string({ description: 'Its logo: an http or https URL; null for none.' }),
  isDefault: t.boolean({ description: 'Serve it at /status (the previous default page stops being it).' }),
  sections: t.field({ type: [SectionInput], description: 'Its sections (replace them all).' }),
});

const CreateStatusPageInput = builder.inputType('CreateStatusPageInput', {
  description: 'A new status page.',
  fields: (t) => settingsFields(t, true),
});

const UpdateStatusPageInput = builder.inputType('UpdateStatusPageInput', {
  description: 'Changes to a status page: only the given fields change.',
  fields: (t) => settingsFields(t, false),
});

const IncidentInput = builder.inputType('StatusPageIncidentInput', {
  description: 'A new incident or announcement.',
  fields: (t) => ({
    title: t.string({ required: true, description: 'Its title.' }),
    status: t.field({ type: IncidentStatusEnum, description: 'Where it stands (default INVESTIGATING).' }),
    message: t.string({ required: true, description: 'Its first message (plain text).' }),
  }),
});

const IncidentUpdateInput = builder.inputType('StatusPageIncidentUpdateInput', {
  description: 'An update of an incident: a new status, a message, or both (and a new title).',
  fields: (t) => ({
    title: t.string({ description: 'A new title.' }),
    status: t.field({ type: IncidentStatusEnum, description: 'Its new status (default: unchanged).' }),
    message: t.string({ description: 'A message posted with the update.' }),
  }),
});

function toServiceInput(input: typeof UpdateStatusPageInput.$inferInput | typeof CreateStatusPageInput.$inferInput) {
  const { sections, ...settings } = withoutNulls(input, ['logoUrl']);
  if (!sections) return settings;
  return {
    ...settings,
    sections: sections.map((section, index) => ({
      name: section.name,
      monitorIds: section.monitorIds.map((id) => parseNumericId(id, `sections.${index}.monitorIds`)),
    })),
  };
}

builder.queryFields((t) => ({
  statusPages: t.field({
    authScopes: { viewer: true },
    type: [StatusPageRef],
    description: 'Every status page.',
    resolve: (_, __, context) => context.statusPages.list(),
  }),
  statusPage: t.field({
    authScopes: { viewer: true },
    type: StatusPageRef,
    description: 'One status page.',
    args: { id: t.arg.id({ required: true, description: 'Its id.' }) },
    resolve: (_, args, context) => context.statusPages.get(parseNumericId(args.id, 'id')),
  }),
}));

builder.mutationFields((t) => ({
  createStatusPage: t.field({
    authScopes: { editor: true },
    type: StatusPageRef,
    description: 'Creates a status page.',
    args: { input: t.arg({ type: CreateStatusPageInput, required: true, description: 'The page.' }) },
    resolve: (_, args, context) => context.statusPages.create(parseStatusPageInput(toServiceInput(args.input))),
  }),
  updateStatusPage: t.field({
    authScopes: { editor: true },
    type: StatusPageRef,
    description: 'Changes a status page.',
    args: {
      id: t.arg.id({ required: true, description: 'Its id.' }),
      input: t.arg({ type: UpdateStatusPageInput, required: true, description: 'The changes.' }),
    },
    resolve: (_, args, context) =>
      context.statusPages.update(parseNumericId(args.id, 'id'), parseStatusPageChanges(toServiceInput(args.input))),
  }),
  deleteStatusPage: t.field({
    authScopes: { editor: true },
    type: 'ID',
    description: 'Deletes a status page with its incidents; returns its id.',
    args: { id: t.arg.id({ required: true, description: 'Its id.' }) },
    resolve: async (_, args, context) => {
      const id = parseNumericId(args.id, 'id');
      await context.statusPages.remove(id);
      return id;
    },
  }),
  postStatusPageIncident: t.field({
    authScopes: { editor: true },
    type: StatusPageIncidentRef,
    description: 'Posts an incident or announcement on a status page; open pages show it at once.',
    args: {
      pageId: t.arg.id({ required: true, description: 'The page.' }),
      input: t.arg({ type: IncidentInput, required: true, description: 'The incident.' }),
    },
    resolve: (_, args, context) =>
      context.statusPages.postIncident(
        parseNumericId(args.pageId, 'pageId'),
        parseIncidentInput(withoutNulls(args.input)),
      ),
  }),
  updateStatusPageIncident: t.field({
    authScopes: { editor: true },
    type: StatusPageIncidentRef,
    description: 'Moves an incident to a new status and/or posts a message on it.',
    args: {
      id: t.arg.id({ required: true, description: 'The incident.' }),
      input: t.arg({ type: IncidentUpdateInput, required: true, description: 'The update.' }),
    },
    resolve: (_, args, context) =>
      context.statusPages.updateIncident(parseNumericId(args.id, 'id'), parseIncidentUpdate(withoutNulls(args.input))),
  }),
  deleteStatusPageIncident: t.field({
    authScopes: { editor: true },
    type: 'ID',
    description: 'Deletes an incident; returns its id.',
    args: { id: t.arg.id({ required: true, description: 'The incident.' }) },
    resolve: async (_, args, context) => {
      const id = parseNumericId(args.id, 'id');
      await context.statusPages.removeIncident(id);
      return id;
    },
  }),
}));
