/**
 * Compressed sizes of one file, in a process of the Node version under test:
 * `node dist/bench/sizes/child.js FILE [--no-brotli]` prints the CompressedSizes as one JSON
 * line. A separate process so that `--node` / `footprint matrix` report the
 * zlib (and zstd, from Node 22.15) of the version measured, not the orchestrator's.
 */
import { compressedSizes } from './compress.js';
import { errorMessage } from '../errors.js';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node dist/bench/sizes/child.js FILE\n');
  process.exit(2);
}
compressedSizes(file, { brotli: process.argv[3] !== '--no-brotli' }).then(
  (sizes) => process.stdout.write(`${JSON.stringify(sizes)}\n`),
  (err: unknown) => {
    process.stderr.write(`${errorMessage(err)}\n`);
    process.exit(1);
  },
);
