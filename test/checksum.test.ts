import { describe, expect, it } from 'vitest';
import { checksumColumnar, checksumTuples } from '../bench/checksum.js';
import type { ColumnarData, Tuple } from '../bench/types.js';

const rows: Tuple[] = [
  [0.5, 'ABCDEFGHIJKLMNOPQRST', 1n],
  [5e-324, 'TSRQPONMLKJIHGFEDCBA', 2n ** 64n - 1n],
];

describe('checksum', () => {
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
    // (the in-range layout is unchanged: test/generate.test.ts still matches the committed golden checksum)
  });

  it('refuses a Number where a BigInt belongs (a lossy decode cannot pass)', () => {
    expect(() => checksumTuples([[0.5, 'A', 1 as unknown as bigint]])).toThrow(/expected bigint/);
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
    expect(checksumColumnar(col)).toBe(checksumTuples(rows));
  });
});
