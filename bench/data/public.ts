/**
 * What a reader's dataset module imports (`serialization-footprint/data`): the type language and
 * the seeded PRNG the built-in datasets draw from, with a few draws every generator needs.
 */
import { below, type Rng } from './rng.js';

export type { DatasetDefinition } from './dataset.js';
export type { Rng } from './rng.js';
export { below, coin, createRng, f32Unit, int32, nextFloat, nextUint64 } from './rng.js';
export type { Infer, RecordSchema, Type } from './schema.js';
export { describeSchema, t, validateSchema } from './schema.js';

/** One of `items`, uniformly. */
export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[below(rng, items.length)]!;
}

/** True with probability p (a fair `coin` is p = 0.5). */
export function chance(rng: Rng, p: number): boolean {
  return rng() < p * 4294967296;
}
