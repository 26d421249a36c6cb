// Builds the dashboard into client/dist when it is missing or older than its sources (npm prestart, e2e tests).
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isStale as isBuildStale } from '../../scripts/freshness.ts';

const clientDir = fileURLToPath(new URL('..', import.meta.url));
const projectDir = dirname(clientDir);
const distDir = join(clientDir, 'dist');
/** Written after each successful build; its time is the build's. */
const stamp = join(distDir, '.built');

export function isStale(): boolean {
  return isBuildStale(stamp, [clientDir, join(projectDir, 'package-lock.json')]);
}

function viteBin(): string | null {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  } catch {
    return null;
  }
}

export async function buildClient(): Promise<void> {
  const bin = viteBin();
  if (!bin) throw new Error('vite is not installed (dev dependencies left out?): run npm install');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'build', '--config', join(clientDir, 'vite.config.ts')], {
      cwd: projectDir,
      stdio: 'inherit',
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}`))));
  });
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}

/** 'fresh' (nothing to do), 'built', or 'skipped' (no vite here: an existing build is served, or none). */
export async function ensureClientBuilt(): Promise<'fresh' | 'built' | 'skipped'> {
  if (!isStale()) return 'fresh';
  if (!viteBin()) {
    console.warn(
      existsSync(join(distDir, 'index.html'))
        ? 'vigie: vite is not installed; serving the existing dashboard build in client/dist'
        : 'vigie: vite is not installed, so the dashboard is not built; the API works without it (npm install to build it)',
    );
    return 'skipped';
  }
  await buildClient();
  return 'built';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const force = process.argv.includes('--force');
  (force ? buildClient().then(() => 'built' as const) : ensureClientBuilt()).then(
    (outcome) => {
      if (outcome === 'fresh') console.log('vigie: dashboard build is up to date');
    },
    (error: unknown) => {
      console.error(`vigie: building the dashboard failed: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
