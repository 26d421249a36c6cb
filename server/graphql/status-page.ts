// The public status pages' data: readable without logging in, so it shows names, statuses and figures only —
// never targets, settings or results — of the monitors a page lists, and the incidents posted on it.
import { GraphQLError } from 'graphql';
import type { Monitor } from '../monitors/index.ts';
import type { IncidentMessage, IncidentStatus, PublicStatusPage, StatusPageIncident } from '../status-pages/index.ts';
import { builder } from './builder.ts';
import { DEFAULT_LIST_SIZE, ESTIMATED_MONITORS } from './complexity.ts';
import { MonitorStatusEnum } from './monitor.ts';
import { MonitorStatsRef, statsRangeArgs } from './stats.ts';

const PublicMonitorRef = builder.objectRef<Monitor>('PublicMonitor').implement({
  description: 'A monitor as the public status page shows it.',
  fields: (t) => ({
    id: t.id({ description: 'Unique id.', resolve: (monitor) => monitor.id }),
    name: t.exposeString('name', { description: 'Display name.' }),
    status: t.field({ type: MonitorStatusEnum, description: 'Current state.', resolve: (monitor) => monitor.status }),
    createdAt: t.field({ type: 'DateTime', description: 'Creation time.', resolve: (monitor) => monitor.createdAt }),
    stats: t.field({
      type: MonitorStatsRef,
      description: 'Its statistics over a window (default the last 24 hours) or from/to.',
      args: statsRangeArgs(t.arg),
      resolve: (monitor, args, context) => ({ monitorId: monitor.id, range: context.loaders.statsRange(args) }),
    }),
  }),
});

export const IncidentStatusEnum = builder.enumType('IncidentStatus', {
  description: 'Where an incident posted on a status page stands.',
  values: {
    INVESTIGATING: { value: 'investigating', description: 'Something is wrong; the cause is being looked for.' },
    IDENTIFIED: { value: 'identified', description: 'The cause is known; a fix is under way.' },
    MONITORING: { value: 'monitoring', description: 'A fix is in place; watching that it holds.' },
    RESOLVED: { value: 'resolved', description: 'Over.' },
  } as const satisfies Record<string, { value: IncidentStatus; description: string }>,
});

const IncidentMessageRef = builder.objectRef<IncidentMessage>('StatusPageIncidentMessage').implement({
  description: 'A message posted on an incident, with the status it moved the incident to.',
  fields: (t) => ({
    id: t.id({ description: 'Unique id.', resolve: (message) => message.id }),
    status: t.field({ type: IncidentStatusEnum, description: 'The status it set.', resolve: (m) => m.status }),
    message: t.exposeString('message', { description: 'What the operator wrote (plain text).' }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was posted.', resolve: (m) => m.createdAt }),
  }),
});

export const StatusPageIncidentRef = builder.objectRef<StatusPageIncident>('StatusPageIncident').implement({
  description: 'An incident or announcement posted on a status page.',
  fields: (t) => ({
    id: t.id({ description: 'Unique id.', resolve: (incident) => incident.id }),
    title: t.exposeString('title', { description: 'Its title.' }),
    status: t.field({ type: IncidentStatusEnum, description: 'Where it stands.', resolve: (i) => i.status }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was posted.', resolve: (i) => i.createdAt }),
    updatedAt: t.field({ type: 'DateTime', description: 'Its last update.', resolve: (i) => i.updatedAt }),
    resolvedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it was resolved.',
      resolve: (i) => i.resolvedAt,
    }),
    messages: t.field({
      type: [IncidentMessageRef],
      description: 'Its messages, oldest first.',
      resolve: (incident) => incident.messages,
    }),
  }),
});

type PublicSection = PublicStatusPage['sections'][number];

const PublicSectionRef = builder.objectRef<PublicSection>('PublicStatusSection').implement({
  description: 'A named group of monitors on a status page.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Its heading.' }),
    monitors: t.field({
      type: [PublicMonitorRef],
      description: 'Its monitors, in the order the operator chose.',
      complexity: { field: 1, multiplier: ESTIMATED_MONITORS / DEFAULT_LIST_SIZE },
      resolve: (section) => section.monitors,
    }),
  }),
});

const PublicStatusPageRef = builder.objectRef<PublicStatusPage>('PublicStatusPage').implement({
  description: 'A status page as anyone sees it.',
  fields: (t) => ({
    slug: t.string({ description: 'Its address: /status/<slug>.', resolve: (shown) => shown.page.slug }),
    title: t.string({ description: 'Its title.', resolve: (shown) => shown.page.title }),
    description: t.string({ description: 'Its description (plain text).', resolve: (shown) => shown.page.description }),
    logoUrl: t.string({ nullable: true, description: 'Its logo.', resolve: (shown) => shown.page.logoUrl }),
    isDefault: t.boolean({ description: 'Served at /status.', resolve: (shown) => shown.page.isDefault }),
    sections: t.field({
      type: [PublicSectionRef],
      description: 'Its sections, in order.',
      resolve: (shown) => shown.sections,
    }),
    incidents: t.field({
      type: [StatusPageIncidentRef],
      description: 'Open incidents and those resolved within the last 7 days, newest first.',
      resolve: (shown) => shown.incidents,
    }),
  }),
});

const SLUG_ARG = 'The page at /status/<slug>; omitted: the default page (/status).';

builder.queryField('publicStatus', (t) =>
  t.field({
    authScopes: { public: true },
    type: [PublicMonitorRef],
    description: 'The monitors the default status page (/status) lists, each once; readable without logging in.',
    complexity: { field: 1, multiplier: ESTIMATED_MONITORS },
    resolve: async (_, __, context) => {
      const shown = await context.statusPages.publicPage(null);
      const monitors = (shown?.sections ?? []).flatMap((section) => section.monitors);
      return [...new Map(monitors.map((monitor) => [monitor.id, monitor])).values()];
    },
  }),
);

builder.queryField('publicStatusPage', (t) =>
  t.field({
    authScopes: { public: true },
    type: PublicStatusPageRef,
    nullable: true,
    description: 'A status page as anyone sees it (null when there is no such page); readable without logging in.',
    args: { slug: t.arg.string({ description: SLUG_ARG }) },
    resolve: (_, args, context) => context.statusPages.publicPage(args.slug ?? null),
  }),
);

builder.subscriptionField('statusPageChanged', (t) =>
  t.field({
    authScopes: { public: true },
    type: PublicStatusPageRef,
    nullable: true,
    description:
      'A status page again each time it changes (its settings, sections or incidents, or the state of a monitor it lists), at most once a tick; null once deleted. Open without logging in (over SSE).',
    args: { slug: t.arg.string({ description: SLUG_ARG }) },
    subscribe: async (_, args, context) => {
      const shown = await context.statusPages.publicPage(args.slug ?? null);
      if (!shown) {
        throw new GraphQLError('no such status page', { extensions: { code: 'NOT_FOUND' } });
      }
      const pageId = shown.page.id;
      return context.events.statusPageChanges(pageId, () => context.statusPages.monitorIdsOf(pageId));
    },
    resolve: (change, _, context) => context.statusPages.publicPageById(change.pageId),
  }),
);
