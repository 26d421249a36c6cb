// Waiting on a condition (never on a sleep): polls `probe` until it answers something truthy, which it returns.

export interface WaitOptions {
  timeoutMs?: number;
  everyMs?: number;
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  { timeoutMs = 5000, everyMs = 25 }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** For what service processes do (start, take leases over, check on their own schedule): longer. */
export const PROCESS_WAIT: WaitOptions = { timeoutMs: 15_000 };
