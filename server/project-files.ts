// Files the server reads from the project (SQL migrations, the dashboard build, the embedded cluster template),
// found from the project's root: the same whether the server runs from its TypeScript sources or compiled to dist/.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

const PROJECT_ROOT = findProjectRoot();

/** A path inside the project, e.g. projectPath('sql') for the migrations folder. */
export function projectPath(...segments: string[]): string {
  return join(PROJECT_ROOT, ...segments);
}
