// What a field may cost, declared on the schema for @pothos/plugin-complexity: a list field multiplies the cost of
// its selection by the number of items it can return. limits.ts refuses an operation whose total is too high.
import { MAX_SERIES_POINTS } from '../stats/index.ts';

/** Monitors a list of every monitor is assumed to hold (the cost is measured before anything is read). */
export const ESTIMATED_MONITORS = 1000;
/** Items of a list whose size nothing bounds in the query (channels, users, tags, deliveries, ...). */
export const DEFAULT_LIST_SIZE = 10;
/** The longest range a stats field is usually asked for, to turn a series' resolution into a point count. */
const LONGEST_USUAL_RANGE_SECONDS = 366 * 24 * 3600;
/** Points of a series at its default resolution (100 to 400). */
const DEFAULT_SERIES_POINTS = 400;

/** A page of `first` items (the page size when `first` is not given); out-of-range values are refused later. */
export function pageCost(fallback: number, max: number) {
  return (args: { first?: number | null }) => ({
    field: 1,
    multiplier: typeof args.first === 'number' && args.first >= 1 ? Math.min(args.first, max) : fallback,
  });
}

/** A list of every monitor. */
export const everyMonitorCost = { field: 1, multiplier: ESTIMATED_MONITORS };

/** A list whose size is carried by its parent (a connection's nodes and edges). */
export const sizedByParent = { field: 1, multiplier: 1 };

/** A stats series: one item per point, the resolution asked over the longest usual range, at most the cap. */
export function seriesCost(args: { resolutionSeconds?: number | null }) {
  const resolution = args.resolutionSeconds;
  const points =
    typeof resolution === 'number' && resolution >= 1
      ? Math.min(MAX_SERIES_POINTS, Math.ceil(LONGEST_USUAL_RANGE_SECONDS / resolution))
      : DEFAULT_SERIES_POINTS;
  return { field: 1, multiplier: points };
}
