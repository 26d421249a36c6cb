// The Pothos schema builder; types are defined in their own files and assembled by schema.ts. Every root
// field declares who may call it (authScopes: public, viewer, editor or admin); scope-auth enforces it.
import SchemaBuilder, { type ArgBuilder } from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { roleAtLeast } from '../auth/index.ts';
import { ForbiddenError, UnauthenticatedError } from '../errors.ts';
import { DEFAULT_LIST_SIZE } from './complexity.ts';
import type { GraphQLContext } from './types.ts';

type VigieSchemaTypes = {
  Context: GraphQLContext;
  DefaultFieldNullability: false;
  AuthScopes: { public: boolean; viewer: boolean; editor: boolean; admin: boolean };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
    ID: { Input: string; Output: string | number };
  };
};

/** The `t.arg` of a field, for argument sets shared by several fields. */
export type VigieArgBuilder = ArgBuilder<PothosSchemaTypes.ExtendDefaultTypes<VigieSchemaTypes>>;

export const builder = new SchemaBuilder<VigieSchemaTypes>({
  plugins: [ScopeAuthPlugin, ComplexityPlugin],
  defaultFieldNullability: false,
  // Costs are declared on fields (complexity.ts) and checked by limits.ts before execution, not by the plugin.
  complexity: { defaultComplexity: 1, defaultListMultiplier: DEFAULT_LIST_SIZE },
  scopeAuth: {
    // A subscription is refused when it starts, not at its first event.
    authorizeOnSubscribe: true,
    authScopes: ({ principal }) => ({
      public: true,
      viewer: principal !== null && roleAtLeast(principal.role, 'viewer'),
      editor: principal !== null && roleAtLeast(principal.role, 'editor'),
      admin: principal !== null && roleAtLeast(principal.role, 'admin'),
    }),
    unauthorizedError: (_parent, context, info) => {
      if (!context.principal) return context.authError ?? new UnauthenticatedError();
      return new ForbiddenError(
        `${info.parentType.name}.${info.fieldName} needs a higher role than ${context.principal.role}`,
      );
    },
  },
});

builder.queryType({ description: 'Read monitors, their results, alerts and statistics.' });
builder.mutationType({ description: 'Manage monitors, run checks, acknowledge alerts.' });
builder.subscriptionType({ description: 'Live events, fed by PostgreSQL notifications.' });
