// The WebSocket connection's states, their words, and the reconnect back-off.
import { labels } from '../i18n/index.ts';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

export const CONNECTION_TEXT: Readonly<Record<ConnectionState, string>> = labels({
  connecting: 'connection.connecting',
  live: 'connection.live',
  reconnecting: 'connection.reconnecting',
});

/** Wait before the nth retry (0-based): 0.5 s, 1 s, 2 s, 4 s, then 8 s at most, with ±20 % jitter. */
export function backoffMs(retries: number, random: () => number = Math.random): number {
  const base = Math.min(500 * 2 ** Math.max(0, retries), 8000);
  return Math.round(base * (0.8 + 0.4 * random()));
}
