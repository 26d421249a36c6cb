// Execute once, send many: subscribers of the same operation, variables and role share one execution per event
// (over graphql-ws and SSE alike); other variables or another role get their own; a subscriber that stops
// reading is ended alone while the others of its group receive everything.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertResults } from '../../server/results/index.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { createMonitor, result } from '../helpers/factories.ts';
import { collect, resultWriter, startGraphQLApp, type Collected, type GraphQLTestApp } from '../helpers/graphql.ts';
import { MAX_OPERATIONS_PER_SOCKET } from '../../server/graphql/server.ts';
import { AUTH_ON, createActors, createApiKey, liveClient, type Actors, type LiveClient } from '../auth/support.ts';

const RESULTS = `subscription ($id: ID) { checkCompleted(monitorId: $id) { id monitorId isUp } }`;
const ids = (collected: Collected) => collected.events.map((event) => Number(event.checkCompleted.id));

/** A subscription over SSE: what arrived so far, parsed. */
async function sse(url: string, query: string, variables: Record<string, unknown>, token?: string) {
  const controller = new AbortController();
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      accept: 'text/event-stream',
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
    signal: controller.signal,
  });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  void (async () => {
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (chunk.done) return;
      text += chunk.value;
    }
  })();
  return {
    events: () => [...text.matchAll(/^event: next\ndata: (.+)$/gm)].map((match) => JSON.parse(match[1]!).data),
    close: () => controller.abort(),
  };
}

describe('one execution per event for identical subscriptions', () => {
  let app: GraphQLTestApp;

  beforeAll(async () => {
    app = await startGraphQLApp();
    await app.scheduler.stop();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  it('executes each event once for four WebSocket and one SSE subscriber, and once more per other variables', async () => {
    const writer = await resultWriter(app.testDb);
    const [watched, other] = [(await createMonitor(app.db)).id, (await createMonitor(app.db)).id];
    const same = Array.from({ length: 4 }, () => collect(app.wsClient(), RESULTS, { id: String(watched) }));
    const overSse = await sse(app.url, RESULTS, { id: String(watched) });
    const all = collect(app.wsClient(), RESULTS, {});
    await expect.poll(() => app.subscriptions.subscribers, { timeout: 5000 }).toBe(6);
    // Two groups (watched, everything): the event hub follows two subscriptions, not six.
    expect(app.subscriptions.groupCount).toBe(2);
    expect(app.events.subscriberCount).toBe(2);
    const before = app.subscriptions.executions;

    const written = await writer.insert(watched, [true, false, true]);
    const elsewhere = await writer.insert(other, [true]);
    for (const collected of same) await expect.poll(() => ids(collected), { timeout: 5000 }).toEqual(written);
    await expect
      .poll(() => overSse.events().map((event) => Number(event.checkCompleted.id)), { timeout: 5000 })
      .toEqual(written);
    await expect.poll(() => ids(all), { timeout: 5000 }).toEqual([...written, ...elsewhere]);
    // 3 events for the watched group, 4 for the group of everything: 7 executions for 19 messages.
    expect(app.subscriptions.executions - before).toBe(7);
    expect(same[0]!.events[1]).toEqual({
      checkCompleted: { id: String(written[1]), monitorId: String(watched), isUp: false },
    });

    for (const collected of [...same, all]) collected.dispose();
    overSse.close();
    await expect.poll(() => app.subscriptions.subscribers, { timeout: 5000 }).toBe(0);
    expect(app.subscriptions.groupCount).toBe(0);
    await expect.poll(() => app.events.subscriberCount, { timeout: 5000 }).toBe(0);
    await writer.close();
  });
});

describe('a subscriber that stops reading', () => {
  let app: GraphQLTestApp;

  beforeAll(async () => {
    app = await startGraphQLApp({ live: { maxBufferedBytes: 1024 * 1024 } });
    await app.scheduler.stop();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  it('is ended with SUBSCRIBER_TOO_SLOW while the others of its group receive every event', async () => {
    const monitorId = (await createMonitor(app.db, { paused: true })).id;
    const query = `subscription ($id: ID) { checkCompleted(monitorId: $id) { id error } }`;
    const fast = collect(app.wsClient(), query, { id: String(monitorId) });

    // A raw graphql-ws client, so that its socket can stop reading.
    const slow = new WebSocket(`${app.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    const frames: any[] = [];
    slow.on('message', (data) => frames.push(JSON.parse(String(data))));
    await new Promise((resolve) => slow.once('open', resolve));
    slow.send(JSON.stringify({ type: 'connection_init' }));
    await expect.poll(() => frames.map((frame) => frame.type), { timeout: 5000 }).toContain('connection_ack');
    slow.send(
      JSON.stringify({ id: 'slow', type: 'subscribe', payload: { query, variables: { id: String(monitorId) } } }),
    );
    await expect.poll(() => app.subscriptions.subscribers, { timeout: 5000 }).toBe(2);
    expect(app.subscriptions.groupCount).toBe(1);
    (slow as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();

    // 300 results of 64 KB, 10 per INSERT: far more than the kernel's socket buffers and the server's 1 MiB
    // bound hold, in bursts a reading client drains at once.
    const error = 'x'.repeat(64 * 1024);
    const written: number[] = [];
    const start = Date.now();
    for (let batch = 0; batch < 30; batch++) {
      const rows = await insertResults(
        app.testDb.db,
        Array.from({ length: 10 }, (_, n) =>
          result(monitorId, true, { error, checkedAt: new Date(start + batch * 10 + n) }),
        ),
        { returnRows: true },
      );
      written.push(...rows.map((row) => row.id));
      // The fast one keeps up (on the embedded database the writes and the readers share one process).
      await expect.poll(() => ids(fast).length, { timeout: 10_000 }).toBe(written.length);
    }
    await expect.poll(() => ids(fast), { timeout: 15_000 }).toEqual(written);
    // The slow one left its group while its socket is still open and not reading.
    await expect.poll(() => app.subscriptions.subscribers, { timeout: 5000 }).toBe(1);
    expect(slow.readyState).toBe(WebSocket.OPEN);

    (slow as unknown as { _socket: { resume(): void } })._socket.resume();
    await expect.poll(() => frames.at(-1)?.type, { timeout: 10_000 }).toBe('error');
    const last = frames.at(-1);
    expect(last.id).toBe('slow');
    expect(last.payload[0].extensions.code).toBe('SUBSCRIBER_TOO_SLOW');
    const received = frames.filter((frame) => frame.type === 'next').length;
    expect(received).toBeLessThan(written.length);
    expect(fast.errors).toEqual([]);
    fast.dispose();
    slow.close();
  }, 60_000);
});

describe('roles', () => {
  let app: TestApp;
  let actors: Actors;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    app = await startTestApp(AUTH_ON);
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
    return live;
  };

  it('shares an execution only within one role, and a revoked member leaves without ending its group', async () => {
    const writer = await resultWriter(app.testDb);
    const monitorId = (await createMonitor(app.testDb.db, { paused: true })).id;
    const viewerKey = await createApiKey(app, actors.admin, 'viewer');
    const variables = { id: String(monitorId) };
    const viewer = socketAs(actors.viewer.token);
    const byKey = socketAs(viewerKey.secret);
    const editor = socketAs(actors.editor.token);
    const admin = socketAs(actors.admin.token);
    const [ofViewer, ofKey, ofEditor, ofAdmin] = [viewer, byKey, editor, admin].map((live) =>
      collect(live.client, RESULTS, variables),
    );
    await expect.poll(() => app.subscriptions.subscribers, { timeout: 5000 }).toBe(4);
    // The viewer and the admin's viewer key act as viewers: one group; the editor and the admin: one each.
    expect(app.subscriptions.groupCount).toBe(3);
    const before = app.subscriptions.executions;
    const first = await writer.insert(monitorId, [true]);
    for (const collected of [ofViewer!, ofKey!, ofEditor!, ofAdmin!]) {
      await expect.poll(() => ids(collected), { timeout: 5000 }).toEqual(first);
    }
    expect(app.subscriptions.executions - before).toBe(3);

    // Revoking the key ends its socket; the viewer's subscription, in the same group, goes on.
    const revoked = await app.request(`/api/cles-api/${viewerKey.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${actors.admin.token}` },
    });
    expect(revoked.status).toBe(200);
    expect(await byKey.closed).toBe(4401);
    await expect.poll(() => app.subscriptions.subscribers, { timeout: 5000 }).toBe(3);
    const second = await writer.insert(monitorId, [false]);
    await expect.poll(() => ids(ofViewer!), { timeout: 5000 }).toEqual([...first, ...second]);
    expect(ids(ofKey!)).toEqual(first);
    await writer.close();
  });

  it('leaves nothing behind for subscriptions completed as soon as they were sent', async () => {
    const writer = await resultWriter(app.testDb);
    const monitorId = (await createMonitor(app.testDb.db, { paused: true })).id;
    const socket = new WebSocket(`${app.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', {
      headers: { origin: app.url },
    });
    const frames: any[] = [];
    const others = app.subscriptions.subscribers;
    socket.on('message', (data) => frames.push(JSON.parse(String(data))));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(
      JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${actors.viewer.token}` } }),
    );
    await expect.poll(() => frames.map((frame) => frame.type), { timeout: 5000 }).toContain('connection_ack');
    for (let i = 0; i < 50; i++) {
      const payload = { query: RESULTS, variables: { id: String(monitorId) } };
      socket.send(JSON.stringify({ id: `c${i}`, type: 'subscribe', payload }));
      socket.send(JSON.stringify({ id: `c${i}`, type: 'complete' }));
    }
    // Once the server has seen them all, none is left, and a new result reaches no completed id.
    socket.send(JSON.stringify({ type: 'ping' }));
    await expect.poll(() => frames.some((frame) => frame.type === 'pong'), { timeout: 5000 }).toBe(true);
    await expect.poll(() => app.subscriptions.subscribers, { timeout: 5000 }).toBe(others);
    await writer.insert(monitorId, [true]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(frames.filter((frame) => frame.type === 'next')).toEqual([]);
    socket.close();
    await writer.close();
  });
});

describe('what one connection may ask for', () => {
  let app: GraphQLTestApp;

  beforeAll(async () => {
    app = await startGraphQLApp();
    await app.scheduler.stop();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  async function rawSocket() {
    const socket = new WebSocket(`${app.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    const frames: any[] = [];
    socket.on('message', (data) => frames.push(JSON.parse(String(data))));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await expect.poll(() => frames.map((frame) => frame.type), { timeout: 5000 }).toContain('connection_ack');
    const subscribe = (id: string, query: string, variables: Record<string, unknown> = {}) =>
      socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
    return { socket, frames, subscribe };
  }

  it(`refuses more than ${MAX_OPERATIONS_PER_SOCKET} operations at once on a socket, and takes more once some complete`, async () => {
    const { socket, frames, subscribe } = await rawSocket();
    for (let i = 0; i <= MAX_OPERATIONS_PER_SOCKET; i++) subscribe(`s${i}`, RESULTS, { id: String(i) });
    await expect
      .poll(() => frames.find((frame) => frame.type === 'error'), { timeout: 5000 })
      .toMatchObject({
        id: `s${MAX_OPERATIONS_PER_SOCKET}`,
        payload: [{ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } }],
      });
    await expect.poll(() => app.subscriptions.subscribers, { timeout: 5000 }).toBe(MAX_OPERATIONS_PER_SOCKET);
    expect(frames.filter((frame) => frame.type === 'error')).toHaveLength(1);
    socket.send(JSON.stringify({ id: 's0', type: 'complete' }));
    subscribe('again', RESULTS, { id: 'again' });
    await expect.poll(() => app.subscriptions.subscribers, { timeout: 5000 }).toBe(MAX_OPERATIONS_PER_SOCKET);
    expect(frames.filter((frame) => frame.type === 'error')).toHaveLength(1);
    expect(socket.readyState).toBe(WebSocket.OPEN);
    socket.close();
    await expect.poll(() => app.subscriptions.subscribers, { timeout: 5000 }).toBe(0);
  });

  it('refuses @skip and @include on the root field with a validation error, over WebSocket and HTTP', async () => {
    const { socket, frames, subscribe } = await rawSocket();
    const conditional = 'subscription ($s: Boolean!) { checkCompleted @skip(if: $s) { id } }';
    subscribe('skip', conditional, { s: true });
    subscribe(
      'include',
      'subscription { ...Root } fragment Root on Subscription { checkCompleted @include(if: false) { id } }',
    );
    await expect.poll(() => frames.filter((frame) => frame.type === 'error').length, { timeout: 5000 }).toBe(2);
    for (const id of ['skip', 'include']) {
      const error = frames.find((frame) => frame.type === 'error' && frame.id === id);
      expect(error.payload[0]).toMatchObject({
        message: expect.stringMatching(/^a subscription's root field cannot be conditional: remove @(skip|include)$/),
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      });
    }
    // The socket and its other operations go on.
    expect(socket.readyState).toBe(WebSocket.OPEN);
    const before = app.subscriptions.subscribers;
    subscribe('plain', RESULTS, { id: '1' });
    await expect.poll(() => app.subscriptions.subscribers, { timeout: 5000 }).toBe(before + 1);
    socket.close();

    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: conditional, variables: { s: false } }),
    });
    expect(await response.text()).toContain("a subscription's root field cannot be conditional: remove @skip");
  });
});
