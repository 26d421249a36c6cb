// The pieces of the live event path that need no database: a subscriber's bounded buffer, and following a
// table by id one page at a time, with ids that become visible late ("holes").
import { describe, expect, it } from 'vitest';
import { Subscription, SubscriberTooSlowError } from '../../server/events/index.ts';
import { TableTail } from '../../server/events/table-tail.ts';

describe('Subscription', () => {
  it('hands events over in order, buffered while nobody reads', async () => {
    const subscription = new Subscription<number>(3, () => undefined);
    const pending = subscription.next();
    subscription.push(1);
    subscription.push(2);
    subscription.push(3);
    expect(await pending).toEqual({ value: 1, done: false });
    expect(subscription.buffered).toBe(2);
    expect(await subscription.next()).toEqual({ value: 2, done: false });
    expect(await subscription.next()).toEqual({ value: 3, done: false });
  });

  it('ends a subscriber with SubscriberTooSlowError when more than maxBuffered events wait, and frees it', async () => {
    let closed = 0;
    const subscription = new Subscription<number>(3, () => closed++);
    for (const event of [1, 2, 3]) subscription.push(event);
    expect(closed).toBe(0);
    subscription.push(4);
    expect(closed).toBe(1);
    expect(subscription.buffered).toBe(0);
    const error = await subscription.next().catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(SubscriberTooSlowError);
    expect((error as Error).message).toBe('subscription ended: more than 3 events were waiting for this subscriber');
    // Ended for good: later events are dropped, the iterator is done, onClose ran once.
    subscription.push(5);
    expect(await subscription.next()).toEqual({ value: undefined, done: true });
    expect(closed).toBe(1);
  });

  it('frees its resources once when the subscriber leaves (return), waking a pending read', async () => {
    let closed = 0;
    const subscription = new Subscription<number>(3, () => closed++);
    const pending = subscription.next();
    await subscription.return();
    await subscription.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(closed).toBe(1);
  });

  it('tells when the buffer has drained to a level, or the subscriber ended', async () => {
    const subscription = new Subscription<number>(10, () => undefined);
    for (const event of [1, 2, 3, 4]) subscription.push(event);
    let drained = false;
    const waiting = subscription.drained(2).then(() => (drained = true));
    await subscription.next();
    await Promise.resolve();
    expect(drained).toBe(false);
    await subscription.next();
    await waiting;
    expect(subscription.buffered).toBe(2);
    await expect(subscription.drained(2)).resolves.toBeUndefined();
    const never = subscription.drained(0);
    await subscription.return();
    await expect(never).resolves.toBeUndefined();
  });
});

describe('TableTail', () => {
  /** A table of rows by id; `visible` decides which ids are committed yet. */
  function table(ids: number[]) {
    const visible = new Set(ids);
    const calls: Array<{ after: number; holes: number[]; limit: number }> = [];
    const fetchAfter = async (after: number, holes: number[], limit: number) => {
      calls.push({ after, holes, limit });
      return [...visible]
        .filter((id) => id > after || holes.includes(id))
        .sort((a, b) => a - b)
        .slice(0, limit)
        .map((id) => ({ id }));
    };
    return { visible, calls, fetchAfter };
  }

  it('reads a backlog one page of 1,000 at a time and says when more waits', async () => {
    const rows = table(Array.from({ length: 2500 }, (_, i) => i + 1));
    const tail = new TableTail(rows.fetchAfter, 0);
    const pages: number[][] = [];
    do pages.push((await tail.poll()).map((row) => row.id));
    while (tail.more);
    expect(pages.map((page) => page.length)).toEqual([1000, 1000, 500]);
    expect(pages.flat()).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
    expect(await tail.poll()).toEqual([]);
  });

  it('delivers a row committed after a higher id once it appears, and only once', async () => {
    const rows = table([1, 2, 4]);
    const tail = new TableTail(rows.fetchAfter, 0);
    expect((await tail.poll()).map((row) => row.id)).toEqual([1, 2, 4]);
    rows.visible.add(3);
    rows.visible.add(5);
    expect((await tail.poll()).map((row) => row.id)).toEqual([3, 5]);
    expect(rows.calls.at(-1)).toMatchObject({ after: 4, holes: [3] });
    expect(await tail.poll()).toEqual([]);
    expect(rows.calls.at(-1)).toMatchObject({ after: 5, holes: [] });
  });

  it('starts over from a given id after reset, forgetting holes', async () => {
    const rows = table([1, 3, 7, 8]);
    const tail = new TableTail(rows.fetchAfter, 0);
    await tail.poll();
    tail.reset(7);
    expect((await tail.poll()).map((row) => row.id)).toEqual([8]);
    expect(rows.calls.at(-1)).toMatchObject({ after: 7, holes: [] });
  });
});
