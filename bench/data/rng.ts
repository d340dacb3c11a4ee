/**
 * The seeded PRNG every dataset draws from (moved from fixtures/generate.ts, code unchanged).
 *
 * Written here by hand on purpose: golden checksums are committed, so the exact algorithm must
 * never change with a dependency upgrade. It is sfc32 (Chris Doty-Humphrey's Small Fast Counting
 * generator, 32-bit, as in PractRand), seeded through splitmix32 so that any integer seed gives a
 * well-mixed state. Only 32-bit integer arithmetic (`Math.imul`, `>>> 0`) is used, which is exact
 * on every JavaScript engine, so the same seed yields the same data on every machine and Node version.
 */
export type Rng = () => number;

/** splitmix32 step: turns a seed into well-distributed 32-bit words. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** sfc32: returns a function producing uniform uint32 values. */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
  const st = { s: (seed | 0) ^ (Math.floor(seed / 2 ** 32) | 0) };
  let a = splitmix32(st);
  let b = splitmix32(st);
  let c = splitmix32(st);
  let d = 1;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 16; i++) next(); // discard the first outputs, as sfc32's author recommends
  return next;
}

/** Uniform float in [0, 1) with all 53 bits of mantissa random. */
export function nextFloat(rng: Rng): number {
  const hi = rng() >>> 5; // 27 bits
  const lo = rng() >>> 6; // 26 bits
  return (hi * 67108864 + lo) / 9007199254740992; // (hi * 2^26 + lo) / 2^53
}

/**
 * Uniform BigInt in [0, 2**64). Built from two BigInts and a shift on purpose: reading the 8 bytes
 * with DataView.getBigUint64 gives the same values (the golden checksum matched) but raised every
 * dump's extra peak RSS by about 8 MiB at 1M (columnar dump +2.9 -> +11.3 MiB), and was no faster.
 */
export function nextUint64(rng: Rng): bigint {
  const hi = rng();
  const lo = rng();
  return (BigInt(hi) << 32n) | BigInt(lo);
}

// ---- Draws for the built-in datasets (issue 24). Integer arithmetic only, like the PRNG above, so a
// seed gives the same records on every engine; the tuples above do not use them.

const TWO_32 = 4294967296;

/** Uniform integer in [0, n), n <= 2^32 (the tuples' letter rule: floor(u32 * n / 2^32)). */
export const below = (rng: Rng, n: number): number => Math.floor((rng() * n) / TWO_32);
/** Uniform in [0, 1) with 24 random bits: exact as an f32 (what Rust's `rand` gives for an f32). */
export const f32Unit = (rng: Rng): number => (rng() >>> 8) / 16777216;
/** A fair coin (Rust's `gen_bool(0.5)`). */
export const coin = (rng: Rng): boolean => (rng() & 1) === 1;
/** Uniform int32 over its whole range. */
export const int32 = (rng: Rng): number => rng() | 0;

/**
 * An integer in [1, 2^maxLog2) spread evenly over the powers of two (an octave `k` below maxLog2,
 * then uniform within [2^k, 2^(k+1))): sizes from a few bytes to tens of KiB in equal measure. Drawn
 * with integers rather than `2 ** (u * maxLog2)`, whose rounding is left to each engine. maxLog2 <= 31.
 */
export function logUniformInt(rng: Rng, maxLog2: number): number {
  const k = below(rng, maxLog2);
  return 2 ** k + below(rng, 2 ** k);
}

let scratch: Buffer | undefined; // allocated on first use: a measured child's baseline holds none of it
/**
 * A new flat one-byte copy of `s` (code units <= 0xFF), as a decoder produces one: a dataset's strings
 * drawn from small sets are fresh strings per record (never the one shared constant, never a cons
 * string of a template literal), so the data's heap is the heap a loaded dataset has.
 */
export function freshLatin1(s: string): string {
  if (s.length > 256) return Buffer.from(s, 'latin1').toString('latin1');
  scratch ??= Buffer.alloc(256);
  const n = scratch.write(s, 0, 'latin1');
  return scratch.toString('latin1', 0, n);
}

/** A new flat string of the first `len` UTF-16 units of `units` (surrogate pairs included; one-byte when every unit is). */
export function freshUtf16(units: Uint16Array, len: number): string {
  return Buffer.from(units.buffer, units.byteOffset, 2 * len).toString('utf16le');
}

/**
 * A dataset's `generate` (one preallocated array) and `records` (streamed) from its one record
 * function, so the two always agree. Record i is made from the draws after record i - 1's: it
 * depends on the seed and i only, never on n (the prefix property the diff and a count check rely on).
 */
export function seededRecords<T>(next: (rng: Rng, index: number) => T): {
  generate(n: number, seed: number): T[];
  records(n: number, seed: number): Generator<T>;
} {
  return {
    generate(n, seed) {
      const rng = createRng(seed);
      const out = new Array<T>(n);
      for (let i = 0; i < n; i++) out[i] = next(rng, i);
      return out;
    },
    *records(n, seed) {
      const rng = createRng(seed);
      for (let i = 0; i < n; i++) yield next(rng, i);
    },
  };
}
