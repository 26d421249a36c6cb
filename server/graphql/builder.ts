// The Pothos schema builder; types are defined in their own files and assembled by schema.ts.
import SchemaBuilder, { type ArgBuilder } from '@pothos/core';
import type { GraphQLContext } from './types.ts';

type VigieSchemaTypes = {
  Context: GraphQLContext;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
    ID: { Input: string; Output: string | number };
  };
};

/** The `t.arg` of a field, for argument sets shared by several fields. */
export type VigieArgBuilder = ArgBuilder<PothosSchemaTypes.ExtendDefaultTypes<VigieSchemaTypes>>;

export const builder = new SchemaBuilder<VigieSchemaTypes>({
  defaultFieldNullability: false,
});

builder.queryType({ description: 'Read monitors, their results, alerts and statistics.' });
builder.mutationType({ description: 'Manage monitors, run checks, acknowledge alerts.' });
builder.subscriptionType({ description: 'Live events, fed by PostgreSQL notifications.' });
