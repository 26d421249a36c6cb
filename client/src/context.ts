// What every view gets: the API, the session, the monitor store, live events, navigation and notices.
import type { Api } from './api/client.ts';
import type { Live } from './live.ts';
import type { Session } from './state/session.ts';
import type { MonitorStore } from './state/monitors.ts';

export interface AppContext {
  api: Api;
  /** Who is logged in; replaced when someone logs in again. Views read it when they are built. */
  session: Session;
  store: MonitorStore;
  live: Live;
  navigate(path: string, options?: { replace?: boolean }): void;
  /** A short message in the notice area (polite live region). */
  notify(message: string, kind?: 'info' | 'error'): void;
}
