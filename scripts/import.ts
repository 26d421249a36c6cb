// npm run import -- uptime-kuma backup.json | gatus config.yaml [--apply]: brings another monitor's configuration
// into the configured database (DATABASE_URL, else the embedded one in DATA_DIR). A dry run by default: prints
// what would be created or updated and what could not be mapped, and why; --apply writes it, in one transaction.
// Imported objects are keyed (uptime-kuma-<id>, gatus-<name>): importing again updates them. Nothing is removed.
// Exit codes: 0 done; 1 refused or failed; 2 wrong usage.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { parse as parseYaml } from 'yaml';
import { loadConfig } from '../server/config.ts';
import { applyConfig, formatPlan, planConfig } from '../server/config-file/index.ts';
import { openDb } from '../server/db/index.ts';
import { loadOptionsOf, runCommand } from './config-cli.ts';
import { importGatus, importUptimeKuma, prepareImport, type Skipped } from '../server/imports/index.ts';

const USAGE = `usage: npm run import -- uptime-kuma backup.json [--apply]
       npm run import -- gatus config.yaml [--apply]
Without --apply nothing is written: the plan and what could not be mapped are printed.`;

const SOURCES = {
  'uptime-kuma': (text: string) => importUptimeKuma(JSON.parse(text)),
  gatus: (text: string) => importGatus(parseYaml(text)),
};

const list = (title: string, items: Skipped[]) =>
  items.length
    ? [`${title} (${items.length}):`, ...items.map((item) => `  ${item.what}: ${item.reason}`)].join('\n')
    : '';

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { apply: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  const [source, file] = positionals;
  if (values.help || !source || !file || !(source in SOURCES) || positionals.length > 2) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const config = loadConfig();
  const options = loadOptionsOf(config);
  const imported = SOURCES[source as keyof typeof SOURCES](await readFile(file, 'utf8'));
  const prepared = prepareImport(imported, file, options);
  const db = await openDb(config, pino({ level: 'warn' }, pino.destination(2)));
  try {
    const plan = values.apply
      ? await applyConfig(db, prepared.desired, { ...options, mode: 'merge' })
      : await planConfig(db, prepared.desired, 'merge');
    const report = [
      formatPlan(plan),
      list('not imported', prepared.skipped),
      list('imported without', prepared.notes),
      values.apply ? 'applied' : 'dry run: nothing written (add --apply to write)',
    ];
    console.log(report.filter(Boolean).join('\n\n'));
    return 0;
  } finally {
    await db.close();
  }
}

await runCommand('import', main);
