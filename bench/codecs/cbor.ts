/**
 * cbor: CBOR (RFC 8949) with cbor-x, encode / decode of the whole array.
 *
 * uint64: cbor-x writes every BigInt in [0, 2**64) as a CBOR unsigned integer
 * (major type 0) of 8 bytes (0x1b) and, with `int64AsNumber` false (its
 * default, set explicitly here), reads a 0x1b integer back as a BigInt, so
 * 2**63 and 2**64 - 1 come back exact. A BigInt >= 2**64 would become a tag-2
 * bignum; the data never holds one. Floats are written as float64
 * (`useFloat32` off), which round-trips every value. Records (cbor-x's
 * structure extension) are off: the file is plain CBOR. Other datasets: their
 * records as maps, with the same encoder, which keeps typed arrays (RFC 8746
 * tags) and bytes (tag 64 for a Uint8Array) as they are.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Options } from 'cbor-x';
import type { Codec, Tuple } from '../types.js';
import { tuplesOr } from './bind.js';
import { withCodecContext } from './errors.js';
import { once } from './lazy.js';
import { bindMapped, cannotCarry, fixRows } from './mapping/plan.js';

/** How cbor-x carries a dataset's types (cbor and cbor-stream). */
export const CBOR_CARRIES = 'Other datasets: records as maps; bytes as byte strings (tag 64 for a Uint8Array); vectors as RFC 8746 typed-array tags.';

/** `int64AsNumber` is a decoder option cbor-x's type definitions leave out (checked with 1.6.9). */
export const CBOR_OPTIONS: Options & { int64AsNumber: boolean } = { useRecords: false, int64AsNumber: false, useFloat32: 0, mapsAsObjects: true };

/**
 * One Encoder for the module, as applications use cbor-x. Measured (when this
 * was the --codec-module example): with a new Encoder per dump, encoding 10,000
 * tuples took either about 2-3 ms or 10-23 ms depending on the process (4 runs);
 * one shared Encoder stayed at 1.7-3.6 ms. Like msgpackr, it may keep its last
 * buffer alive between calls.
 */
export const cborLib = once(async () => {
  const lib = await import('cbor-x');
  return { lib, encoder: new lib.Encoder(CBOR_OPTIONS) };
});

/** A decoded integer field as a BigInt; a small integer written by another CBOR encoder arrives as a number. */
export function cborUint64(v: unknown, i: number): bigint {
  if (typeof v === 'bigint' && v >= 0n && v < 18446744073709551616n) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  throw new TypeError(`record ${i}: integer field is not a uint64: ${String(v)}`);
}

/** Check a decoded record and fix up its integer field in place. */
export function cborTuple(t: unknown, i: number): Tuple {
  if (!Array.isArray(t) || t.length !== 3 || typeof t[0] !== 'number' || typeof t[1] !== 'string') {
    throw new TypeError(`record ${i} is not [number, string, uint64]`);
  }
  t[2] = cborUint64(t[2], i);
  return t as Tuple;
}

export const cbor: Codec = {
  name: 'cbor',
  kind: 'whole',
  returns: 'rows',
  extension: 'cbor',
  description: `CBOR via cbor-x encode / decode of the whole array (int64AsNumber false); uint64 as CBOR major type 0, 8 bytes. ${CBOR_CARRIES}`,
  packages: ['cbor-x'],
  async init() {
    await cborLib();
  },
  forDataset: (dataset) =>
    tuplesOr(cbor, dataset, (schema) =>
      bindMapped(
        cannotCarry('cbor-x', schema),
        () => null,
        async (rows, path) => writeFile(path, (await cborLib()).encoder.encode(rows)),
        (path) => withCodecContext('cbor', path, async () => fixRows((await cborLib()).encoder.decode(await readFile(path)), null)),
      ),
    ),
  async dump(data, path) {
    const { encoder } = await cborLib();
    await writeFile(path, encoder.encode(data));
  },
  load(path) {
    return withCodecContext('cbor', path, async () => {
      const { encoder } = await cborLib();
      const value: unknown = encoder.decode(await readFile(path));
      if (!Array.isArray(value)) throw new TypeError('top-level value is not an array');
      for (let i = 0; i < value.length; i++) cborTuple(value[i], i);
      return value as Tuple[];
    });
  },
};
