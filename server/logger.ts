// The service's logger: JSON lines for log collectors, readable lines when a person watches a terminal.
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export function createLogger(level: string, stdoutIsTerminal = process.stdout.isTTY === true): Logger {
  if (!stdoutIsTerminal) return pino({ level });
  // Synchronous, in this thread: nothing is lost when the process exits right after logging.
  return pino({ level }, pretty({ sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }));
}
