// GraphQL documents of notifications: channels, which channels a monitor notifies, and the delivery log. Part of
// the lazily loaded chunks of the Notifications page and of a monitor's notification settings.
import { gql } from '@urql/core';
import type * as Generated from './generated.ts';

export type ChannelKind = Generated.ChannelKind;
export type ChannelInput = Generated.ChannelInput;
export type DeliveryStatus = Generated.DeliveryStatus;

/** A channel; its settings (JSON) come without secrets: has… flags (hasSecret, hasToken…) say which are set. */
export type ChannelRow = Generated.ChannelFragment;
export type DeliveryRow = Generated.DeliveryFragment;
export type MonitorNotifications = Generated.MonitorNotificationsFragment;

const ChannelFields = gql`
  fragment Channel on Channel { id name kind settings isDefault enabled createdAt }
`;

const DeliveryFields = gql`
  fragment Delivery on Delivery {
    id alertId channelId status attempts nextAttemptAt lastError suppressedReason deliveredAt createdAt
    alert { id kind cause createdAt monitor { id name } }
  }
`;

const MonitorNotificationsFields = gql`
  fragment MonitorNotifications on Monitor { id channelIds reminderMinutes certificateAlertDays }
`;

export const ChannelsQuery = gql<Generated.ChannelsQuery, Generated.ChannelsQueryVariables>`
  query Channels { channels { ...Channel } }
  ${ChannelFields}
`;

export const CreateChannel = gql<Generated.CreateChannelMutation, Generated.CreateChannelMutationVariables>`
  mutation CreateChannel($input: ChannelInput!) { createChannel(input: $input) { ...Channel } }
  ${ChannelFields}
`;

export const UpdateChannel = gql<Generated.UpdateChannelMutation, Generated.UpdateChannelMutationVariables>`
  mutation UpdateChannel($id: ID!, $input: ChannelInput!) { updateChannel(id: $id, input: $input) { ...Channel } }
  ${ChannelFields}
`;

export const DeleteChannel = gql<Generated.DeleteChannelMutation, Generated.DeleteChannelMutationVariables>`
  mutation DeleteChannel($id: ID!) { deleteChannel(id: $id) }
`;

export const TestChannel = gql<Generated.TestChannelMutation, Generated.TestChannelMutationVariables>`
  mutation TestChannel($id: ID!) { testChannel(id: $id) { ok error } }
`;

/** The channels' names only: what a delivery log of several channels shows (readable by viewers). */
export const ChannelNamesQuery = gql<Generated.ChannelNamesQuery, Generated.ChannelNamesQueryVariables>`
  query ChannelNames { channels { id name } }
`;

export const DeliveriesQuery = gql<Generated.DeliveriesQuery, Generated.DeliveriesQueryVariables>`
  query Deliveries($channelId: ID, $alertId: ID, $first: Int) {
    deliveries(channelId: $channelId, alertId: $alertId, first: $first) { ...Delivery }
  }
  ${DeliveryFields}
`;

/** The deliveries of a monitor's latest alerts, newest alert first. */
export const MonitorDeliveriesQuery = gql<Generated.MonitorDeliveriesQuery, Generated.MonitorDeliveriesQueryVariables>`
  query MonitorDeliveries($id: ID!, $first: Int) {
    monitor(id: $id) { alerts(first: $first) { deliveries { ...Delivery } } }
  }
  ${DeliveryFields}
`;

export const DeliveryUpdated = gql<
  Generated.DeliveryUpdatedSubscription,
  Generated.DeliveryUpdatedSubscriptionVariables
>`
  subscription DeliveryUpdated($channelId: ID, $alertId: ID, $monitorId: ID) {
    deliveryUpdated(channelId: $channelId, alertId: $alertId, monitorId: $monitorId) { ...Delivery }
  }
  ${DeliveryFields}
`;

export const RetryDelivery = gql<Generated.RetryDeliveryMutation, Generated.RetryDeliveryMutationVariables>`
  mutation RetryDelivery($id: ID!) { retryDelivery(id: $id) { ...Delivery } }
  ${DeliveryFields}
`;

export const MonitorNotificationsQuery = gql<
  Generated.MonitorNotificationsQuery,
  Generated.MonitorNotificationsQueryVariables
>`
  query MonitorNotifications($id: ID!) {
    monitor(id: $id) { ...MonitorNotifications }
    channels { ...Channel }
  }
  ${MonitorNotificationsFields}
  ${ChannelFields}
`;

export const SetMonitorChannels = gql<
  Generated.SetMonitorChannelsMutation,
  Generated.SetMonitorChannelsMutationVariables
>`
  mutation SetMonitorChannels($monitorId: ID!, $channelIds: [ID!]!) {
    setMonitorChannels(monitorId: $monitorId, channelIds: $channelIds)
  }
`;

export const UpdateMonitorNotifications = gql<
  Generated.UpdateMonitorNotificationsMutation,
  Generated.UpdateMonitorNotificationsMutationVariables
>`
  mutation UpdateMonitorNotifications($id: ID!, $reminderMinutes: Int, $certificateAlertDays: Int) {
    updateMonitor(id: $id, input: { reminderMinutes: $reminderMinutes, certificateAlertDays: $certificateAlertDays }) {
      ...MonitorNotifications
    }
  }
  ${MonitorNotificationsFields}
`;
