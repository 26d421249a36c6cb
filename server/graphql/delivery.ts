// Deliveries of alerts to channels: the log (per channel, per alert), live changes, and "retry now".
import type { Delivery } from '../alerts/index.ts';
import { AlertRef } from './alert.ts';
import { builder } from './builder.ts';
import { pageCost } from './complexity.ts';
import { MAX_BIGINT_ID, pageSize, parseNumericId } from './ids.ts';
import './scalars.ts';

const DeliveryStatusEnum = builder.enumType('DeliveryStatus', {
  description: 'Where the delivery of an alert to a channel stands.',
  values: {
    PENDING: {
      description: 'Waiting to be sent, or to be retried (then lastError says why the last attempt failed).',
    },
    DELIVERED: { description: 'Accepted by the receiver.' },
    FAILED: { description: 'Gave up after the last attempt, or refused for good.' },
    SUPPRESSED: { description: 'Not sent on purpose (maintenance, flapping, checker degraded, channel disabled).' },
  } as const,
});

const DeliveryRef = builder.objectRef<Delivery>('Delivery').implement({
  description: 'The sending of one alert to one channel.',
  fields: (t) => ({
    id: t.id({ description: 'Unique id.', resolve: (delivery) => delivery.id }),
    alertId: t.id({ description: 'The alert.', resolve: (delivery) => delivery.alertId }),
    alert: t.field({
      type: AlertRef,
      nullable: true,
      description: 'The alert (null once deleted).',
      resolve: (delivery, _, context) => context.loaders.alert.load(delivery.alertId),
    }),
    channelId: t.id({ description: 'The channel.', resolve: (delivery) => delivery.channelId }),
    status: t.field({
      type: DeliveryStatusEnum,
      description: 'Where it stands.',
      resolve: (delivery) => delivery.status,
    }),
    attempts: t.exposeInt('attempts', { description: 'Attempts so far.' }),
    nextAttemptAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it is tried next (pending only).',
      resolve: (delivery) => (delivery.status === 'PENDING' ? delivery.nextAttemptAt : null),
    }),
    lastError: t.exposeString('lastError', { nullable: true, description: 'Why the last attempt failed.' }),
    suppressedReason: t.exposeString('suppressedReason', { nullable: true, description: 'Why it was not sent.' }),
    deliveredAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it was accepted.',
      resolve: (d) => d.deliveredAt,
    }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was queued.', resolve: (d) => d.createdAt }),
  }),
});

builder.objectField(AlertRef, 'deliveries', (t) =>
  t.field({
    type: [DeliveryRef],
    description: 'Its deliveries to channels.',
    resolve: (alert, _, context) => context.alerts.deliveriesMatching({ alertIds: [alert.id], limit: 100 }),
  }),
);

const optionalId = (value: string | number | null | undefined, field: string, max?: number) =>
  value == null ? null : parseNumericId(value, field, max);

builder.queryField('deliveries', (t) =>
  t.field({
    authScopes: { viewer: true },
    type: [DeliveryRef],
    description: 'Deliveries, newest first: of one channel, one alert, or all.',
    complexity: pageCost(50, 500),
    args: {
      channelId: t.arg.id({ description: 'Only this channel’s deliveries.' }),
      alertId: t.arg.id({ description: 'Only this alert’s deliveries.' }),
      status: t.arg({ type: DeliveryStatusEnum, description: 'Only deliveries in this state.' }),
      first: t.arg.int({ description: 'How many (1 to 500, default 50).' }),
    },
    resolve: (_, args, context) => {
      const channelId = optionalId(args.channelId, 'channelId');
      const alertId = optionalId(args.alertId, 'alertId', MAX_BIGINT_ID);
      return context.alerts.deliveriesMatching({
        channelIds: channelId === null ? null : [channelId],
        alertIds: alertId === null ? null : [alertId],
        status: args.status ?? null,
        limit: pageSize(args.first, 50, 500),
      });
    },
  }),
);

builder.mutationField('retryDelivery', (t) =>
  t.field({
    authScopes: { editor: true },
    type: DeliveryRef,
    description:
      'Sends a failed delivery again now (or a retrying one without waiting); its attempts so far are kept. ' +
      'CONFLICT when it is being sent, delivered or suppressed.',
    args: { id: t.arg.id({ required: true, description: 'The delivery.' }) },
    resolve: (_, args, context) => context.alerts.retryDelivery(parseNumericId(args.id, 'id', MAX_BIGINT_ID)),
  }),
);

builder.subscriptionField('deliveryUpdated', (t) =>
  t.field({
    authScopes: { viewer: true },
    type: DeliveryRef,
    description:
      'Every delivery as it is queued and changes (being sent, sent, retrying, failed, suppressed, retried), ' +
      'optionally only those of one channel, one alert or one monitor’s alerts.',
    args: {
      channelId: t.arg.id({ description: 'Only this channel’s deliveries.' }),
      alertId: t.arg.id({ description: 'Only this alert’s deliveries.' }),
      monitorId: t.arg.id({ description: 'Only the deliveries of this monitor’s alerts.' }),
    },
    subscribe: (_, args, context) =>
      context.events.deliveries({
        channelId: optionalId(args.channelId, 'channelId'),
        alertId: optionalId(args.alertId, 'alertId', MAX_BIGINT_ID),
        monitorId: optionalId(args.monitorId, 'monitorId'),
      }),
    resolve: (change) => change.delivery,
  }),
);
