// Regular-expression keywords run on RE2 off the main thread: a pathological pattern over a 1 MiB body neither
// freezes the process nor outlives the check's timeout.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, runCheck, type CheckOutcome } from '../../server/checks/index.ts';
import { startHttpTarget, type HttpTarget } from '../helpers/targets.ts';

let target: HttpTarget;

beforeAll(async () => {
  target = await startHttpTarget();
  // `^(a+)+$` backtracks for ever on this with a backtracking engine (160 s seen for 1 MiB).
  target.setBody(`${'a'.repeat(MAX_BODY_BYTES - 1)}!`);
});

afterAll(async () => {
  await target.close();
});

/** Runs a keyword check while measuring how long the event loop was ever blocked. */
async function measured(
  keyword: string,
  timeoutMs: number,
): Promise<{ outcome: CheckOutcome; ms: number; maxBlockMs: number }> {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const started = performance.now();
  const outcome = await runCheck({
    kind: 'http',
    target: `${target.url}/`,
    timeoutMs,
    http: { keyword, keywordIsRegex: true },
  });
  const ms = performance.now() - started;
  delay.disable();
  return { outcome, ms, maxBlockMs: delay.max / 1e6 };
}

describe('regular-expression keywords', () => {
  it('evaluate a catastrophic-backtracking pattern over 1 MiB quickly, without blocking the event loop', async () => {
    await measured('warm-up', 5000); // the first match starts a worker thread
    const { outcome, ms, maxBlockMs } = await measured('^(a+)+$', 5000);
    expect(outcome).toMatchObject({ isUp: false, cause: 'keyword', error: "keyword '^(a+)+$' missing" });
    expect(ms).toBeLessThan(2000);
    expect(maxBlockMs).toBeLessThan(100);
    const found = await measured('^(a+)+!$', 5000);
    expect(found.outcome).toMatchObject({ isUp: true, cause: null });
  });

  it('stop a match that outlives the check timeout, and the loop stays free meanwhile', async () => {
    // Linear in time but with a large constant: several seconds over 1 MiB in RE2.
    const { outcome, ms, maxBlockMs } = await measured('\\w{200}$', 1000);
    expect(outcome.cause).toBe('timeout');
    expect(outcome.error).toMatch(
      /^keyword '\\w\{200\}\$' not evaluated: the regular expression did not finish within \d+ ms$/,
    );
    expect(ms).toBeLessThan(1500);
    expect(maxBlockMs).toBeLessThan(100);
  });

  it('keep failing with a clear cause for a stored pattern RE2 cannot run', async () => {
    const outcome = await runCheck({
      kind: 'http',
      target: `${target.url}/`,
      timeoutMs: 2000,
      http: { keyword: '(a)\\1', keywordIsRegex: true },
    });
    expect(outcome).toMatchObject({ isUp: false, cause: 'invalid_target' });
    expect(outcome.error).toBe(
      'keyword is not a valid regular expression (RE2 syntax: no backreferences or lookarounds): invalid escape sequence: `\\1`',
    );
  });
});
