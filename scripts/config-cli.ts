// What npm run config and npm run import share: the options a file is checked with, and how a failure is told.
import { monitorDefaultsOf } from '../server/app.ts';
import { createAddressPolicies } from '../server/checks/index.ts';
import { ConfigError, type Config } from '../server/config.ts';
import { ConfigFileError, type LoadOptions } from '../server/config-file/index.ts';
import { ValidationError } from '../server/errors.ts';

/** The monitor defaults and address policy of the service this environment configures. */
export function loadOptionsOf(config: Config): LoadOptions {
  return { monitorDefaults: monitorDefaultsOf(config), addressPolicy: createAddressPolicies(config.outgoing).monitors };
}

/** Runs a command's main, printing a failure (a refused file: every problem) and setting the exit code. */
export async function runCommand(name: string, main: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await main();
  } catch (error) {
    if (error instanceof ConfigFileError) console.error(error.message);
    else if (error instanceof ConfigError) console.error(`invalid configuration: ${error.message}`);
    else if (error instanceof ValidationError) console.error(`${name}: ${error.field ?? 'file'} ${error.message}`);
    else console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
