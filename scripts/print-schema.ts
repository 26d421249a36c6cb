// npm run schema: writes the printed SDL to schema/schema.graphql and the configuration file's JSON Schema to
// schema/vigie-config.schema.json.
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../server/config-file/index.ts';
import { printVigieSchema } from '../server/graphql/schema.ts';

writeFileSync(new URL('../schema/schema.graphql', import.meta.url), printVigieSchema());
console.log('schema/schema.graphql written');
writeFileSync(
  new URL('../schema/vigie-config.schema.json', import.meta.url),
  `${JSON.stringify(configJsonSchema(), null, 2)}\n`,
);
console.log('schema/vigie-config.schema.json written');
