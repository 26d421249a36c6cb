// Forking a TypeScript child process (through tsx) and waiting for its IPC messages.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

export function forkTs(file: URL, args: string[] = [], extraExecArgv: string[] = []): ChildProcess {
  return fork(file, args, {
    execArgv: ['--import', 'tsx', ...extraExecArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Resolves with the first message that passes `accept`; rejects if the child exits first or time runs out. */
export function nextMessage<T>(
  child: ChildProcess,
  accept: (message: unknown) => message is T,
  timeoutMs: number,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (message: unknown): void => {
      if (!accept(message)) return;
      cleanup();
      resolve(message);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      cleanup();
      reject(new Error(`child process exited (code ${code}, signal ${signal}) before sending the expected message`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no message from the child process within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** A type guard for an IPC message with the given `type`, e.g. `isMessage<TargetsReady>('ready')`. */
export function isMessage<T extends { type: string }>(type: T['type']): (message: unknown) => message is T {
  return (message: unknown): message is T =>
    typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}

/** Waits for the child to exit; kills it (SIGKILL) if it has not after timeoutMs. */
export function waitForExit(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}
