// monitorsChanged: the coalesced stream of a screen that shows many monitors. The event hub hands each group of
// subscribers the ids that changed in a tick; the monitors of a tick are read once for every group (the tick's
// shared loaders), and a tag-filtered view also learns which monitors left it.
import type { ChangeRound, MonitorChanges } from '../events/index.ts';
import type { Monitor } from '../monitors/index.ts';
import { builder } from './builder.ts';
import { everyMonitorCost } from './complexity.ts';
import { parseNumericId } from './ids.ts';
import { MonitorRef } from './monitor.ts';
import type { GraphQLContext } from './types.ts';

/** One tick of one view, as its fields resolve. */
export interface MonitorsChange {
  monitors: Monitor[];
  removedIds: number[];
  at: Date;
  /** The tick as a whole (shared by every view of it): what its monitors' pieces are kept under. */
  round: ChangeRound;
}

const MonitorsChangeRef = builder.objectRef<MonitorsChange>('MonitorsChange').implement({
  description: 'The monitors that changed during one tick of `monitorsChanged`, each once, as they are at its end.',
  fields: (t) => ({
    monitors: t.field({
      type: [MonitorRef],
      description: 'The changed monitors, by id: select what the screen shows (status, lastResult, stats...).',
      complexity: everyMonitorCost,
      resolve: (change) => change.monitors,
    }),
    removedIds: t.idList({
      description:
        'Monitors that left the view during the tick: deleted, or (with `tag`) no longer carrying the tag. ' +
        'Only monitors the view held: a monitor deleted outside the ids or the tag asked for is not named.',
      resolve: (change) => change.removedIds,
    }),
    at: t.field({ type: 'DateTime', description: 'When the tick ended.', resolve: (change) => change.at }),
  }),
});

/**
 * Which of a tick's monitors a view shows, and which it loses. Without a tag, the changed monitors that still
 * exist are shown and the deleted ones removed. With a tag, the view remembers which monitors carry it (read
 * once when the view starts, then kept from the ticks): a changed monitor that carries it is shown, and one the
 * view held that was deleted or lost the tag is removed; a deleted or untagged monitor it never held is no news.
 */
class View {
  private constructor(
    private readonly tag: string | null,
    private readonly held: Set<number>,
  ) {}

  static async start(context: GraphQLContext, tag: string | null): Promise<View> {
    const held = tag === null ? [] : (await context.monitors.list({ tag })).map((monitor) => monitor.id);
    return new View(tag, new Set(held));
  }

  apply(ids: readonly number[], found: ReadonlyArray<Monitor | null>): { monitors: Monitor[]; removedIds: number[] } {
    const monitors: Monitor[] = [];
    const removedIds: number[] = [];
    ids.forEach((id, index) => {
      const monitor = found[index] ?? null;
      if (this.tag === null) {
        if (monitor) monitors.push(monitor);
        else removedIds.push(id);
      } else if (monitor?.tags.includes(this.tag)) {
        this.held.add(id);
        monitors.push(monitor);
      } else if (this.held.delete(id)) {
        removedIds.push(id);
      }
    });
    return { monitors, removedIds };
  }
}

/**
 * Each tick's changed ids, read as monitors through the tick's loaders (shared with every other group resolving
 * the same tick), and filtered by the view. Not an async generator: its return() would wait for the next tick;
 * this one ends the ticks at once.
 */
function monitorsOfTicks(
  ticks: AsyncIterableIterator<MonitorChanges>,
  context: GraphQLContext,
  view: View,
): AsyncIterableIterator<MonitorsChange> {
  const next = async (): Promise<IteratorResult<MonitorsChange>> => {
    for (;;) {
      const tick = await ticks.next();
      if (tick.done) return { value: undefined, done: true };
      const { ids, at, round } = tick.value;
      // The fields of the monitors (last result, figures) resolve through the context's loaders: for this event,
      // the tick's. The context is this group's own, and its events are executed one after the other.
      const loaders = context.loadersOfTick(round);
      context.loaders = loaders;
      const found = await loaders.monitor.loadMany(ids);
      const failed = found.find((monitor) => monitor instanceof Error);
      if (failed) throw failed;
      const { monitors, removedIds } = view.apply(ids, found as Array<Monitor | null>);
      if (monitors.length > 0 || removedIds.length > 0)
        return { value: { monitors, removedIds, at, round }, done: false };
    }
  };
  const iterator: AsyncIterableIterator<MonitorsChange> = {
    next,
    return: async () => {
      await ticks.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

builder.subscriptionField('monitorsChanged', (t) =>
  t.field({
    authScopes: { viewer: true },
    type: MonitorsChangeRef,
    description:
      'For screens that show many monitors (a list, a status page): at most one message per tick ' +
      '(TEMPS_REEL_INTERVALLE_MS, default 100 ms) with each monitor asked for whose status, last result or 24 h ' +
      'figures changed since the previous tick, once, as it is now; nothing when nothing changed. Subscribe ' +
      'before reading the initial list with `monitors`, so that no change falls in between. A tool that wants ' +
      'every single result subscribes to `checkCompleted` instead.',
    args: {
      ids: t.arg.idList({ description: 'Only these monitors (default: all).' }),
      tag: t.arg.string({ description: 'Only monitors with this tag.' }),
    },
    subscribe: async (_, args, context) => {
      const ids = args.ids == null ? null : args.ids.map((id) => parseNumericId(id, 'ids'));
      // Following the ticks first: a monitor that gains or loses the tag while the view starts is in a tick.
      const ticks = await context.events.monitorChanges({ ids });
      try {
        return monitorsOfTicks(ticks, context, await View.start(context, args.tag || null));
      } catch (error) {
        await ticks.return();
        throw error;
      }
    },
    resolve: (change) => change,
  }),
);
