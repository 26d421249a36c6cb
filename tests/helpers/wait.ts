// Waiting on a condition (never on a sleep): polls `probe` until it answers something truthy, which it returns.

export async function waitFor<T>(what: string, probe: () => Promise<T | false | null>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
