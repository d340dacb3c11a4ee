/**
 * Compressed sizes of one file, in a process of the Node version under test:
 * `node dist/bench/sizes/child.js FILE` prints the CompressedSizes as one JSON
 * line. A separate process so that `--node` / `footprint matrix` report the
 * zlib (and zstd, from Node 22.15) of the version measured, not the orchestrator's.
 *
 * `--nice N`: lower this process's CPU priority before anything else runs, so
 * the threads zlib works on (libuv's pool, started later) inherit it; the
 * parent cannot do that race-free from outside. The nice value read back is
 * part of the output.
 */
import { getPriority, setPriority } from 'node:os';
import { compressedSizes } from './compress.js';
import { errorMessage } from '../errors.js';

const [file, flag, value] = process.argv.slice(2);
if (!file || (flag !== undefined && (flag !== '--nice' || !/^\d+$/.test(value ?? '')))) {
  process.stderr.write('usage: node dist/bench/sizes/child.js FILE [--nice N]\n');
  process.exit(2);
}
if (flag === '--nice') {
  try {
    setPriority(Number(value));
  } catch {
    // not permitted here: it runs at the priority it has, and says which
  }
}
compressedSizes(file).then(
  (sizes) => process.stdout.write(`${JSON.stringify({ ...sizes, nice: getPriority() })}\n`),
  (err: unknown) => {
    process.stderr.write(`${errorMessage(err)}\n`);
    process.exit(1);
  },
);
