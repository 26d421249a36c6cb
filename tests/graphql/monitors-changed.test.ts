// The coalesced list stream: once per tick, each subscriber gets the monitors it asked for (by ids, by tag, or
// all) whose status, last result or 24 h figures changed, each once and as it is at the tick, and none other;
// a tick is read once for every group of subscribers; a tag view learns which monitors left it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertResults } from '../../server/results/index.ts';
import { createMonitor, result } from '../helpers/factories.ts';
import { collect, dataOf, startGraphQLApp, type Collected, type GraphQLTestApp } from '../helpers/graphql.ts';

const TICK_MS = 200;
const LIST = `subscription ($ids: [ID!], $tag: String) {
  monitorsChanged(ids: $ids, tag: $tag) {
    at removedIds
    monitors { id status lastResult { id isUp } stats { checks failures } }
  }
}`;

let app: GraphQLTestApp;

beforeAll(async () => {
  app = await startGraphQLApp({ env: { TEMPS_REEL_INTERVALLE_MS: String(TICK_MS) } });
  // Only the tests write results.
  await app.scheduler.stop();
}, 60_000);

afterAll(async () => {
  await app?.close();
});

type Change = {
  at: string;
  removedIds: string[];
  monitors: Array<{ id: string; status: string; lastResult: any; stats: any }>;
};
const changes = (collected: Collected): Change[] => collected.events.map((event) => event.monitorsChanged);
/** Every monitor id each message carried, message by message. */
const idsPerMessage = (collected: Collected) => changes(collected).map((change) => change.monitors.map((m) => m.id));

/** Results for several monitors in one INSERT (so that they fall in one tick); returns their ids by monitor. */
async function write(outcomes: Array<[number, boolean[]]>): Promise<Map<number, number[]>> {
  const start = Date.now();
  let n = 0;
  const rows = await insertResults(
    app.testDb.db,
    outcomes.flatMap(([monitorId, ups]) =>
      ups.map((up) => result(monitorId, up, { checkedAt: new Date(start + n++), latencyMs: 10 })),
    ),
    { returnRows: true },
  );
  const byMonitor = new Map<number, number[]>();
  for (const row of rows) byMonitor.set(row.monitorId!, [...(byMonitor.get(row.monitorId!) ?? []), row.id]);
  return byMonitor;
}

describe('monitorsChanged', () => {
  it('sends each changed monitor once per tick, only to the subscribers that asked for it', async () => {
    const a = (await createMonitor(app.db, { name: 'a', paused: true })).id;
    const b = (await createMonitor(app.db, { name: 'b', paused: true })).id;
    const c = (await createMonitor(app.db, { name: 'c', paused: true, tags: ['edge'] })).id;
    const clients = [app.wsClient(), app.wsClient(), app.wsClient(), app.wsClient()];
    const ofAB = collect(clients[0]!, LIST, { ids: [String(a), String(b)] });
    const all = collect(clients[1]!, LIST, {});
    const allAgain = collect(clients[2]!, LIST, {});
    const tagged = collect(clients[3]!, LIST, { tag: 'edge' });
    await expect.poll(() => app.subscriptions.subscribers, { timeout: 5000 }).toBe(4);
    // The two identical subscriptions share one group.
    expect(app.subscriptions.groupCount).toBe(3);

    // Three results of a and one of c in one INSERT: one tick, a once (as of its last result), c once.
    const first = await write([
      [a, [true, true, false]],
      [c, [true]],
    ]);
    await expect.poll(() => idsPerMessage(all), { timeout: 5000 }).toEqual([[String(a), String(c)]]);
    await expect.poll(() => idsPerMessage(ofAB)).toEqual([[String(a)]]);
    await expect.poll(() => idsPerMessage(tagged)).toEqual([[String(c)]]);
    expect(changes(all)[0]!.monitors[0]).toEqual({
      id: String(a),
      status: 'PAUSED',
      lastResult: { id: String(first.get(a)!.at(-1)), isUp: false },
      stats: { checks: 3, failures: 1 },
    });
    expect(changes(allAgain)).toEqual(changes(all));

    // Next tick: b only; the subscriber of a and b gets it, the tagged one gets nothing.
    await write([[b, [true]]]);
    await expect.poll(() => idsPerMessage(ofAB), { timeout: 5000 }).toEqual([[String(a)], [String(b)]]);
    await expect.poll(() => idsPerMessage(all)).toEqual([[String(a), String(c)], [String(b)]]);

    // A change of the row (resume, then delete) reaches the list too.
    dataOf(await app.gql(`mutation ($id: ID!) { resumeMonitor(id: $id) { id } }`, { id: String(b) }));
    await expect.poll(() => idsPerMessage(ofAB).length, { timeout: 5000 }).toBe(3);
    expect(changes(ofAB)[2]!.monitors).toMatchObject([{ id: String(b), status: 'UP' }]);
    dataOf(await app.gql(`mutation ($id: ID!) { deleteMonitor(id: $id) }`, { id: String(a) }));
    await expect.poll(() => changes(ofAB).at(-1)?.removedIds, { timeout: 5000 }).toEqual([String(a)]);

    // Messages are a tick apart at least, and the tagged subscriber never heard of a or b.
    const times = changes(all).map((change) => Date.parse(change.at));
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(TICK_MS - 20);
    expect(idsPerMessage(tagged).flat()).toEqual([String(c)]);
    expect([...ofAB.errors, ...all.errors, ...tagged.errors]).toEqual([]);

    for (const collected of [ofAB, all, allAgain, tagged]) collected.dispose();
    await expect.poll(() => app.subscriptions.subscribers, { timeout: 5000 }).toBe(0);
    // The ticker stops following results and transitions once nobody listens.
    await expect.poll(() => app.events.subscriberCount, { timeout: 5000 }).toBe(0);
  });

  it('reads a tick once for every group of subscribers, however many distinct groups there are', async () => {
    const a = (await createMonitor(app.db, { name: 'a', paused: true })).id;
    const b = (await createMonitor(app.db, { name: 'b', paused: true, tags: ['edge'] })).id;
    const c = (await createMonitor(app.db, { name: 'c', paused: true, tags: ['edge'] })).id;
    const views: Array<Record<string, unknown>> = [
      {},
      { ids: [String(a)] },
      { ids: [String(a), String(b)] },
      { ids: [String(c)] },
      { tag: 'edge' },
      { ids: [String(b), String(c)], tag: 'edge' },
    ];
    const subscribed: Collected[] = [];
    /** The statements GraphQL sent to resolve one tick of results for a, b and c, for every view subscribed. */
    const statementsOfOneTick = async () => {
      await expect.poll(() => app.subscriptions.groupCount, { timeout: 5000 }).toBe(subscribed.length);
      // A group counts from its first subscriber's arrival; its members once it has started (its reads done).
      await expect.poll(() => app.subscriptions.subscribers, { timeout: 5000 }).toBe(subscribed.length);
      const before = subscribed.map((collected) => collected.events.length);
      app.resetStatements();
      await write([
        [a, [true]],
        [b, [false]],
        [c, [true]],
      ]);
      for (const [index, collected] of subscribed.entries()) {
        await expect.poll(() => collected.events.length, { timeout: 5000 }).toBe(before[index]! + 1);
      }
      return app.graphqlStatements().sort();
    };

    subscribed.push(collect(app.wsClient(), LIST, views[0]));
    const alone = await statementsOfOneTick();
    for (const variables of views.slice(1)) subscribed.push(collect(app.wsClient(), LIST, variables));
    const together = await statementsOfOneTick();
    // Six groups, and the same statements as one: the monitors, their last results and their figures, once.
    expect(together).toEqual(alone);
    expect(alone.length).toBeGreaterThan(0);
    expect(alone.length).toBeLessThanOrEqual(4);
    expect(idsPerMessage(subscribed[5]!).at(-1)).toEqual([String(b), String(c)]);
    expect(idsPerMessage(subscribed[1]!).at(-1)).toEqual([String(a)]);
    expect(subscribed.flatMap((collected) => collected.errors)).toEqual([]);
    for (const collected of subscribed) collected.dispose();
    await expect.poll(() => app.subscriptions.subscribers, { timeout: 5000 }).toBe(0);
  });

  it('tells a tag view the monitors that left it (tag removed, deleted), and only those it held', async () => {
    const kept = (await createMonitor(app.db, { name: 'kept', paused: true, tags: ['db'] })).id;
    const leaving = (await createMonitor(app.db, { name: 'leaving', paused: true, tags: ['db', 'x'] })).id;
    const doomed = (await createMonitor(app.db, { name: 'doomed', paused: true, tags: ['db'] })).id;
    const other = (await createMonitor(app.db, { name: 'other', paused: true })).id;
    const joining = (await createMonitor(app.db, { name: 'joining', paused: true })).id;
    const view = collect(app.wsClient(), LIST, { tag: 'db' });
    const all = collect(app.wsClient(), LIST, {});
    await expect.poll(() => app.subscriptions.subscribers, { timeout: 5000 }).toBe(2);
    const setTags = async (id: number, tags: string[]) =>
      dataOf(
        await app.gql(
          'mutation ($id: ID!, $tags: [String!]) { updateMonitor(id: $id, input: { tags: $tags }) { id } }',
          {
            id: String(id),
            tags,
          },
        ),
      );
    const remove = async (id: number) =>
      dataOf(await app.gql('mutation ($id: ID!) { deleteMonitor(id: $id) }', { id: String(id) }));
    /** Waits for the list of all monitors to hear of the step, so that each step is its own tick. */
    const step = async (action: () => Promise<unknown>) => {
      const heard = changes(all).length;
      await action();
      await expect.poll(() => changes(all).length, { timeout: 5000 }).toBe(heard + 1);
    };

    await step(() => setTags(leaving, ['x']));
    await step(() => remove(other));
    await step(() => remove(doomed));
    await step(() => setTags(joining, ['db']));
    await step(() => write([[kept, [true]]]));
    await expect.poll(() => changes(view).length, { timeout: 5000 }).toBe(4);
    expect(changes(view).map(({ monitors, removedIds }) => ({ ids: monitors.map((m) => m.id), removedIds }))).toEqual([
      { ids: [], removedIds: [String(leaving)] },
      { ids: [], removedIds: [String(doomed)] },
      { ids: [String(joining)], removedIds: [] },
      { ids: [String(kept)], removedIds: [] },
    ]);
    // The list of all monitors lost only what was deleted.
    expect(changes(all).flatMap((change) => change.removedIds)).toEqual([String(other), String(doomed)]);
    expect([...view.errors, ...all.errors]).toEqual([]);
    view.dispose();
    all.dispose();
    await expect.poll(() => app.subscriptions.subscribers, { timeout: 5000 }).toBe(0);
  });
});
