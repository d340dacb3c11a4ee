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

/**
 * Indented JSON, with arrays of numbers on one line: the memory-over-time series are thousands of numbers
 * per run, and one a line doubled a 1M report's size (7.1 MB against 3.6 MB for the matrix's 46 cases).
 * Each such array is written compact where JSON.stringify meets it, through a placeholder (a regular
 * expression over the indented text did the same in 50-150 ms for a default run's report, written after
 * every run; this takes a third of that).
 */
export function jsonText(value: unknown): string {
  const compact: string[] = [];
  const nonce = randomBytes(6).toString('hex');
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => {
      // finite numbers only: JSON writes NaN and Infinity as null, which stays one a line
      if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
        compact.push(JSON.stringify(v));
        return `\u0000${nonce}:${compact.length - 1}`;
      }
      return v;
    },
    2,
  );
  return text.replace(new RegExp(`"\\\\u0000${nonce}:(\\d+)"`, 'g'), (_, i: string) => compact[Number(i)]!);
}
