/**
 * The `tuples` dataset: the original experiment's `[float, 20-char string, uint64]` (moved from
 * fixtures/generate.ts, code unchanged), drawn from the seeded PRNG of ../rng.ts.
 *
 * A dataset file holds only its schema and generator (a DatasetDefinition): a measured child loads
 * it before its baseline, so it imports nothing heavier than rng.ts and the type language. The
 * checksum, verification and size derived from the schema (dataset.ts) load after the window.
 */
import type { Tuple } from '../../types.js';
import type { DatasetDefinition } from '../dataset.js';
import { createRng, nextFloat, nextUint64, type Rng } from '../rng.js';
import { t } from '../schema.js';

/** One tuple: `[f: f64, s: string, u: uint64]` (the names are those the Arrow columns, protobuf fields, Avro record and BSON documents use). */
export const TUPLE_SCHEMA = t.tuple('Tuple', [t.field('f', t.f64()), t.field('s', t.string()), t.field('u', t.uint64())] as const);

export const STRING_WIDTH = 20;
/** Letters '@'..'Y' (char codes 64..89), as in the original `chr(64 + randint(0, 25))`. */
export const ALPHABET_START = 64;
export const ALPHABET_SIZE = 26;
/** Bytes of content per tuple: float64 + uint64 + 20 one-byte chars. */
export const INTRINSIC_BYTES_PER_TUPLE = 8 + 8 + STRING_WIDTH;

const scratch = Buffer.alloc(STRING_WIDTH);
/**
 * 20 letters from '@'..'Y'. Built from a byte buffer with latin1 decoding so the
 * result is a flat one-byte string (never a cons or sliced string), the same
 * representation for every format. Letter = floor(u32 * 26 / 2^32): bias below 2^-27.
 */
export function nextString(rng: Rng): string {
  for (let i = 0; i < STRING_WIDTH; i++) {
    scratch[i] = ALPHABET_START + Math.floor((rng() * ALPHABET_SIZE) / 4294967296);
  }
  return scratch.toString('latin1');
}

export function nextTuple(rng: Rng): Tuple {
  const f = nextFloat(rng);
  const s = nextString(rng);
  const n = nextUint64(rng);
  return [f, s, n];
}

/** Yields the N tuples of `seed` one at a time, without holding them (for streaming checksums). */
export function* iterateTuples(n: number, seed: number): Generator<Tuple> {
  const rng = createRng(seed);
  for (let i = 0; i < n; i++) yield nextTuple(rng);
}

/** The N tuples of `seed` in one preallocated array. */
export function generateTuples(n: number, seed: number): Tuple[] {
  const rng = createRng(seed);
  const out = new Array<Tuple>(n);
  for (let i = 0; i < n; i++) out[i] = nextTuple(rng);
  return out;
}

/** The original experiment: the suite's default dataset. */
export const tuplesDefinition: DatasetDefinition<typeof TUPLE_SCHEMA> = {
  name: 'tuples',
  description: 'the original experiment: [float in [0, 1), 20-letter string, uint64] tuples',
  schema: TUPLE_SCHEMA,
  defaultN: 1_000_000,
  generate: generateTuples,
  records: iterateTuples,
};
