// The ticker behind monitorsChanged, driven without a database: each tick hands every subscriber the changed ids
// it asked for, once; a subscriber still busy with a batch gets the next ticks merged into it, not queued; the
// batches of one tick share its round (what is read once for all of them).
import { describe, expect, it } from 'vitest';
import { ChangeTicker } from '../../server/events/changes.ts';
import { Subscription } from '../../server/events/index.ts';
import { silentLogger } from '../helpers/logger.ts';

const TICK_MS = 30;

function source() {
  let ended = false;
  const subscription = new Subscription<{ monitorId: number | null }>(1000, () => (ended = true));
  return { subscription, follow: async () => subscription, ended: () => ended };
}

describe('ChangeTicker', () => {
  it('sends each changed id once per tick to the subscribers that asked for it, merged while one is busy', async () => {
    const results = source();
    const ticker = new ChangeTicker([results.follow], TICK_MS, 1000, silentLogger());
    const all = await ticker.subscribe(null);
    const some = await ticker.subscribe([2, 3]);
    for (const monitorId of [3, 1, 3, null, 1]) results.subscription.push({ monitorId });
    ticker.touch(9);
    const first = await all.next();
    expect(first.value?.ids).toEqual([1, 3, 9]);
    const firstOfSome = await some.next();
    expect(firstOfSome.value?.ids).toEqual([3]);
    expect(firstOfSome.value!.round).toBe(first.value!.round);
    expect(first.value!.round.ids).toEqual([1, 3, 9]);

    // `all` does not read for several ticks: one batch holds everything that changed meanwhile.
    results.subscription.push({ monitorId: 5 });
    await new Promise((resolve) => setTimeout(resolve, TICK_MS * 3));
    results.subscription.push({ monitorId: 2 });
    await new Promise((resolve) => setTimeout(resolve, TICK_MS * 3));
    expect(all.buffered).toBe(1);
    const merged = await all.next();
    expect(merged.value?.ids).toEqual([2, 5]);
    expect(merged.value!.at.getTime()).toBeGreaterThan(first.value!.at.getTime());
    const latestOfSome = await some.next();
    expect(latestOfSome.value?.ids).toEqual([2]);
    // The merged batch belongs to the latest tick, whose round holds only its fresh batches' ids: the reader
    // that fell behind reads its older changes (5) on its own.
    expect(merged.value!.round).toBe(latestOfSome.value!.round);
    expect(merged.value!.round.ids).toEqual([2]);

    // Once nobody listens, the ticker stops following its sources.
    await all.return();
    await some.return();
    await expect.poll(results.ended, { timeout: 2000 }).toBe(true);
    await ticker.stop();
  });
});
