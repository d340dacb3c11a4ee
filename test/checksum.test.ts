/**
 * The data model's checksum (bench/data/hash.ts) on the tuples: the same stream the suite always
 * hashed (frozen reference: test/helpers/reference-tuple-hasher.ts), misfits instead of throws.
 */
import { describe, expect, it } from 'vitest';
import { generateTuples, TUPLE_SCHEMA } from '../bench/data/datasets/tuples.js';
import { checksumLoaded, checksumTuples } from '../bench/data/builtin.js';
import { RecordHasher } from '../bench/data/hash.js';
import type { ColumnarData, Tuple } from '../bench/types.js';
import { referenceChecksum } from './helpers/reference-tuple-hasher.js';

const rows: Tuple[] = [
  [0.5, 'ABCDEFGHIJKLMNOPQRST', 1n],
  [5e-324, 'TSRQPONMLKJIHGFEDCBA', 2n ** 64n - 1n],
];

const EDGES: Tuple[] = [
  [-0, '', 0n],
  [Number.NaN, '\ud800x\udc00', 2n ** 64n - 1n],
  [5e-324, `é€😀${'Z'.repeat(40)}`, 2n ** 63n],
  [Number.POSITIVE_INFINITY, 'short', 2n ** 53n + 1n],
  [1 - 2 ** -53, '\udc00', 1n],
  [0.1, 'A'.repeat(15), 7n],
  [0.2, 'B'.repeat(16), 8n],
  [0.3, 'x'.repeat(30000), 9n],
];

describe('checksum', () => {
  it('writes exactly the stream of the suite before the data model: generated and edge tuples', () => {
    const data = generateTuples(10_000, 1234);
    expect(checksumTuples(data)).toBe(referenceChecksum(data));
    expect(checksumTuples(EDGES)).toBe(referenceChecksum(EDGES));
    for (const e of EDGES) expect(checksumTuples([e])).toBe(referenceChecksum([e]));
  });

  it('is order-sensitive', () => {
    expect(checksumTuples(rows)).not.toBe(checksumTuples([rows[1]!, rows[0]!]));
  });

  it('distinguishes float bits, the last bit of a uint64, and the count', () => {
    const base = checksumTuples(rows);
    expect(checksumTuples([[-0, rows[0]![1], 1n], rows[1]!])).not.toBe(checksumTuples([[0, rows[0]![1], 1n], rows[1]!]));
    expect(checksumTuples([rows[0]!, [5e-324, rows[1]![1], 2n ** 64n - 2n]])).not.toBe(base);
    expect(checksumTuples([rows[0]!])).not.toBe(base);
    expect(base.startsWith('2:')).toBe(true);
  });

  it("encodes a BigInt's sign and full width: values with the same low 64 bits do not collide", () => {
    const with_ = (n: bigint): string => checksumTuples([[0.5, 'A', n]]);
    const values = [-1n, 2n ** 64n - 2n ** 32n, 2n ** 64n - 1n, 0n, 2n ** 64n, -(2n ** 64n), 2n ** 128n, 1n, -(2n ** 64n) + 1n];
    const sums = values.map(with_);
    expect(new Set(sums).size).toBe(values.length);
    // out-of-range values are misfits: `1!…`, never equal to a fitting stream
    expect(with_(-1n)).toMatch(/^1!/);
    expect(with_(2n ** 64n - 1n)).toMatch(/^1:/);
  });

  it('a Number where a BigInt belongs is a misfit naming its path, not a throw (a lossy decode cannot pass)', () => {
    const h = new RecordHasher(TUPLE_SCHEMA);
    h.add(rows[0]);
    h.add([0.5, 'A', 1 as unknown as bigint]);
    expect(h.digest()).toMatch(/^2!/);
    expect(h.misfit).toEqual({ record: 1, path: '[1][2]', kind: 'uint64', got: '1 (number)' });
    expect(checksumTuples([[0.5, 'A', 1 as unknown as bigint]])).not.toBe(checksumTuples([[0.5, 'A', 1n]]));
  });

  it('a record that is not a tuple at all is a shape misfit at its index', () => {
    const h = new RecordHasher(TUPLE_SCHEMA);
    h.add(rows[0]);
    h.add({ f: 0.5 });
    h.digest();
    expect(h.misfit).toMatchObject({ record: 1, path: '[1]', kind: 'shape' });
  });

  it('gives the same checksum for the columnar layout of the same data', () => {
    const strings = new Uint8Array(40);
    strings.set(Buffer.from(rows[0]![1], 'latin1'), 0);
    strings.set(Buffer.from(rows[1]![1], 'latin1'), 20);
    const col: ColumnarData = {
      kind: 'columnar',
      n: 2,
      floats: Float64Array.from([0.5, 5e-324]),
      ints: BigUint64Array.from([1n, 2n ** 64n - 1n]),
      strings,
      stringWidth: 20,
    };
    expect(checksumLoaded(col)).toBe(checksumTuples(rows));
  });
});
