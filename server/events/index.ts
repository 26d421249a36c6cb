// Live events (alerts, status transitions, check results) for subscribers, fed by PostgreSQL NOTIFY.
export { startEventHub } from './hub.ts';
export type { EventHub, EventHubOptions } from './hub.ts';
export { Subscription, SubscriberTooSlowError } from './subscription.ts';
