// Assembles the schema from the files that define its types.
import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.ts';
import './scalars.ts';
import './result.ts';
import './monitor.ts';
import './monitor-input.ts';
import './alert.ts';
import './stats.ts';
import './health.ts';
import './instance.ts';
import './channel.ts';
import './delivery.ts';
import './maintenance.ts';
import './subscriptions.ts';
import './monitors-changed.ts';
import './auth.ts';
import './status-page.ts';
import './status-pages.ts';

export const schema = builder.toSchema();

/** The SDL committed as schema/schema.graphql. */
export function printVigieSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
