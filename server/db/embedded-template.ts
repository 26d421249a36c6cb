// A new embedded data folder starts from a cluster made ahead of time (`npm run embedded:template`) rather than
// from PGlite's initdb, which runs a second PostgreSQL in the process and copies its heap: about 800 MB at the
// first start instead of the 250 MB of every later one.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { projectPath } from '../project-files.ts';
import { extract } from 'tar';

const TEMPLATE_DIR = projectPath('server', 'db', 'cluster-template');
// Written last: PostgreSQL (and PGlite) take a folder with it for a cluster, so a half-copied folder is not one.
const COMPLETE_MARKER = 'PG_VERSION';

/** The version of the installed PGlite: a cluster only opens with the PostgreSQL build that made it. */
export function installedPgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const manifest = join(dirname(dirname(entry)), 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

export function templatePath(version = installedPgliteVersion()): string {
  return join(TEMPLATE_DIR, `pglite-${version}.tar.gz`);
}

export function isCluster(dataDir: string): boolean {
  return existsSync(join(dataDir, COMPLETE_MARKER));
}

/**
 * Copies the template cluster into dataDir when it holds none yet. Returns false when there is no template for
 * the installed PGlite (PGlite then runs initdb itself). A copy cut short is copied again at the next start.
 */
export async function copyTemplateCluster(dataDir: string): Promise<boolean> {
  const template = templatePath();
  if (!existsSync(template)) return false;
  mkdirSync(dataDir, { recursive: true });
  const isMarker = (path: string) => path.replace(/^\/+/, '') === COMPLETE_MARKER;
  await extract({ file: template, cwd: dataDir, filter: (path) => !isMarker(path) });
  await extract({ file: template, cwd: dataDir, filter: isMarker });
  return true;
}
