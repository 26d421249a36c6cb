// Live events (alerts, status transitions, check results) for subscribers, fed by PostgreSQL NOTIFY; and the
// NOTIFY channel names, which every listener and notifier takes from here.
export { startEventHub } from './hub.ts';
export type { DeliveryFilter, EventHub, EventHubOptions } from './hub.ts';
export { DEFAULT_TICK_MS } from './hub.ts';
export type { ChangeRound, MonitorChanges } from './changes.ts';
export type { StatusPageChange } from './page-changes.ts';
export * from './notify-channels.ts';
export { Subscription, SubscriberTooSlowError } from './subscription.ts';
