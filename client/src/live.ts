// The dashboard's live subscriptions: the list's coalesced stream (monitorsChanged: per tick, the monitors that
// changed, applied to the store in one animation frame), new alerts, and every result of one monitor for its page.
import type { Api } from './api/client.ts';
import { AlertRaised, CheckCompleted, MonitorsChanged } from './api/documents.ts';
import { isUnauthenticated } from './api/errors.ts';
import type { Alert, CheckResult, LastResult } from './api/types.ts';
import { BAR_LENGTH, type MonitorChange, type MonitorStore } from './state/monitors.ts';
import { inNextFrame } from './ui/frame.ts';

type Listener<T> = (event: T) => void;

export interface Live {
  /** Every result of one monitor (checkCompleted filtered by the server), for its page; returns the stop. */
  onCheck(monitorId: string, listener: Listener<CheckResult>): () => void;
  onAlert(listener: Listener<Alert>): () => void;
  /** The server ended the list's stream (a reader too slow, an error): it is followed again; reload the list. */
  onGap(listener: Listener<void>): () => void;
  stop(): void;
}

/** Wait before following the list's stream again after the server ended it. */
const RESUBSCRIBE_MS = 1000;

function channel<T>() {
  const listeners = new Set<Listener<T>>();
  return {
    emit: (event: T) => listeners.forEach((listener) => listener(event)),
    on: (listener: Listener<T>) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

/**
 * Ticks received since the last frame, merged: the newest state of each monitor and the results seen meanwhile
 * (a tab in the background gets no frames: it keeps one entry per monitor, at most BAR_LENGTH results each).
 */
export class ChangeBuffer {
  private changes = new Map<string, MonitorChange>();
  private removed = new Set<string>();

  get size(): number {
    return this.changes.size + this.removed.size;
  }

  add(monitors: MonitorChange['monitor'][], removedIds: string[]): void {
    for (const monitor of monitors) {
      const known = this.changes.get(monitor.id);
      const results: LastResult[] = known ? known.results : [];
      const last = monitor.lastResult;
      if (last && results.at(-1)?.checkedAt !== last.checkedAt) {
        results.push(last);
        if (results.length > BAR_LENGTH) results.shift();
      }
      this.changes.set(monitor.id, { monitor, results });
    }
    for (const id of removedIds) {
      this.changes.delete(id);
      this.removed.add(id);
    }
  }

  /** Hands the merged changes over and starts afresh. */
  take(): { changes: MonitorChange[]; removedIds: string[] } {
    const taken = { changes: [...this.changes.values()], removedIds: [...this.removed] };
    this.changes = new Map();
    this.removed = new Set();
    return taken;
  }
}

export function startLive(api: Api, store: MonitorStore): Live {
  const alerts = channel<Alert>();
  const gaps = channel<void>();
  const buffer = new ChangeBuffer();
  const apply = (): void => {
    const { changes, removedIds } = buffer.take();
    store.applyChanges(changes, removedIds);
  };
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const followChanges = (): (() => void) =>
    api.subscribe(
      MonitorsChanged,
      {},
      ({ monitorsChanged: { monitors, removedIds } }) => {
        buffer.add(monitors, removedIds);
        inNextFrame(buffer, apply);
      },
      (error) => {
        // A refused session goes to the login screen (client.ts); anything else ended this stream only.
        if (stopped || isUnauthenticated(error)) return;
        stopChanges();
        clearTimeout(retry);
        retry = setTimeout(() => {
          if (stopped) return;
          stopChanges = followChanges();
          gaps.emit();
        }, RESUBSCRIBE_MS);
      },
    );
  let stopChanges = followChanges();
  const stopAlerts = api.subscribe(AlertRaised, {}, ({ alertRaised }) => alerts.emit(alertRaised));
  return {
    onCheck: (monitorId, listener) =>
      api.subscribe(CheckCompleted, { monitorId }, ({ checkCompleted }) => listener(checkCompleted)),
    onAlert: alerts.on,
    onGap: gaps.on,
    stop: () => {
      stopped = true;
      clearTimeout(retry);
      stopChanges();
      stopAlerts();
    },
  };
}
