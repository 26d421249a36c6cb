// The delivery of one alert to one channel.

export type DeliveryStatus = 'PENDING' | 'DELIVERED' | 'FAILED' | 'SUPPRESSED';

export interface Delivery {
  id: number;
  alertId: number;
  channelId: number;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  suppressedReason: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

/** A delivery as it is after a change, for live streams: `id` is the change's number, increasing. */
export interface DeliveryChange {
  id: number;
  /** The monitor of its alert (null for notices about Vigie itself). */
  monitorId: number | null;
  delivery: Delivery;
}
