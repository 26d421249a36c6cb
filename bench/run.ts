// How every benchmark's entry point runs: a measurement exits 0 whatever its figures, 1 when the bench itself
// broke (or was misconfigured), 130 when interrupted.
import { BenchConfigError } from './config.ts';

let interrupted = false;

/** True once Ctrl-C was pressed: a bench stops starting new rounds. */
export function isInterrupted(): boolean {
  return interrupted;
}

export async function runBench(main: () => Promise<void>): Promise<void> {
  // Ctrl-C reaches the children too: the round in progress fails, and the bench's own cleanup still runs.
  process.on('SIGINT', () => {
    interrupted = true;
    process.exitCode = 130;
  });
  try {
    await main();
  } catch (error) {
    if (error instanceof BenchConfigError) console.error(`bench: ${error.message}`);
    else if (interrupted) console.error('bench interrupted');
    else console.error('bench broke:', error);
    process.exitCode = interrupted ? 130 : 1;
  }
}
