// npm run embedded:template: makes the cluster a new embedded data folder starts from (server/db/cluster-template/),
// with the installed PGlite. Run it after upgrading PGlite; older templates are removed.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { EMBEDDED_OPTIONS } from '../server/db/embedded.ts';
import { templatePath } from '../server/db/embedded-template.ts';

const target = templatePath();
const pglite = await PGlite.create(EMBEDDED_OPTIONS);
const dump = await pglite.dumpDataDir('gzip');
await pglite.close();
mkdirSync(dirname(target), { recursive: true });
for (const file of readdirSync(dirname(target))) {
  if (file !== basename(target)) rmSync(`${dirname(target)}/${file}`);
}
writeFileSync(target, Buffer.from(await dump.arrayBuffer()));
console.log(`${target} written (${Math.round(dump.size / 1024)} KiB)`);
