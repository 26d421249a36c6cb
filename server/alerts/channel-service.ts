// Notification channels: create, change, remove, attach to monitors, and send a test notification.
import { z } from 'zod';
import type { AddressPolicy } from '../checks/index.ts';
import type { Db } from '../db/index.ts';
import {
  deleteChannel,
  getChannel,
  insertChannel,
  listChannels,
  listMonitorChannelIds,
  setMonitorChannels,
  updateChannel,
  type ChannelRecord,
} from '../db/index.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { isPlainObject, parseInput } from '../validation.ts';
import { ALL_CHANNEL_KINDS, restoreMaskedSettings, sendNotification, validateChannelInput } from './channels/index.ts';
import type { Channel, ChannelKind } from './channels/types.ts';
import { dashboardLink } from './notification.ts';

/** A channel's fields; kind-specific settings and secrets are checked apart (validateChannelInput). */
export const channelInput = z.strictObject({
  name: z.string({ error: 'must be a string' }).trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
  kind: z.enum(ALL_CHANNEL_KINDS as [ChannelKind, ...ChannelKind[]], {
    error: `must be one of ${ALL_CHANNEL_KINDS.join(', ')}`,
  }),
  settings: z.unknown().optional(),
  secrets: z.unknown().optional(),
  isDefault: z.boolean({ error: 'must be true or false' }).optional(),
  enabled: z.boolean({ error: 'must be true or false' }).optional(),
});

const channelChanges = channelInput.partial();

/** A channel's fields as an edge (REST, GraphQL) parsed them: kind-specific settings are checked with the rest. */
export type ChannelChanges = z.infer<typeof channelChanges>;

/** A new channel, complete and checked (its settings and secrets for its kind): what the service creates. */
export function parseChannelInput(input: unknown): ChannelRecord {
  const value = parseInput(channelInput, input);
  const { settings, secrets } = validateChannelInput(value.kind, value.settings, value.secrets);
  return {
    name: value.name,
    kind: value.kind,
    settings,
    secrets,
    isDefault: value.isDefault ?? false,
    enabled: value.enabled ?? true,
  };
}

/** Changes to a channel: their shape now; with the stored channel they complete, the service checks the whole. */
export function parseChannelChanges(input: unknown): ChannelChanges {
  return parseInput(channelChanges, input);
}

export interface TestResult {
  ok: boolean;
  error: string | null;
}

export interface ChannelService {
  list(): Promise<Channel[]>;
  get(id: number): Promise<Channel>;
  create(channel: ChannelRecord): Promise<Channel>;
  /** Changes the given fields; secrets not given keep their value (they cannot be read back). */
  patch(id: number, changes: ChannelChanges): Promise<Channel>;
  remove(id: number): Promise<void>;
  sendTest(id: number): Promise<TestResult>;
  channelsOfMonitor(monitorId: number): Promise<number[]>;
  setChannelsOfMonitor(monitorId: number, channelIds: number[]): Promise<number[]>;
}

function notFound(id: number): NotFoundError {
  return new NotFoundError(`channel ${id} does not exist`);
}

export function createChannelService(
  db: Db,
  /** addressPolicy: which addresses test sends may reach (default STRICT_ADDRESS_POLICY); pass AddressPolicies.strict. */
  options: { publicUrl: string; timeoutMs: number; addressPolicy?: AddressPolicy },
): ChannelService {
  async function get(id: number): Promise<Channel> {
    return (await getChannel(db, id)) ?? Promise.reject(notFound(id));
  }

  return {
    list: () => listChannels(db),
    get,
    create: (channel) => insertChannel(db, channel),
    async patch(id, changes) {
      const current = await get(id);
      const kindChanged = changes.kind !== undefined && changes.kind !== current.kind;
      const merged = {
        name: current.name,
        kind: current.kind,
        isDefault: current.isDefault,
        enabled: current.enabled,
        ...changes,
        // Values shown masked (webhook URL tokens, ntfy topic) and sent back keep what is stored.
        settings: restoreMaskedSettings(
          changes.kind ?? current.kind,
          kindChanged
            ? changes.settings
            : { ...current.settings, ...(isPlainObject(changes.settings) ? changes.settings : {}) },
          current,
        ),
        secrets: kindChanged
          ? changes.secrets
          : { ...current.secrets, ...(isPlainObject(changes.secrets) ? changes.secrets : {}) },
      };
      return (await updateChannel(db, id, parseChannelInput(merged))) ?? Promise.reject(notFound(id));
    },
    async remove(id) {
      if (!(await deleteChannel(db, id))) throw notFound(id);
    },
    async sendTest(id) {
      const channel = await get(id);
      try {
        await sendNotification(
          channel,
          {
            idempotencyKey: `test-${id}-${Date.now()}`,
            alertId: null,
            incidentKey: null,
            kind: 'TEST',
            monitor: null,
            cause: null,
            occurredAt: new Date(),
            outageSeconds: null,
            raisedLateSeconds: null,
            affectedMonitors: [],
            dashboardUrl: dashboardLink(options.publicUrl, null),
          },
          { timeoutMs: options.timeoutMs, addressPolicy: options.addressPolicy },
        );
        return { ok: true, error: null };
      } catch (error) {
        return { ok: false, error: (error as Error).message };
      }
    },
    channelsOfMonitor: (monitorId) => listMonitorChannelIds(db, monitorId),
    async setChannelsOfMonitor(monitorId, channelIds) {
      const unique = [...new Set(channelIds)];
      try {
        await setMonitorChannels(db, monitorId, unique);
      } catch (error) {
        if ((error as { code?: string }).code === '23503') {
          throw new ValidationError('the monitor or one of the channels does not exist', 'channelIds');
        }
        throw error;
      }
      return listMonitorChannelIds(db, monitorId);
    },
  };
}
