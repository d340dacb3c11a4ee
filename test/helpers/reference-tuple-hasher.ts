/**
 * The suite's tuple hasher as it was before the data model (bench/checksum.ts at f08e711), frozen
 * here as the reference the schema-driven hasher (bench/data/hash.ts) must reproduce byte for byte
 * on in-range tuples: the golden checksum and every verified run depend on that stream.
 */
import { createHash, type Hash } from 'node:crypto';
import type { Tuple } from '../../bench/types.js';

const BATCH = 64 * 1024;
const MAX_UINT64 = 2n ** 64n - 1n;

export class ReferenceTupleHasher {
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

export function referenceChecksum(tuples: Iterable<Tuple>): string {
  const h = new ReferenceTupleHasher();
  for (const t of tuples) h.addTuple(t);
  return h.digest();
}
