// One alert's deliveries on the Alerts page: the delivery log (delivery-log.ts) of that alert, one row per channel
// it went to, live, with "Retry now" for editors. Its own chunk, loaded when a "Deliveries" section is first opened.
import { ChannelNamesQuery, DeliveriesQuery } from '../api/notification-documents.ts';
import type { AppContext } from '../context.ts';
import { t } from '../i18n/index.ts';
import { deliveryLog, type DeliveryLog } from './delivery-log.ts';

/** An alert goes to a handful of channels: all its deliveries fit. */
const PER_ALERT = 100;

/** Opens alerts' logs; the channels' names are read once for all of them (the first log to open reads them). */
export function alertDeliveries(ctx: AppContext): (alertId: string) => DeliveryLog {
  let names: Promise<Map<string, string>> | null = null;
  let known = new Map<string, string>();
  const channelNames = (): Promise<Map<string, string>> => {
    names ??= ctx.api.query(ChannelNamesQuery, {}).then(({ channels }) => {
      known = new Map(channels.map((channel) => [channel.id, channel.name]));
      return known;
    });
    // Read again next time when it failed (the log says why).
    names.catch(() => (names = null));
    return names;
  };
  return (alertId) =>
    deliveryLog(ctx, {
      filter: { alertId },
      showAlert: false,
      channelName: (id) => known.get(id) ?? t('delivery.channel', { id }),
      limit: PER_ALERT,
      load: async () => {
        const [, { deliveries }] = await Promise.all([
          channelNames(),
          ctx.api.query(DeliveriesQuery, { alertId, first: PER_ALERT }),
        ]);
        return deliveries;
      },
    });
}
