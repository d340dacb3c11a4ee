import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * `mkdir -p`, one component at a time. Written by hand because Node's
 * `mkdirSync(dir, { recursive: true })` never returns for some unwritable
 * paths (e.g. under /proc it loops on ENOENT), and a bad `--out` must fail
 * with a clear error, not hang.
 */
export function mkdirp(dir: string): void {
  try {
    if (statSync(dir).isDirectory()) return;
    throw Object.assign(new Error(`${dir} exists and is not a directory`), { code: 'ENOTDIR' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const parent = dirname(dir);
  if (parent !== dir) mkdirp(parent);
  try {
    mkdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}
