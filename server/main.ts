// Entry point: configuration, logger, the app, and a graceful shutdown on SIGTERM/SIGINT.
import { setFlagsFromString } from 'node:v8';
import { startApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger } from './logger.ts';
import { shutDown } from './shutdown.ts';

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Vigie cannot start: invalid configuration: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

const config = readConfig();
// V8 would let the heap grow to several times what is live before collecting it fully: with a thousand checks a
// second that is 230 MB of RSS for 50 MB of live objects; 50 % gives 165 MB for ~3 points of a core.
if (config.heapGrowthPercent > 0) setFlagsFromString(`--heap-growing-percent=${config.heapGrowthPercent}`);
const logger = await createLogger(config.logLevel);

try {
  const app = await startApp(config, logger);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    shutDown(app, logger, signal, config.shutdownTimeoutSeconds);
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
} catch (error) {
  logger.fatal({ err: error instanceof Error ? error.message : error }, 'Vigie could not start');
  process.exit(1);
}
