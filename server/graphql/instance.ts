// The Vigie instances sharing the database, and how many monitors each checks.
import { builder } from './builder.ts';
import type { Instance } from '../instances/index.ts';

const InstanceRef = builder.objectRef<Instance>('Instance').implement({
  description: 'A running Vigie sharing the database with the others; each checks its share of the monitors.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Its id, new at each start.' }),
    name: t.exposeString('name', { description: 'INSTANCE, or the host name.' }),
    location: t.exposeString('location', { description: 'LOCATION: where it checks from.' }),
    startedAt: t.field({ type: 'DateTime', description: 'When it started.', resolve: (i) => i.startedAt }),
    lastSeenAt: t.field({ type: 'DateTime', description: 'Its last heartbeat.', resolve: (i) => i.lastSeenAt }),
    monitorCount: t.exposeInt('monitorCount', { description: 'Monitors it checks, as of its last heartbeat.' }),
  }),
});

builder.queryField('instances', (t) =>
  t.field({
    authScopes: { viewer: true },
    type: [InstanceRef],
    description: 'The live Vigie instances (those that heartbeat within their lease time), by location and name.',
    resolve: (_, __, context) => context.instances(),
  }),
);
