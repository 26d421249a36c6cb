// Notifications and hostile monitor names shared by the channel tests.
import type { Notification } from '../../../server/alerts/channels/index.ts';

/** Names that must come out as written: no template, no code, no file, no markup is ever interpreted. */
export const HOSTILE_NAMES = [
  '{{constructor}}',
  '${process.env.HOME}',
  "{% include '/etc/passwd' %}",
  '<script>alert(1)</script>',
] as const;

export function notification(overrides: Partial<Notification> = {}): Notification {
  return {
    idempotencyKey: 'alert-42-channel-3',
    alertId: 42,
    incidentKey: 'vigie-monitor-7-down-42',
    kind: 'DOWN',
    monitor: { id: 7, name: 'Shop API', target: 'https://shop.example.com/health' },
    cause: 'HTTP 500',
    occurredAt: new Date('2025-01-10T14:30:00.000Z'),
    outageSeconds: null,
    raisedLateSeconds: null,
    affectedMonitors: [],
    dashboardUrl: 'http://vigie.example.com/monitors/7',
    ...overrides,
  };
}

/** Both ways an error is usually shown: its message and String(error) (name and message). */
export function errorTexts(error: unknown): string {
  return `${String(error)}\n${(error as Error).message}\n${(error as Error).stack ?? ''}`;
}
