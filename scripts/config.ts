// npm run config -- plan|apply [file] | export [--output file]: configuration as code against the configured
// database (DATABASE_URL, else the embedded one in DATA_DIR). The file defaults to VIGIE_CONFIG.
// Exit codes: 0 done; 1 refused (a bad file, with every problem and its line) or failed; 2 wrong usage.
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { loadConfig } from '../server/config.ts';
import { applyConfig, exportConfig, formatPlan, loadConfigText, planConfig } from '../server/config-file/index.ts';
import { openDb } from '../server/db/index.ts';
import { loadOptionsOf, runCommand } from './config-cli.ts';

const USAGE = `usage: npm run config -- plan [vigie.yaml]     what applying the file would change
       npm run config -- apply [vigie.yaml]    applies it, in one transaction
       npm run config -- export [--output vigie.yaml]   writes the current configuration
The file defaults to VIGIE_CONFIG.`;

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, fileArgument] = positionals;
  if (values.help || !command || !['plan', 'apply', 'export'].includes(command)) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const config = loadConfig();
  const options = loadOptionsOf(config);
  const file = fileArgument ?? config.configFile;
  if (command !== 'export' && !file) {
    console.error(`no file: give one or set VIGIE_CONFIG\n${USAGE}`);
    return 2;
  }
  // A bad file is refused before the database is opened.
  const desired = file && command !== 'export' ? loadConfigText(await readFile(file, 'utf8'), file, options) : null;
  const db = await openDb(config, pino({ level: 'warn' }, pino.destination(2)));
  try {
    if (!desired) {
      const exported = await exportConfig(db);
      if (values.output) {
        await writeFile(values.output, exported.yaml);
        console.error(`written to ${values.output}`);
      } else process.stdout.write(exported.yaml);
      if (exported.variables.length)
        console.error(`secrets to set in the environment: ${exported.variables.join(', ')}`);
      return 0;
    }
    const plan = command === 'plan' ? await planConfig(db, desired) : await applyConfig(db, desired, options);
    console.log(formatPlan(plan));
    if (command === 'apply') console.log('applied');
    return 0;
  } finally {
    await db.close();
  }
}

await runCommand('config', main);
