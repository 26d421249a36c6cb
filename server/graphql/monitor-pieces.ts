// monitorsChanged executed by pieces: the groups of one tick differ mostly by their filter (ids, tag), not by what
// they select of a monitor. So each monitor of a tick is executed and serialized once per selection (and role and
// the variables the selection uses), and a group's message is its own small execution (`at`, `removedIds`, the
// monitors left empty) with its monitors' pieces put in place — rather than every group executing every monitor
// it shows. Anything unusual (an error, a root field under a directive) is executed whole, as before.
import {
  createSourceEventStream,
  execute,
  getOperationAST,
  Kind,
  print,
  visit,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { isAsyncIterable } from 'graphql-yoga';
import type { MonitorsChange } from './monitors-changed.ts';
import { stableJson } from './stable-json.ts';

/** How a monitorsChanged operation is put together from pieces. */
interface Shape {
  /** The root field's response key. */
  rootKey: string;
  /** The response keys under it whose field is `monitors` (one piece per monitor for each). */
  monitorsKeys: string[];
  /** Equal for two groups when a monitor's pieces are the same for both: role, selection, variables it uses. */
  key: string;
}

/** A monitor's JSON under each of the shape's `monitors` keys. */
type Pieces = readonly string[];

const ROOT_FIELD = 'monitorsChanged';

function fragmentsOf(args: ExecutionArgs): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of args.document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

/** The response keys of the `monitors` fields of a MonitorsChange selection, through its fragments. */
function monitorsKeysOf(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>): string[] {
  const keys: string[] = [];
  const walk = (set: SelectionSetNode, seen: Set<string>) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        if (selection.name.value === 'monitors' && !keys.includes(key)) keys.push(key);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, seen);
      } else if (!seen.has(selection.name.value)) {
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet, new Set([...seen, selection.name.value]));
      }
    }
  };
  walk(selectionSet, new Set());
  return keys;
}

/** The operation's shape when it is a plain monitorsChanged subscription that selects monitors; null otherwise. */
export function shapeOf(args: ExecutionArgs, role: string): Shape | null {
  const operation = getOperationAST(args.document, args.operationName);
  if (operation?.operation !== 'subscription' || operation.selectionSet.selections.length !== 1) return null;
  const root = operation.selectionSet.selections[0]!;
  if (root.kind !== Kind.FIELD || root.name.value !== ROOT_FIELD || root.directives?.length || !root.selectionSet) {
    return null;
  }
  const fragments = fragmentsOf(args);
  const monitorsKeys = monitorsKeysOf(root.selectionSet, fragments);
  if (monitorsKeys.length === 0) return null;
  // The root field's arguments (the filter) are not part of a monitor's pieces; every other variable may be.
  const used = new Set<string>();
  const collect = { Variable: (node: { name: { value: string } }) => void used.add(node.name.value) };
  visit(root.selectionSet, collect);
  for (const fragment of fragments.values()) visit(fragment, collect);
  const variables = (operation.variableDefinitions ?? [])
    .filter((definition) => used.has(definition.variable.name.value))
    .map((definition) => `${print(definition)}=${stableJson(args.variableValues?.[definition.variable.name.value])}`);
  const printedFragments = [...fragments.values()].map((fragment) => print(fragment)).sort();
  return {
    rootKey: (root as FieldNode).alias?.value ?? ROOT_FIELD,
    monitorsKeys,
    key: [role, ...variables, print(root.selectionSet), ...printedFragments].join('\n'),
  };
}

/** A result whose JSON is already built: serialized as it is, parsed only if someone reads its data. */
function resultOfJson(json: string): ExecutionResult {
  let parsed: ExecutionResult | undefined;
  const result = {} as ExecutionResult;
  Object.defineProperty(result, 'data', { enumerable: true, get: () => (parsed ??= JSON.parse(json)).data });
  Object.defineProperty(result, 'stringify', { value: () => json });
  return result;
}

export class MonitorPieces {
  /** Per tick (its round, shared by every group of it), per shape, each monitor's pieces. */
  private readonly byRound = new WeakMap<object, Map<string, Map<number, Promise<Pieces | null>>>>();

  /**
   * The events of a monitorsChanged group, executed by pieces; null when the operation is not one this handles
   * (it is executed as any other subscription). `args.contextValue` is the group's own, as its role only.
   */
  async subscribe(
    args: ExecutionArgs,
    role: string,
  ): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult | null> {
    const shape = shapeOf(args, role);
    if (!shape) return null;
    const source = await createSourceEventStream(args);
    if (!isAsyncIterable(source)) return source as ExecutionResult;
    const events = (source as AsyncIterable<MonitorsChange>)[Symbol.asyncIterator]();
    const iterator: AsyncIterableIterator<ExecutionResult> = {
      next: async () => {
        const event = await events.next();
        if (event.done) return { value: undefined, done: true };
        return { value: await this.resultOf(args, shape, event.value), done: false };
      },
      return: async () => {
        await events.return?.();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  private async resultOf(args: ExecutionArgs, shape: Shape, change: MonitorsChange): Promise<ExecutionResult> {
    const whole = async () => execute({ ...args, rootValue: change }) as ExecutionResult;
    if (change.monitors.length === 0) return whole();
    const [frame, pieces] = await Promise.all([
      execute({ ...args, rootValue: { ...change, monitors: [] } }) as Promise<ExecutionResult>,
      this.piecesOf(args, shape, change).catch(() => null),
    ]);
    const view = frame.data?.[shape.rootKey] as Record<string, unknown> | null | undefined;
    if (frame.errors || !view || !pieces) return whole();
    const lists = new Map<string, string>();
    shape.monitorsKeys.forEach((key, index) => {
      if (!Array.isArray(view[key])) return;
      // A mark the frame's own values cannot hold (ids, times and type names), replaced by the list's JSON.
      const mark = `\u0001${index}`;
      view[key] = mark;
      lists.set(JSON.stringify(mark), `[${pieces.map((piece) => piece[index]).join(',')}]`);
    });
    let json = JSON.stringify(frame);
    for (const [mark, list] of lists) json = json.replace(mark, () => list);
    return resultOfJson(json);
  }

  /** The pieces of the change's monitors: those not yet made for this tick and shape, in one execution. */
  private async piecesOf(args: ExecutionArgs, shape: Shape, change: MonitorsChange): Promise<Pieces[] | null> {
    let shapes = this.byRound.get(change.round);
    if (!shapes) {
      shapes = new Map();
      this.byRound.set(change.round, shapes);
    }
    let made = shapes.get(shape.key);
    if (!made) {
      made = new Map();
      shapes.set(shape.key, made);
    }
    const missing = change.monitors.filter((monitor) => !made.has(monitor.id));
    if (missing.length > 0) {
      const run = this.execute(args, shape, { ...change, monitors: missing, removedIds: [] });
      missing.forEach((monitor, index) =>
        made.set(
          monitor.id,
          run.then((all) => all?.[index] ?? null),
        ),
      );
    }
    const pieces = await Promise.all(change.monitors.map((monitor) => made.get(monitor.id)!));
    return pieces.every((piece) => piece !== null) ? (pieces as Pieces[]) : null;
  }

  /** Executes the monitors once; null when anything failed (the groups execute whole then). */
  private async execute(args: ExecutionArgs, shape: Shape, change: MonitorsChange): Promise<Pieces[] | null> {
    const result = (await execute({ ...args, rootValue: change })) as ExecutionResult;
    const view = result.data?.[shape.rootKey] as Record<string, unknown> | null | undefined;
    if (result.errors || !view) return null;
    return change.monitors.map((_, index) =>
      shape.monitorsKeys.map((key) => {
        const list = view[key];
        return Array.isArray(list) ? JSON.stringify(list[index]) : '';
      }),
    );
  }
}
