// Compiles the server to JavaScript (dist/server, from tsconfig.server.json) when it is missing or older than its
// sources: npm start and the Docker image run it with plain node, without a TypeScript loader in the process.
import { spawn } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isStale } from './freshness.ts';

const projectDir = dirname(dirname(fileURLToPath(import.meta.url)));
const outDir = join(projectDir, 'dist', 'server');
/** Written after each successful build; its time is the build's. */
const stamp = join(outDir, '.built');
/** What `npm start` runs. */
export const SERVER_ENTRY = join(outDir, 'main.js');

const SOURCES = ['server', 'tsconfig.json', 'tsconfig.server.json', 'package-lock.json'].map((path) =>
  join(projectDir, path),
);

function tscBin(): string | null {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  } catch {
    return null;
  }
}

export async function buildServer(): Promise<void> {
  const bin = tscBin();
  if (!bin) throw new Error('typescript is not installed (dev dependencies left out?): run npm install');
  // From scratch: a source deleted since the last build must not leave its compiled file behind.
  rmSync(outDir, { recursive: true, force: true });
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, '-p', join(projectDir, 'tsconfig.server.json')], {
      cwd: projectDir,
      stdio: 'inherit',
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tsc exited with ${code}`))));
  });
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}

type BuildOutcome = 'fresh' | 'built' | 'skipped';

/**
 * 'fresh' (nothing to do), 'built', or 'skipped' (no TypeScript here: an existing build is run). Callers in one
 * process share one build, even through separate copies of this module (the test projects' global setups).
 */
export function ensureServerBuilt(): Promise<BuildOutcome> {
  const shared = globalThis as { vigieServerBuild?: Promise<BuildOutcome> };
  shared.vigieServerBuild ??= buildIfStale();
  return shared.vigieServerBuild;
}

async function buildIfStale(): Promise<BuildOutcome> {
  if (!isStale(stamp, SOURCES)) return 'fresh';
  if (!tscBin()) {
    if (!existsSync(SERVER_ENTRY)) {
      throw new Error('the server is not compiled and typescript is not installed: run npm install');
    }
    console.warn('vigie: typescript is not installed; running the existing server build in dist/server');
    return 'skipped';
  }
  await buildServer();
  return 'built';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const force = process.argv.includes('--force');
  (force ? buildServer().then(() => 'built' as const) : ensureServerBuilt()).then(
    (outcome) => {
      if (outcome === 'fresh') console.log('vigie: server build is up to date');
    },
    (error: unknown) => {
      console.error(`vigie: building the server failed: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
