// Whether a build is older than its sources: the build writes a stamp file last, and any source file (or the
// lock file) changed since makes it stale.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The newest modification time under `dir` (build output and node_modules left out). */
export function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** True when `stamp` is missing or older than any file of `sources` (files or folders). */
export function isStale(stamp: string, sources: string[]): boolean {
  if (!existsSync(stamp)) return true;
  const newest = Math.max(
    ...sources.map((source) =>
      !existsSync(source) ? 0 : statSync(source).isDirectory() ? newestMtime(source) : statSync(source).mtimeMs,
    ),
  );
  return newest > statSync(stamp).mtimeMs;
}
