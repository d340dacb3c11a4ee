/**
 * Order-sensitive, exact checksum of a dataset, computed as a stream so a
 * load can be verified without a second copy of the data.
 *
 * Each tuple contributes a canonical byte form: the float's 8 IEEE-754 bytes
 * (little endian, so -0, NaN payloads and 5e-324 are all distinguished), the
 * uint64's 8 bytes (little endian), the string's length (uint32) and its UTF-16
 * code units (uint16 each). The bytes are batched into a 64 KiB buffer and fed
 * to SHA-256, so the cost is a single pass over about 60 bytes per tuple.
 */
import { createHash, type Hash } from 'node:crypto';
import { TUPLE_SCHEMA } from './data/datasets/tuples.js';
import { checksumRecords } from './data/hash.js';
import type { ArrowData, ColumnarData, LoadedData, Tuple } from './types.js';

const BATCH = 64 * 1024;
const MAX_UINT64 = 2n ** 64n - 1n;

export class TupleHasher {
  private readonly hash: Hash = createHash('sha256');
  private readonly buf = Buffer.alloc(BATCH);
  private readonly view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  private pos = 0;
  private count = 0;

  private ensure(bytes: number): void {
    if (this.pos + bytes > BATCH) {
      this.hash.update(this.buf.subarray(0, this.pos));
      this.pos = 0;
    }
  }

  /** Add one tuple. `s` may be a string or, for columnar data, its latin1 bytes. */
  add(f: number, s: string | Uint8Array, n: bigint): void {
    if (typeof n !== 'bigint') throw new TypeError(`tuple ${this.count}: integer is ${typeof n}, expected bigint`);
    if (typeof f !== 'number') throw new TypeError(`tuple ${this.count}: float is ${typeof f}, expected number`);
    const len = s.length;
    if (len > (BATCH - 24) / 2) throw new RangeError(`tuple ${this.count}: string of ${len} characters is too long to checksum`);
    const outOfRange = n < 0n || n > MAX_UINT64;
    this.ensure(20 + 2 * len + 1);
    const v = this.view;
    v.setFloat64(this.pos, f, true);
    v.setBigUint64(this.pos + 8, BigInt.asUintN(64, n), true);
    // A value outside [0, 2**64) sets the length field's top bit (a string length never reaches it),
    // and its sign and whole magnitude follow the string: -1n and 2**64 - 2**32 (same low 64 bits
    // after a wrap) must not collide, nor 2**64 with 0. In-range values keep the plain layout.
    v.setUint32(this.pos + 16, outOfRange ? (len | 0x80000000) >>> 0 : len, true);
    let p = this.pos + 20;
    if (typeof s === 'string') {
      for (let i = 0; i < len; i++, p += 2) v.setUint16(p, s.charCodeAt(i), true);
    } else {
      for (let i = 0; i < len; i++, p += 2) v.setUint16(p, s[i]!, true);
    }
    if (outOfRange) {
      v.setUint8(p, n < 0n ? 1 : 0);
      this.pos = p + 1;
      const magnitude = Buffer.from((n < 0n ? -n : n).toString(16), 'latin1');
      this.ensure(BATCH); // flush, then hash the magnitude's hex digits with their length
      this.hash.update(`${magnitude.length}:`);
      this.hash.update(magnitude);
    } else {
      this.pos = p;
    }
    this.count++;
  }

  addTuple(t: Tuple): void {
    if (!Array.isArray(t) || t.length !== 3) throw new TypeError(`tuple ${this.count}: not a 3-element array`);
    if (typeof t[1] !== 'string') throw new TypeError(`tuple ${this.count}: string is ${typeof t[1]}, expected string`);
    this.add(t[0], t[1], t[2]);
  }

  /** Hex digest, prefixed with the tuple count so a truncated dataset reads as such. */
  digest(): string {
    this.hash.update(this.buf.subarray(0, this.pos));
    this.pos = 0;
    return `${this.count}:${this.hash.digest('hex')}`;
  }
}

/** The tuples' checksum: the data model's schema-driven hasher over the tuples' schema (bench/data/hash.ts). */
export function checksumTuples(tuples: Iterable<Tuple>): string {
  return checksumRecords(TUPLE_SCHEMA, tuples);
}

export function checksumColumnar(c: ColumnarData): string {
  const h = new TupleHasher();
  const w = c.stringWidth;
  for (let i = 0; i < c.n; i++) {
    // trailing NUL padding of the fixed-width field is not part of the string
    let end = (i + 1) * w;
    while (end > i * w && c.strings[end - 1] === 0) end--;
    h.add(c.floats[i]!, c.strings.subarray(i * w, end), c.ints[i]!);
  }
  return h.digest();
}

const utf8 = new TextDecoder();

/**
 * Arrow record batches, read from their buffers (no rows built). A Utf8 value
 * is UTF-8 bytes: passed to the hasher as bytes (= UTF-16 code units) when all
 * are ASCII, decoded to a string only when one is not.
 */
export function checksumArrow(a: ArrowData): string {
  const h = new TupleHasher();
  for (const batch of a.table.batches) {
    const [f, s, u] = batch.data.children;
    const floats = f!.values as Float64Array;
    const ints = u!.values as BigUint64Array;
    const offsets = s!.valueOffsets as Int32Array;
    const bytes = s!.values as Uint8Array;
    for (let i = 0; i < batch.numRows; i++) {
      const str = bytes.subarray(offsets[s!.offset + i]!, offsets[s!.offset + i + 1]!);
      let ascii = true;
      for (let k = 0; k < str.length; k++) if (str[k]! > 0x7f) ascii = false;
      h.add(floats[f!.offset + i]!, ascii ? str : utf8.decode(str), ints[u!.offset + i]!);
    }
  }
  return h.digest();
}

/** Checksum of whatever a codec's `load` returned. */
export function checksumLoaded(data: LoadedData): string {
  if (Array.isArray(data)) return checksumTuples(data);
  return data.kind === 'arrow' ? checksumArrow(data) : checksumColumnar(data);
}

/** Number of records in loaded data. */
export function loadedLength(data: LoadedData): number {
  return Array.isArray(data) ? data.length : data.n;
}
