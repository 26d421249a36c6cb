// Runs the server as a real child process, as `npm start` does (the compiled server), and reads its JSON log lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { ensureServerBuilt, SERVER_ENTRY } from '../../scripts/ensure-server-built.ts';

/**
 * The service as `npm start` runs it. The build is made fresh by the tests' global setup (server-build-setup.ts),
 * and by startServiceProcess for the benches.
 */
export const SERVICE_COMMAND = [process.execPath, SERVER_ENTRY];

let built: Promise<unknown> | null = null;

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  logs: string[];
  /** Sends a signal and resolves with the exit code and how long the exit took. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; ms: number }>;
}

/**
 * wrapper: a command that execs the rest of its arguments (e.g. to start the service in a network namespace),
 * so that signals still reach the service itself.
 */
export async function startServiceProcess(
  env: Record<string, string>,
  wrapper: string[] = [],
): Promise<ServiceProcess> {
  await (built ??= ensureServerBuilt());
  const command = [...wrapper, ...SERVICE_COMMAND];
  const child = spawn(command[0]!, command.slice(1), {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      // Retention off: fixtures' results are dated long ago (see app.ts).
      RETENTION_JOURS: '0',
      RETENTION_CUMULS_JOURS: '0',
      // Authentication has its own suites.
      AUTH_DISABLED: 'true',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start:\n${logs.join('\n')}`)), 30_000);
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        logs.push(line);
        const url = line.includes('Vigie is listening') ? (JSON.parse(line) as { url: string }).url : null;
        if (!url) continue;
        clearTimeout(timer);
        resolve({
          child,
          url,
          logs,
          async stop(signal = 'SIGTERM') {
            const started = Date.now();
            child.kill(signal);
            const code = await exited;
            return { code, ms: Date.now() - started };
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code} before listening:\n${logs.join('\n')}`));
    });
  });
}
