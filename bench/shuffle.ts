/**
 * A seeded shuffle, for orders that must be random but recorded: the variants of an interleaved
 * round (bench/run/interleave.ts), the codecs of a throughput process (bench/throughput/merge.ts).
 * The same (seed, stream) gives the same order on every machine (the generator's sfc32).
 */
import { createRng, nextFloat } from './data/rng.js';

/** A shuffled copy of `items` (Fisher–Yates), drawn from `seed` and `stream` (e.g. a process or a round). */
export function shuffled<T>(items: readonly T[], seed: number, stream: number): T[] {
  const rng = createRng((seed ^ Math.imul(stream + 1, 0x9e3779b1)) >>> 0);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(nextFloat(rng) * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
