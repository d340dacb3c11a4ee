/** Where the compiled suite lives, so children are started from dist/ whatever the current directory. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: the nearest folder above this file whose package.json is ours (works from dist/ and from sources under vitest). */
function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'serialization-footprint') return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the serialization-footprint package above ${start}`);
  }
}

export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
/** Children always run compiled JavaScript (no loader in a measured process). */
export const CHILD_SCRIPT = join(PROJECT_ROOT, 'dist', 'bench', 'measure', 'child.js');

/** Prints what importing one codec costs a fresh process, run with the measured children's flags. */
export const IMPORT_CHILD_SCRIPT = join(PROJECT_ROOT, 'dist', 'bench', 'measure', 'import-child.js');

/** Prints a file's compressed sizes, run on the Node binary under test. */
export const SIZES_CHILD_SCRIPT = join(PROJECT_ROOT, 'dist', 'bench', 'sizes', 'child.js');

/**
 * The child script as a user would type it from the folder the suite was run in: `dist/bench/measure/child.js`
 * in a clone of the project, `node_modules/serialization-footprint/dist/...` where it is installed as a package.
 */
export function childScriptForDisplay(): string {
  const rel = relative(process.cwd(), CHILD_SCRIPT);
  return rel.startsWith('..') ? CHILD_SCRIPT : rel;
}
