// What every view gets: the API, the monitor store, live events, navigation and notices.
import type { Api } from './api/client.ts';
import type { Live } from './live.ts';
import type { MonitorStore } from './state/monitors.ts';

export interface AppContext {
  api: Api;
  store: MonitorStore;
  live: Live;
  navigate(path: string, options?: { replace?: boolean }): void;
  /** A short message in the notice area (polite live region). */
  notify(message: string, kind?: 'info' | 'error'): void;
}
