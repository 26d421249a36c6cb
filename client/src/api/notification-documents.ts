// GraphQL documents of notifications: channels, which channels a monitor notifies, and the delivery log. Part of
// the lazily loaded chunks of the Notifications page and of the monitor's notification settings.
import { gql } from '@urql/core';

/** ChannelKind as GraphQL spells it. */
export type ChannelKind =
  | 'WEBHOOK'
  | 'EMAIL'
  | 'SLACK'
  | 'DISCORD'
  | 'NTFY'
  | 'TELEGRAM'
  | 'TEAMS'
  | 'MATTERMOST'
  | 'GOOGLE_CHAT'
  | 'PAGERDUTY'
  | 'OPSGENIE'
  | 'PUSHOVER'
  | 'GOTIFY'
  | 'MATRIX';

export interface ChannelRow {
  id: string;
  name: string;
  kind: ChannelKind;
  /** Settings without secrets; has… flags (hasSecret, hasToken…) say which secrets are set. */
  settings: Record<string, unknown>;
  isDefault: boolean;
  enabled: boolean;
  createdAt: string;
}

export interface ChannelInput {
  name?: string;
  kind?: ChannelKind;
  settings?: Record<string, unknown>;
  /** Only the secrets typed in: those left out keep their value. */
  secrets?: Record<string, unknown>;
  isDefault?: boolean;
  enabled?: boolean;
}

export type DeliveryStatus = 'PENDING' | 'DELIVERED' | 'FAILED' | 'SUPPRESSED';

export interface DeliveryRow {
  id: string;
  alertId: string;
  channelId: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  suppressedReason: string | null;
  deliveredAt: string | null;
  createdAt: string;
  alert: {
    id: string;
    kind: string;
    cause: string | null;
    createdAt: string;
    monitor: { id: string; name: string } | null;
  } | null;
}

export interface MonitorNotifications {
  id: string;
  channelIds: string[];
  reminderMinutes: number | null;
  certificateAlertDays: number;
}

const CHANNEL_FIELDS = 'id name kind settings isDefault enabled createdAt';
const DELIVERY_FIELDS = `id alertId channelId status attempts nextAttemptAt lastError suppressedReason deliveredAt
  createdAt alert { id kind cause createdAt monitor { id name } }`;

export const ChannelsQuery = gql<{ channels: ChannelRow[] }, Record<string, never>>(
  `query Channels { channels { ${CHANNEL_FIELDS} } }`,
);

export const CreateChannel = gql<{ createChannel: ChannelRow }, { input: ChannelInput }>(
  `mutation CreateChannel($input: ChannelInput!) { createChannel(input: $input) { ${CHANNEL_FIELDS} } }`,
);

export const UpdateChannel = gql<{ updateChannel: ChannelRow }, { id: string; input: ChannelInput }>(
  `mutation UpdateChannel($id: ID!, $input: ChannelInput!) { updateChannel(id: $id, input: $input) { ${CHANNEL_FIELDS} } }`,
);

export const DeleteChannel = gql<{ deleteChannel: string }, { id: string }>(
  `mutation DeleteChannel($id: ID!) { deleteChannel(id: $id) }`,
);

export const TestChannel = gql<{ testChannel: { ok: boolean; error: string | null } }, { id: string }>(
  `mutation TestChannel($id: ID!) { testChannel(id: $id) { ok error } }`,
);

export const DeliveriesQuery = gql<
  { deliveries: DeliveryRow[] },
  { channelId?: string | null; alertId?: string | null; first?: number }
>(
  `query Deliveries($channelId: ID, $alertId: ID, $first: Int) {
    deliveries(channelId: $channelId, alertId: $alertId, first: $first) { ${DELIVERY_FIELDS} } }`,
);

/** The deliveries of a monitor's latest alerts, newest alert first. */
export const MonitorDeliveriesQuery = gql<
  { monitor: { alerts: Array<{ deliveries: DeliveryRow[] }> } },
  { id: string; first: number }
>(
  `query MonitorDeliveries($id: ID!, $first: Int) {
    monitor(id: $id) { alerts(first: $first) { deliveries { ${DELIVERY_FIELDS} } } } }`,
);

export const DeliveryUpdated = gql<
  { deliveryUpdated: DeliveryRow },
  { channelId?: string | null; alertId?: string | null; monitorId?: string | null }
>(
  `subscription DeliveryUpdated($channelId: ID, $alertId: ID, $monitorId: ID) {
    deliveryUpdated(channelId: $channelId, alertId: $alertId, monitorId: $monitorId) { ${DELIVERY_FIELDS} } }`,
);

export const RetryDelivery = gql<{ retryDelivery: DeliveryRow }, { id: string }>(
  `mutation RetryDelivery($id: ID!) { retryDelivery(id: $id) { ${DELIVERY_FIELDS} } }`,
);

export const MonitorNotificationsQuery = gql<{ monitor: MonitorNotifications; channels: ChannelRow[] }, { id: string }>(
  `query MonitorNotifications($id: ID!) {
    monitor(id: $id) { id channelIds reminderMinutes certificateAlertDays }
    channels { ${CHANNEL_FIELDS} } }`,
);

export const SetMonitorChannels = gql<{ setMonitorChannels: string[] }, { monitorId: string; channelIds: string[] }>(
  `mutation SetMonitorChannels($monitorId: ID!, $channelIds: [ID!]!) {
    setMonitorChannels(monitorId: $monitorId, channelIds: $channelIds) }`,
);

export const UpdateMonitorNotifications = gql<
  { updateMonitor: MonitorNotifications },
  { id: string; reminderMinutes: number | null; certificateAlertDays: number }
>(
  `mutation UpdateMonitorNotifications($id: ID!, $reminderMinutes: Int, $certificateAlertDays: Int) {
    updateMonitor(id: $id, input: { reminderMinutes: $reminderMinutes, certificateAlertDays: $certificateAlertDays }) {
      id channelIds reminderMinutes certificateAlertDays } }`,
);
