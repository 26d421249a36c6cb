// The server's health.
import { builder } from './builder.ts';
import type { HealthReport } from '../health.ts';

const DatabaseHealthRef = builder.objectRef<HealthReport['database']>('DatabaseHealth').implement({
  description: 'Whether the database answers.',
  fields: (t) => ({
    ok: t.exposeBoolean('ok', { description: 'True when it answered.' }),
    kind: t.exposeString('kind', { description: '"postgres" or "embedded".' }),
    latencyMs: t.exposeFloat('latencyMs', { nullable: true, description: 'Round trip of a trivial query.' }),
    reason: t.exposeString('reason', {
      nullable: true,
      description: 'Why it did not answer (a timeout, a refused or lost connection); null when it answered.',
    }),
  }),
});

const HealthRef = builder.objectRef<HealthReport>('Health').implement({
  description: 'The state of this Vigie instance.',
  fields: (t) => ({
    ok: t.exposeBoolean('ok', { description: 'True when the server and its database work.' }),
    version: t.exposeString('version', { description: 'Vigie version.' }),
    startedAt: t.field({ type: 'DateTime', description: 'When this instance started.', resolve: (h) => h.startedAt }),
    database: t.field({ type: DatabaseHealthRef, description: 'The database.', resolve: (h) => h.database }),
    activeMonitors: t.exposeInt('activeMonitors', { description: 'Monitors this instance schedules.' }),
    checksInFlight: t.exposeInt('checksInFlight', { description: 'Checks running now.' }),
    goneLocations: t.stringList({
      description: 'Locations none of whose instances is alive: they no longer count in the quorum of their monitors.',
      resolve: (h) => h.goneLocations.map((gone) => gone.location),
    }),
  }),
});

builder.queryField('health', (t) =>
  t.field({
    authScopes: { public: true },
    type: HealthRef,
    description: 'Health of the server and its database.',
    resolve: (_, __, context) => context.health(),
  }),
);
