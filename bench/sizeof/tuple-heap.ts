/**
 * Child: the in-heap bytes per tuple as the suite sees them. Generates N tuples
 * with the suite's generator, holds them, and reports the growth of V8's live
 * heap between two full GCs, divided by N.
 *
 * Run: `node --expose-gc dist/bench/sizeof/tuple-heap.js <n> <seed>`; prints one JSON line.
 */
import { getHeapStatistics } from 'node:v8';
import { generateTuples } from '../data/datasets/tuples.js';
import type { TupleHeapMeasurement } from '../types.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('tuple-heap needs node --expose-gc');

function liveHeap(): number {
  gc!();
  gc!();
  return getHeapStatistics().used_heap_size;
}

const n = Number(process.argv[2]);
const seed = Number(process.argv[3] ?? 42);
if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`tuple-heap: bad n ${process.argv[2]}`);

// Warm up first, so compiling the generator and its feedback are not charged to the tuples.
generateTuples(Math.min(n, 1000), seed + 1);
const before = liveHeap();
const tuples = generateTuples(n, seed);
const after = liveHeap();
if (tuples.length !== n) throw new Error('generator returned the wrong count'); // also keeps `tuples` alive past `after`
const result: TupleHeapMeasurement = { n, seed, heapGrowthBytes: after - before, bytesPerTuple: (after - before) / n };
process.stdout.write(`${JSON.stringify(result)}\n`);
