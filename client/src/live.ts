// The dashboard's three live subscriptions (all monitors), fanned out to the store and to the open views.
import type { Api } from './api/client.ts';
import { AlertRaised, CheckCompleted, MonitorRowQuery, StatusChanged } from './api/documents.ts';
import type { Alert, CheckResult, StatusChange } from './api/types.ts';
import type { MonitorStore } from './state/monitors.ts';

type Listener<T> = (event: T) => void;

const MAX_ROW_REFRESHES = 10;

export interface Live {
  onCheck(listener: Listener<CheckResult>): () => void;
  onStatus(listener: Listener<StatusChange>): () => void;
  onAlert(listener: Listener<Alert>): () => void;
  stop(): void;
}

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

export function startLive(api: Api, store: MonitorStore): Live {
  const checks = channel<CheckResult>();
  const statuses = channel<StatusChange>();
  const alerts = channel<Alert>();
  const fetching = new Set<string>();
  // A monitor created elsewhere (another tab, the API) shows up with its first event.
  const fetchUnknown = (id: string): void => {
    if (!store.loaded || fetching.has(id)) return;
    fetching.add(id);
    api
      .query(MonitorRowQuery, { id })
      .then((data) => store.upsert(data.monitor))
      .catch(() => {})
      .finally(() => fetching.delete(id));
  };
  // Re-reads one row: its 24 h availability after a status change, or the status of a PENDING monitor, whose
  // first result sets its state without a transition event (the server records transitions from then on).
  const refreshRow = (id: string, wasPending: boolean): void => {
    // A burst (a network outage turns everything DOWN) must not become a burst of queries: availability waits.
    if (fetching.has(id) || fetching.size >= MAX_ROW_REFRESHES) return;
    fetching.add(id);
    api
      .query(MonitorRowQuery, { id })
      .then(({ monitor }) => {
        store.upsert(monitor);
        if (wasPending && monitor.status !== 'PENDING') {
          statuses.emit({
            id: `first-${id}`,
            monitorId: id,
            status: monitor.status,
            previous: 'PENDING',
            changedAt: new Date().toISOString(),
          });
        }
      })
      .catch(() => {})
      .finally(() => fetching.delete(id));
  };
  const stops = [
    api.subscribe(CheckCompleted, {}, ({ checkCompleted: result }) => {
      if (result.monitorId !== null) {
        if (!store.check(result)) fetchUnknown(result.monitorId);
        else if (store.get(result.monitorId)?.status === 'PENDING') refreshRow(result.monitorId, true);
      }
      checks.emit(result);
    }),
    api.subscribe(StatusChanged, {}, ({ monitorStatusChanged: change }) => {
      if (!store.status(change.monitorId, change.status)) fetchUnknown(change.monitorId);
      else refreshRow(change.monitorId, false);
      statuses.emit(change);
    }),
    api.subscribe(AlertRaised, {}, ({ alertRaised }) => alerts.emit(alertRaised)),
  ];
  return {
    onCheck: checks.on,
    onStatus: statuses.on,
    onAlert: alerts.on,
    stop: () => stops.forEach((stop) => stop()),
  };
}
