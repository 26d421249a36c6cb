// npm run schema: writes the printed SDL to schema/schema.graphql.
import { writeFileSync } from 'node:fs';
import { printVigieSchema } from '../server/graphql/schema.ts';

writeFileSync(new URL('../schema/schema.graphql', import.meta.url), printVigieSchema());
console.log('schema/schema.graphql written');
