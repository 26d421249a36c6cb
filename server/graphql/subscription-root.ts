// The GraphQL specification forbids @skip and @include on a subscription's root fields ("Single root field"):
// graphql-js 16 does not check it, and its own subscription rule then throws while validating (a graphql-ws
// socket closed with 4500) or the execution fails. Refused here as a validation error, before either.
import { GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const CONDITIONAL = new Set(['skip', 'include']);

export function conditionalSubscriptionRoots(document: DocumentNode): GraphQLError[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const errors: GraphQLError[] = [];
  const visited = new Set<string>();
  const check = (selectionSet: SelectionSetNode): void => {
    for (const selection of selectionSet.selections) {
      for (const directive of selection.directives ?? []) {
        if (!CONDITIONAL.has(directive.name.value)) continue;
        errors.push(
          new GraphQLError(`a subscription's root field cannot be conditional: remove @${directive.name.value}`, {
            nodes: [directive],
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          }),
        );
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) check(selection.selectionSet);
      if (selection.kind === Kind.FRAGMENT_SPREAD && !visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) check(fragment.selectionSet);
      }
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION && definition.operation === 'subscription') {
      check(definition.selectionSet);
    }
  }
  return errors;
}

export const unconditionalSubscriptionRoots: Plugin = {
  onValidate({ params, setResult }) {
    const errors = conditionalSubscriptionRoots(params.documentAST);
    if (errors.length) setResult(errors);
  },
};
