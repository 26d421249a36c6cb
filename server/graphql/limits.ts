// Validation rules that refuse queries too deep or too costly before anything runs.
import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

export const MAX_DEPTH = 10;
export const MAX_COST = 250_000;
/** Assumed list sizes when a query does not say (`first` from a variable counts as its maximum). */
const DEFAULT_PAGE = 50;
const MAX_PAGE = 1000;
const ESTIMATED_MONITORS = 1000;

function listSize(field: FieldNode): number {
  if (field.name.value === 'monitors') return ESTIMATED_MONITORS;
  const first = field.arguments?.find((argument) => argument.name.value === 'first');
  if (!first) return field.name.value === 'results' || field.name.value === 'alerts' ? DEFAULT_PAGE : 1;
  return first.value.kind === Kind.INT ? Math.max(1, Number(first.value.value)) : MAX_PAGE;
}

interface Measure {
  depth: number;
  cost: number;
}

function measure(
  selectionSet: SelectionSetNode | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
  visiting: Set<string>,
): Measure {
  let depth = 0;
  let cost = 0;
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue;
      const inner = measure(selection.selectionSet, fragments, visiting);
      depth = Math.max(depth, inner.depth + 1);
      cost += 1 + listSize(selection) * inner.cost;
    } else {
      const fragment =
        selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
      const name = selection.kind === Kind.FRAGMENT_SPREAD ? selection.name.value : null;
      if (!fragment || (name && visiting.has(name))) continue;
      if (name) visiting.add(name);
      const inner = measure(fragment.selectionSet, fragments, visiting);
      if (name) visiting.delete(name);
      depth = Math.max(depth, inner.depth);
      cost += inner.cost;
    }
  }
  return { depth, cost };
}

export function queryLimitsRule(context: ValidationContext): ASTVisitor {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of context.getDocument().definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return {
    OperationDefinition(operation) {
      const { depth, cost } = measure(operation.selectionSet, fragments, new Set());
      if (depth > MAX_DEPTH) {
        context.reportError(
          new GraphQLError(`query is nested ${depth} levels deep; the limit is ${MAX_DEPTH}`, {
            nodes: [operation],
            extensions: { code: 'QUERY_TOO_DEEP' },
          }),
        );
      }
      if (cost > MAX_COST) {
        context.reportError(
          new GraphQLError(
            `query could return about ${cost} fields; the limit is ${MAX_COST}: ask for fewer items (first) or fields`,
            { nodes: [operation], extensions: { code: 'QUERY_TOO_COSTLY' } },
          ),
        );
      }
    },
  };
}
