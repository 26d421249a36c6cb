// The coalesced list stream: once per tick, each subscriber gets the monitors it asked for (by ids, by tag, or
// all) whose status, last result or 24 h figures changed, each once and as it is at the tick, and none other.
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
});
