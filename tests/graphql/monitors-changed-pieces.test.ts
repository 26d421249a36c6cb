// monitorsChanged built from pieces (each monitor executed once per tick for every group that selects it the same
// way): each group still gets exactly the payload its own document asks for (aliases, fragments, __typename, field
// order, variables used in the selection), and a piece made for one role never reaches another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createMonitor } from '../helpers/factories.ts';
import { collect, resultWriter, type Collected } from '../helpers/graphql.ts';
import { AUTH_ON, as, createActors, liveClient, type Actors, type LiveClient } from '../auth/support.ts';

const TICK_MS = 200;

let app: TestApp;
let actors: Actors;
const clients: LiveClient[] = [];

beforeAll(async () => {
  app = await startTestApp({ ...AUTH_ON, TEMPS_REEL_INTERVALLE_MS: String(TICK_MS) });
  // Only the tests write results.
  await app.scheduler.stop();
  actors = await createActors(app);
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((live) => live.client.dispose()));
  await app?.close();
});

const socketAs = (token: string) => {
  const live = liveClient(app, `Bearer ${token}`);
  clients.push(live);
  return live.client;
};

/** The raw JSON of each message (key order included), as the client parsed it. */
const messages = (collected: Collected) => collected.events.map((event) => JSON.stringify(event));

describe('monitorsChanged by pieces', () => {
  it('gives each group exactly its own document’s payload, whatever other groups share its pieces', async () => {
    const writer = await resultWriter(app.testDb);
    const a = (await createMonitor(app.testDb.db, { name: 'piece a', paused: true })).id;
    const b = (await createMonitor(app.testDb.db, { name: 'piece b', paused: true })).id;
    const shaped = `subscription Shaped($ids: [ID!], $withName: Boolean!) {
      list: monitorsChanged(ids: $ids) {
        __typename
        gone: removedIds
        rows: monitors { __typename id ...Row }
        ...Times
        monitors { status }
      }
    }
    fragment Row on Monitor { label: name @include(if: $withName) lastResult { isUp } }
    fragment Times on MonitorsChange { at }`;
    const plain = `subscription ($ids: [ID!]) { monitorsChanged(ids: $ids) { monitors { id name } } }`;
    const token = actors.viewer.token;
    const both = collect(socketAs(token), shaped, { ids: [String(a), String(b)], withName: true });
    const onlyB = collect(socketAs(token), shaped, { ids: [String(b)], withName: true });
    const unnamed = collect(socketAs(token), shaped, { ids: [String(b)], withName: false });
    const plainB = collect(socketAs(token), plain, { ids: [String(b)] });
    await expect.poll(() => app.subscriptions.groupCount, { timeout: 5000 }).toBe(4);

    await writer.insert(a, [true]);
    await writer.insert(b, [false]);
    const all = [both, onlyB, unnamed, plainB];
    // Both results may fall in one tick or two: wait until each view saw its monitors.
    const seen = (collected: Collected, key: string, field: string) =>
      collected.events.flatMap((event) => event[key][field].map((monitor: { id?: string }) => monitor.id));
    await expect.poll(() => seen(both, 'list', 'rows').sort(), { timeout: 5000 }).toEqual([String(a), String(b)]);
    for (const view of [onlyB, unnamed]) await expect.poll(() => seen(view, 'list', 'rows')).toEqual([String(b)]);
    await expect.poll(() => seen(plainB, 'monitorsChanged', 'monitors')).toEqual([String(b)]);
    expect(all.flatMap((collected) => collected.errors)).toEqual([]);

    const at = (collected: Collected) => (collected.events[0] as { list: { at: string } }).list.at;
    const row = (id: number, name: string | null, isUp: boolean) => ({
      __typename: 'Monitor',
      id: String(id),
      ...(name === null ? {} : { label: name }),
      lastResult: { isUp },
    });
    const view = (rows: object[], statuses: string[], time: string | undefined) => ({
      list: {
        __typename: 'MonitorsChange',
        gone: [],
        rows,
        at: time,
        monitors: statuses.map((status) => ({ status })),
      },
    });
    expect(messages(onlyB)).toEqual([JSON.stringify(view([row(b, 'piece b', false)], ['PAUSED'], at(onlyB)))]);
    expect(messages(unnamed)).toEqual([JSON.stringify(view([row(b, null, false)], ['PAUSED'], at(unnamed)))]);
    expect(messages(plainB)).toEqual([
      JSON.stringify({ monitorsChanged: { monitors: [{ id: String(b), name: 'piece b' }] } }),
    ]);
    for (const collected of all) collected.dispose();
    await expect.poll(() => app.subscriptions.subscribers, { timeout: 5000 }).toBe(0);
    await writer.close();
  });

  it('never hands a piece made for one role to another (a heartbeat’s ping URL: editors only)', async () => {
    const writer = await resultWriter(app.testDb);
    const created = await as(app, actors.admin.token).call('POST', '/api/moniteurs', {
      nom: 'pieces heartbeat',
      type: 'push',
      en_pause: true,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { id, url_ping: pingUrl } = created.body.moniteur;
    const query = `subscription ($ids: [ID!]) { monitorsChanged(ids: $ids) { monitors { id pingUrl } } }`;
    const ofViewer = collect(socketAs(actors.viewer.token), query, { ids: [String(id)] });
    const ofViewerAll = collect(socketAs(actors.viewer.token), query, {});
    const ofEditor = collect(socketAs(actors.editor.token), query, { ids: [String(id)] });
    const ofEditorAll = collect(socketAs(actors.editor.token), query, {});
    await expect.poll(() => app.subscriptions.groupCount, { timeout: 5000 }).toBe(4);

    await writer.insert(id, [true]);
    const views = [ofViewer, ofViewerAll, ofEditor, ofEditorAll];
    for (const view of views) await expect.poll(() => view.events.length, { timeout: 5000 }).toBe(1);
    const monitorsOf = (collected: Collected) => collected.events[0].monitorsChanged.monitors;
    expect(monitorsOf(ofViewer)).toEqual([{ id: String(id), pingUrl: null }]);
    expect(monitorsOf(ofViewerAll)).toEqual([{ id: String(id), pingUrl: null }]);
    expect(monitorsOf(ofEditor)).toEqual([{ id: String(id), pingUrl }]);
    expect(monitorsOf(ofEditorAll)).toEqual([{ id: String(id), pingUrl }]);
    expect(views.flatMap((collected) => collected.errors)).toEqual([]);
    for (const collected of views) collected.dispose();
    await expect.poll(() => app.subscriptions.subscribers, { timeout: 5000 }).toBe(0);
    await writer.close();
  });
});
