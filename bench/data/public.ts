/**
 * What a reader's dataset module imports (`serialization-footprint/data`): the type language and
 * the seeded PRNG the built-in datasets draw from, with a few draws every generator needs.
 */
import type { Rng } from './rng.js';

export type { DatasetDefinition } from './dataset.js';
export type { Rng } from './rng.js';
export { createRng, nextFloat, nextUint64 } from './rng.js';
export type { Infer, RecordSchema, Type } from './schema.js';
export { describeSchema, t, validateSchema } from './schema.js';

/** A uniform integer in [0, k), k ≤ 2^32 (the tuples' letters are drawn this way). */
export function below(rng: Rng, k: number): number {
  return Math.floor((rng() * k) / 4294967296);
}

/** One of `items`, uniformly. */
export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[below(rng, items.length)]!;
}

/** True with probability p. */
export function coin(rng: Rng, p = 0.5): boolean {
  return rng() < p * 4294967296;
}
