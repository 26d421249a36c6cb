// Notification channels and deliveries.
import {
  parseChannelChanges,
  parseChannelInput,
  publicSettings,
  type Channel,
  type TestResult,
} from '../alerts/index.ts';
import { builder } from './builder.ts';
import './scalars.ts';
import { parseNumericId } from './ids.ts';
import { withoutNulls } from './inputs.ts';
import { MonitorRef } from './monitor.ts';

const ChannelKindEnum = builder.enumType('ChannelKind', {
  description: 'Where a channel sends notifications.',
  values: {
    WEBHOOK: { value: 'webhook', description: 'A JSON POST, signed with HMAC-SHA256 when a secret is set.' },
    EMAIL: { value: 'email', description: 'An email over SMTP.' },
    SLACK: { value: 'slack', description: 'A Slack incoming webhook.' },
    DISCORD: { value: 'discord', description: 'A Discord webhook.' },
    NTFY: { value: 'ntfy', description: 'An ntfy topic.' },
    TELEGRAM: { value: 'telegram', description: 'A Telegram chat, through a bot (sendMessage).' },
    TEAMS: { value: 'teams', description: 'A Microsoft Teams workflow webhook (an Adaptive Card).' },
    MATTERMOST: { value: 'mattermost', description: 'A Mattermost incoming webhook.' },
    GOOGLE_CHAT: { value: 'googlechat', description: 'A Google Chat space webhook (a card).' },
    PAGERDUTY: {
      value: 'pagerduty',
      description: 'A PagerDuty service (Events API v2): a DOWN triggers an incident, its UP resolves it.',
    },
    OPSGENIE: {
      value: 'opsgenie',
      description: 'Opsgenie (Alert API): a DOWN creates an alert, its UP closes it by alias.',
    },
    PUSHOVER: { value: 'pushover', description: 'A Pushover user or group.' },
    GOTIFY: { value: 'gotify', description: 'A Gotify server application.' },
    MATRIX: { value: 'matrix', description: 'A Matrix room (an m.notice, idempotent by transaction id).' },
  } as const,
});

export const ChannelRef = builder.objectRef<Channel>('Channel').implement({
  description: 'A place alerts are sent to. Its secrets are write-only and never returned.',
  fields: (t) => ({
    id: t.id({ description: 'Unique id.', resolve: (channel) => channel.id }),
    name: t.exposeString('name', { description: 'Display name.' }),
    kind: t.field({ type: ChannelKindEnum, description: 'Channel kind.', resolve: (channel) => channel.kind }),
    settings: t.field({
      type: 'JSON',
      description: 'Its settings, with secrets left out (has… flags such as hasSecret or hasToken say which are set).',
      resolve: (channel) => publicSettings(channel) as unknown,
    }),
    isDefault: t.exposeBoolean('isDefault', { description: 'Receives the alerts of every monitor.' }),
    enabled: t.exposeBoolean('enabled', { description: 'A disabled channel receives nothing.' }),
    createdAt: t.field({ type: 'DateTime', description: 'Creation time.', resolve: (channel) => channel.createdAt }),
  }),
});

const TestResultRef = builder.objectRef<TestResult>('ChannelTestResult').implement({
  description: 'The outcome of a test notification.',
  fields: (t) => ({
    ok: t.exposeBoolean('ok', { description: 'The receiver accepted it.' }),
    error: t.exposeString('error', { nullable: true, description: 'Why it failed.' }),
  }),
});

const ChannelInput = builder.inputType('ChannelInput', {
  description: 'A channel, or changes to one (secrets not given keep their value).',
  fields: (t) => ({
    name: t.string({ description: 'Display name.' }),
    kind: t.field({ type: ChannelKindEnum, description: 'Channel kind (required to create).' }),
    settings: t.field({ type: 'JSON', description: 'Kind-specific settings, e.g. {"url": "..."} for a webhook.' }),
    secrets: t.field({ type: 'JSON', description: 'Kind-specific secrets, e.g. {"secret": "..."}; write-only.' }),
    isDefault: t.boolean({ description: 'Receive the alerts of every monitor.' }),
    enabled: t.boolean({ description: 'Enable or disable.' }),
  }),
});

builder.queryField('channels', (t) =>
  t.field({
    authScopes: { viewer: true },
    type: [ChannelRef],
    description: 'Every notification channel.',
    resolve: (_, __, context) => context.channels.list(),
  }),
);

builder.objectField(MonitorRef, 'channelIds', (t) =>
  t.field({
    type: ['ID'],
    description: 'The channels attached to it (default channels hear about it as well).',
    resolve: (monitor, _, context) => context.channels.channelsOfMonitor(monitor.id),
  }),
);

builder.mutationFields((t) => ({
  createChannel: t.field({
    authScopes: { admin: true },
    type: ChannelRef,
    description: 'Creates a notification channel.',
    args: { input: t.arg({ type: ChannelInput, required: true, description: 'The channel.' }) },
    resolve: (_, args, context) => context.channels.create(parseChannelInput(withoutNulls(args.input))),
  }),
  updateChannel: t.field({
    authScopes: { admin: true },
    type: ChannelRef,
    description: 'Changes a channel; secrets not given keep their value.',
    args: {
      id: t.arg.id({ required: true, description: 'Its id.' }),
      input: t.arg({ type: ChannelInput, required: true, description: 'The changes.' }),
    },
    resolve: (_, args, context) =>
      context.channels.patch(parseNumericId(args.id, 'id'), parseChannelChanges(withoutNulls(args.input))),
  }),
  deleteChannel: t.field({
    authScopes: { admin: true },
    type: 'ID',
    description: 'Deletes a channel; returns its id.',
    args: { id: t.arg.id({ required: true, description: 'Its id.' }) },
    resolve: async (_, args, context) => {
      const id = parseNumericId(args.id, 'id');
      await context.channels.remove(id);
      return id;
    },
  }),
  testChannel: t.field({
    authScopes: { admin: true },
    type: TestResultRef,
    description: 'Sends a test notification through a channel now.',
    args: { id: t.arg.id({ required: true, description: 'Its id.' }) },
    resolve: (_, args, context) => context.channels.sendTest(parseNumericId(args.id, 'id')),
  }),
  setMonitorChannels: t.field({
    authScopes: { editor: true },
    type: ['ID'],
    description: 'Sets the channels attached to a monitor; returns their ids.',
    args: {
      monitorId: t.arg.id({ required: true, description: 'The monitor.' }),
      channelIds: t.arg.idList({ required: true, description: 'The channels.' }),
    },
    resolve: async (_, args, context) => {
      const monitor = await context.monitors.get(parseNumericId(args.monitorId, 'monitorId'));
      return context.channels.setChannelsOfMonitor(
        monitor.id,
        args.channelIds.map((id) => parseNumericId(id, 'channelIds')),
      );
    },
  }),
}));
