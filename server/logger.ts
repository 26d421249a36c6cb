// The service's logger: JSON lines for log collectors, readable lines when a person watches a terminal.
import pino, { type Logger } from 'pino';

export async function createLogger(level: string, stdoutIsTerminal = process.stdout.isTTY === true): Promise<Logger> {
  if (!stdoutIsTerminal) return pino({ level });
  // Loaded only for a terminal. Synchronous, in this thread: nothing is lost when the process exits right after.
  const { default: pretty } = await import('pino-pretty');
  return pino({ level }, pretty({ sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }));
}
