// Channels as stored, deliveries of alerts to channels, and maintenance windows.
import type { ChannelConfig } from './channels/types.ts';

export type Channel = ChannelConfig & {
  id: number;
  name: string;
  /** A default channel hears about every monitor. */
  isDefault: boolean;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
};

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

export interface MaintenanceWindow {
  id: number;
  name: string;
  /** null: every monitor. */
  monitorId: number | null;
  startsAt: Date | null;
  endsAt: Date | null;
  cron: string | null;
  durationMinutes: number | null;
  timeZone: string;
  createdAt: Date;
}
