// The configuration file's shape (VIGIE_CONFIG, npm run config): each object of the domain with its stable key,
// built from the domain's own input schemas so that a file is checked exactly like the APIs' input.
import { z } from 'zod';
import { channelInput } from '../alerts/index.ts';
import { maintenanceFields } from '../maintenance/index.ts';
import { monitorInputSchema } from '../monitors/index.ts';
import { statusPageInput } from '../status-pages/index.ts';

/** Stable keys: what a file calls an object across renames; the database keeps them (cle_config). */
export const CONFIG_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

const key = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
  .regex(CONFIG_KEY, 'must be 1 to 100 letters, digits, ".", "_" or "-", starting with a letter or digit');
const keys = (what: string) =>
  z.array(key, { error: `must be a list of ${what} keys` }).refine((list) => new Set(list).size === list.length, {
    message: `lists a ${what} twice`,
  });

const monitorEntry = monitorInputSchema.extend({
  key,
  /** The channels notified for this monitor, by key (those the file declares). */
  channels: keys('channel').optional(),
  /** The monitor it depends on, by key (one the file declares); ids differ from one database to another. */
  dependsOn: key.nullable().optional(),
});

const channelEntry = channelInput.extend({ key });

const maintenanceEntry = maintenanceFields.omit({ monitorId: true, monitorIds: true }).extend({
  key,
  /** One monitor it covers, by key (a shortcut for monitors: [key]). */
  monitor: key.nullable().optional(),
  /** The monitors it covers, by key; with no tags either (and no monitor), it covers every monitor. */
  monitors: keys('monitor').nullable().optional(),
  // A YAML timestamp is read as a string: the service parses it.
  startsAt: z.string({ error: 'must be an ISO-8601 date' }).nullable().optional(),
  endsAt: z.string({ error: 'must be an ISO-8601 date' }).nullable().optional(),
});

const statusPageEntry = statusPageInput.extend({
  key,
  sections: z
    .array(z.strictObject({ name: z.string({ error: 'must be a string' }), monitors: keys('monitor') }), {
      error: 'must be a list of {name, monitors}',
    })
    .optional(),
});

/**
 * The whole file. A kind added later (groups) is one more optional list here, one more entry in
 * CONFIG_TABLES (db/) and one more section in plan.ts.
 */
export const configFileSchema = z.strictObject({
  version: z.literal(1, { error: 'must be 1' }).optional(),
  monitors: z.array(monitorEntry, { error: 'must be a list of monitors' }).optional(),
  channels: z.array(channelEntry, { error: 'must be a list of channels' }).optional(),
  maintenance: z.array(maintenanceEntry, { error: 'must be a list of maintenance windows' }).optional(),
  statusPages: z.array(statusPageEntry, { error: 'must be a list of status pages' }).optional(),
});

export type ConfigFile = z.infer<typeof configFileSchema>;
export type MonitorEntry = z.infer<typeof monitorEntry>;
export type ChannelEntry = z.infer<typeof channelEntry>;
export type MaintenanceEntry = z.infer<typeof maintenanceEntry>;
export type StatusPageEntry = z.infer<typeof statusPageEntry>;

/** The JSON Schema editors use to complete and check a file (schema/vigie-config.schema.json). */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configFileSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }),
    $id: 'https://github.com/vigie/vigie/schema/vigie-config.schema.json',
    title: 'Vigie configuration file',
  };
}
