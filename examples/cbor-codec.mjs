/**
 * Example external codec: CBOR (RFC 8949) with cbor-x, whole document.
 * Plain JavaScript, so it runs without a build:
 *
 *   npm run bench -- --codec-module examples/cbor-codec.mjs
 *
 * uint64: cbor-x writes every BigInt in [0, 2**64) as a CBOR uint64
 * (major type 0, 0x1b + 8 bytes) and, with `int64AsNumber` left false (its
 * default, set explicitly here), reads a 0x1b integer back as a BigInt, so
 * 2**63 and 2**64 - 1 come back exact. A BigInt >= 2**64 would be written as
 * a tag-2 bignum; the data never holds one. Floats are written as float64
 * (`useFloat32` is off), which round-trips every value in [0, 1). cbor-x
 * writes -0 as the integer 0; the generator never produces -0.
 *
 * @typedef {import('serialization-footprint').Codec} Codec
 * @typedef {import('serialization-footprint').Tuple} Tuple
 */
import { readFile, writeFile } from 'node:fs/promises';
import { Encoder } from 'cbor-x';

const OPTIONS = { useRecords: false, int64AsNumber: false, useFloat32: 0, mapsAsObjects: true };
/**
 * One Encoder for the module, as applications use cbor-x. Measured: with a new
 * Encoder per dump, encoding 10,000 tuples took either about 2-3 ms or 10-23 ms
 * depending on the process (4 runs); one shared Encoder stayed at 1.7-3.6 ms.
 * Like msgpackr, it may keep its last buffer alive between calls.
 */
const encoder = new Encoder(OPTIONS);

/** A decoded integer field as a BigInt; a small integer written by another CBOR encoder arrives as a number. */
function toUint64(v, i) {
  if (typeof v === 'bigint' && v >= 0n && v < 2n ** 64n) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  throw new TypeError(`record ${i}: integer field is not a uint64: ${String(v)}`);
}

/** @type {Codec} */
export const codec = {
  name: 'cbor',
  kind: 'whole',
  extension: 'cbor',
  description: 'CBOR via cbor-x encode / decode of the whole array (int64AsNumber false); uint64 as CBOR major type 0, 8 bytes.',
  packages: ['cbor-x'],
  async dump(data, path) {
    await writeFile(path, encoder.encode(data));
  },
  async load(path) {
    let value;
    try {
      value = encoder.decode(await readFile(path));
    } catch (err) {
      throw new Error(`cbor: ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    if (!Array.isArray(value)) throw new TypeError(`cbor: ${path}: top-level value is not an array`);
    for (let i = 0; i < value.length; i++) {
      const t = value[i];
      if (!Array.isArray(t) || t.length !== 3 || typeof t[0] !== 'number' || typeof t[1] !== 'string') {
        throw new TypeError(`cbor: ${path}: record ${i} is not [number, string, uint64]`);
      }
      t[2] = toUint64(t[2], i);
    }
    return /** @type {Tuple[]} */ (value);
  },
};

export default codec;
