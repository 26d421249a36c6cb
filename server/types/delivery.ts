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
