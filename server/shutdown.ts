// The graceful shutdown on SIGTERM/SIGINT: stop taking work, finish the checks in flight (until the deadline,
// when they are abandoned and counted), close the database, and exit even if a handle was left open.
import type { Logger } from 'pino';

/** What shutDown needs of the app (see app.ts): its scheduler and its stop. */
export interface StoppableApp {
  scheduler: { abandonInFlight(): number };
  stop(): Promise<void>;
}

/** After the deadline, how long the rest of the shutdown (storing finished results, closing the database) may take. */
const AFTER_DEADLINE_MS = 3000;

/** How long the process may take to end by itself once everything is closed. */
const LINGER_MS = 1000;

/** What keeps a process alive besides its standard streams (process.getActiveResourcesInfo()). */
export function openResources(): string[] {
  return process.getActiveResourcesInfo().filter((name) => name !== 'TTYWrap' && name !== 'PipeWrap');
}

/**
 * Stops the app within timeoutSeconds and exits: 0 when it stopped as designed (checks abandoned at the deadline
 * included), 1 when stopping failed or still hung AFTER_DEADLINE_MS past the deadline.
 */
export function shutDown(app: StoppableApp, logger: Logger, signal: string, timeoutSeconds: number): void {
  logger.info({ signal }, 'shutting down: finishing checks in flight');
  let abandonedChecks = 0;
  const hung = setTimeout(
    () => {
      logger.error({ open: openResources() }, 'shutdown did not complete after the deadline, exiting');
      process.exit(1);
    },
    timeoutSeconds * 1000 + AFTER_DEADLINE_MS,
  );
  const deadline = setTimeout(() => {
    abandonedChecks = app.scheduler.abandonInFlight();
    // Nothing abandoned (the wait was for the database, which the writer reports): no warning.
    logger[abandonedChecks > 0 ? 'warn' : 'info'](
      { seconds: timeoutSeconds, abandonedChecks },
      `shutdown deadline reached: ${abandonedChecks} check(s) in flight abandoned, their results not stored`,
    );
  }, timeoutSeconds * 1000);
  app.stop().then(
    () => {
      clearTimeout(deadline);
      clearTimeout(hung);
      logger.info({ abandonedChecks }, 'stopped');
      // Everything is closed, so the process should end by itself now; if a handle still holds it, say which.
      process.exitCode = 0;
      setTimeout(() => {
        logger.warn({ open: openResources() }, 'still running after stopped: exiting with handles still open');
        process.exit(0);
      }, LINGER_MS).unref();
    },
    (error: unknown) => {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    },
  );
}
