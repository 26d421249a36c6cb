// The public, read-only status page at /status: current states live, 90-day bars, no controls.
import '../styles.css';
import { createApi } from '../api/client.ts';
import { StatusesChanged } from '../api/documents.ts';
import { errorText } from '../api/errors.ts';
import type { MonitorStatus } from '../api/types.ts';
import { connectionIndicator } from '../ui/connection.ts';
import { h, replace } from '../ui/dom.ts';
import { inNextFrame } from '../ui/frame.ts';
import { loadStatus } from './data.ts';
import { monitorRow, overall } from './view.ts';

const POLL_MS = 60_000;

const api = createApi();
const main = document.getElementById('main')!;
const connection = connectionIndicator();
document.getElementById('connection-slot')!.replaceWith(connection.el);
const rows = new Map<string, { setStatus(status: MonitorStatus): void }>();
const statuses = new Map<string, MonitorStatus>();
const banner = h('div', { class: 'banner', attrs: { role: 'status' } });

const showBanner = (): void => {
  const { level, text } = overall([...statuses.values()]);
  banner.dataset['level'] = level;
  banner.textContent = text;
  document.title = level === 'major' ? `${text} · Status` : 'Status';
};

const load = async (): Promise<void> => {
  const monitors = await loadStatus(api);
  const now = Date.now();
  rows.clear();
  statuses.clear();
  const sorted = [...monitors].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  const items = sorted.map((monitor) => {
    statuses.set(monitor.id, monitor.status);
    const row = monitorRow(monitor, now);
    rows.set(monitor.id, row);
    return row.el;
  });
  showBanner();
  replace(
    main,
    h('h1', { class: 'visually-hidden' }, 'Service status'),
    banner,
    h('ul', { class: 'services' }, ...items),
    h(
      'p',
      { class: 'muted footnote' },
      `Updated live. Each bar is a UTC day: the share of its checks that succeeded; grey without checks.`,
    ),
  );
};

// Public: nobody logs in here. If the server keeps live updates for logged-in users (the socket or the
// subscription refused), the page reloads its figures every minute instead, and never sends anyone to a login.
let polling: ReturnType<typeof setInterval> | undefined;
const poll = (): void => {
  if (polling !== undefined) return;
  stopLive();
  api.pause();
  connection.set('live', 'Refreshed every minute');
  polling = setInterval(() => void load().catch(() => {}), POLL_MS);
};
// One message per tick with the monitors whose state changed; shown in one animation frame.
let changed = new Map<string, MonitorStatus>();
let reload = false;
const applyChanges = (): void => {
  const batch = changed;
  changed = new Map();
  if (reload) {
    reload = false;
    return void load().catch(() => {});
  }
  for (const [id, status] of batch) {
    statuses.set(id, status);
    rows.get(id)?.setStatus(status);
  }
  showBanner();
};
const stopLive = api.subscribe(
  StatusesChanged,
  {},
  ({ monitorsChanged: { monitors, removedIds } }) => {
    for (const { id, status } of monitors) {
      // A monitor made meanwhile: the page reads everything again (its bars, its place by name).
      if (!rows.has(id)) reload = true;
      changed.set(id, status);
    }
    if (removedIds.some((id) => rows.has(id))) reload = true;
    inNextFrame(applyChanges, applyChanges);
  },
  poll,
);
api.onUnauthorized(poll);
api.onConnection((state, reconnected) => {
  if (polling !== undefined) return;
  connection.set(state);
  if (reconnected) load().catch(() => {});
});

replace(main, h('p', { class: 'muted' }, 'Loading…'));
load().catch((error: unknown) =>
  replace(main, h('p', { class: 'error-text' }, `Could not load the status: ${errorText(error)}`)),
);
