/**
 * Child: the in-heap bytes per record of a dataset as the suite sees them. Generates N records with
 * the dataset's generator, holds them, and reports the growth of V8's live heap (and of the
 * ArrayBuffers outside it: bytes payloads) between two full GCs, divided by N. The tuples are one
 * dataset: their figure is the per-tuple model's "suite side".
 *
 * Run: `node --expose-gc dist/bench/sizeof/record-heap.js <n> <seed> [dataset] [source JSON]`; prints one JSON line.
 */
import { getHeapStatistics } from 'node:v8';
import { DEFAULT_DATASET } from '../data/registry.js';
import { definitionIn } from '../data/source.js';
import type { DatasetSource, RecordHeapMeasurement } from '../types.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('record-heap needs node --expose-gc');

function settled(): { heap: number; external: number } {
  gc!();
  gc!();
  return { heap: getHeapStatistics().used_heap_size, external: process.memoryUsage().arrayBuffers };
}

const n = Number(process.argv[2]);
const seed = Number(process.argv[3] ?? 42);
const name = process.argv[4] ?? DEFAULT_DATASET;
if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`record-heap: bad n ${process.argv[2]}`);
const def = await definitionIn(name, process.argv[5] !== undefined ? (JSON.parse(process.argv[5]) as DatasetSource) : undefined);

// Warm up first, so compiling the generator and its feedback are not charged to the records.
def.generate(Math.min(n, 1000), seed + 1);
const before = settled();
const records = def.generate(n, seed);
const after = settled();
if (records.length !== n) throw new Error('generator returned the wrong count'); // also keeps `records` alive past `after`
const heapGrowthBytes = after.heap - before.heap;
const result: RecordHeapMeasurement = {
  dataset: name,
  n,
  seed,
  heapGrowthBytes,
  bytesPerRecord: heapGrowthBytes / n,
  externalGrowthBytes: after.external - before.external,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
