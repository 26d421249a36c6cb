// Splits the rows of a batched query back into one list per requested id, in the order of the ids.
export function groupBy<T>(ids: readonly number[], items: T[], keyOf: (item: T) => number): T[][] {
  const groups = new Map<number, T[]>(ids.map((id) => [id, []]));
  for (const item of items) groups.get(keyOf(item))?.push(item);
  return ids.map((id) => groups.get(id)!);
}
