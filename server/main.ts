// Entry point: configuration, logger, the app, and a graceful shutdown on SIGTERM/SIGINT.
import pino from 'pino';
import { startApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';

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
const logger = pino({ level: config.logLevel });

try {
  const app = await startApp(config, logger);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing checks in flight');
    const deadline = setTimeout(() => {
      logger.warn({ seconds: config.shutdownTimeoutSeconds }, 'shutdown took too long, exiting');
      process.exit(1);
    }, config.shutdownTimeoutSeconds * 1000);
    app.stop().then(
      () => {
        clearTimeout(deadline);
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
} catch (error) {
  logger.fatal({ err: error instanceof Error ? error.message : error }, 'Vigie could not start');
  process.exit(1);
}
