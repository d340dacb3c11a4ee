/** The one place that writes report files. Writes are atomic: a temporary file in the same folder, then rename. */
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { mkdirp } from './mkdirp.js';

/** Write `text` to `path` atomically. The temporary name is unique per process and call, so concurrent runs never share one. */
export function writeFileAtomic(path: string, text: string | Uint8Array): void {
  mkdirp(dirname(path));
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${jsonText(value)}\n`);
}

/** An array of numbers only, as JSON.stringify(…, null, 2) lays it out: one number a line. */
const NUMBER_ARRAY = /\[\n(?:[ ]*-?\d[\d.eE+-]*,\n)*[ ]*-?\d[\d.eE+-]*\n[ ]*\]/g;

/**
 * Indented JSON, with arrays of numbers on one line: the memory-over-time series are thousands of numbers
 * per run, and one a line doubled a 1M report's size (7.1 MB against 3.6 MB for the matrix's 46 cases).
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(NUMBER_ARRAY, (a) => `[${a.slice(1, -1).replace(/\s+/g, '')}]`);
}
