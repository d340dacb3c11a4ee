/**
 * How a verification judges what a load returned (Dataset.verify, bench/data/diff.ts): the record
 * count first, then the checksum, then a record-by-record comparison that names the first
 * difference and decides the uint64 verdict only from records that came back as themselves.
 */
import { describe, expect, it } from 'vitest';
import { NotRecordsError } from '../bench/data/columns.js';
import { defineDataset } from '../bench/data/dataset.js';
import { generateTuples } from '../bench/data/datasets/tuples.js';
import { checksumTuples, tuples } from '../bench/data/builtin.js';
import { RecordCountError } from '../bench/data/diff.js';
import { t } from '../bench/data/schema.js';
import type { LoadedData, Tuple } from '../bench/types.js';

const diffLoaded = (data: LoadedData, n: number, seed: number) => tuples.diff(data, n, seed);

const N = 50;
const SEED = 42;
const data = generateTuples(N, SEED);
const expected = checksumTuples(data);
const judge = (loaded: unknown) => tuples.verify(loaded as LoadedData, N, SEED, () => expected);
const high = data.findIndex((t) => t[2] >= 2n ** 63n);

describe('Dataset.verify (tuples)', () => {
  it('says exact when the data came back', () => {
    expect(judge(structuredClone(data))).toEqual({ verified: true, uint64: 'exact' });
  });

  it('fails a load that returned another number of records, naming both counts, with no uint64 verdict', () => {
    const dropped = data.filter((_, i) => i !== 3);
    expect(() => judge(dropped)).toThrow(RecordCountError);
    expect(() => judge(dropped)).toThrow(`loaded ${N - 1} records, expected ${N}`);
    expect(() => judge([...data, data[0]])).toThrow(`loaded ${N + 1} records, expected ${N}`);
  });

  it('does not call reordered records a uint64 loss: their integers were fine', () => {
    const swapped = [...data];
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    const v = judge(swapped);
    expect(v.verified).toBe(false);
    expect(v.uint64).toBeUndefined(); // records 3 and 4 came back as each other: nothing said about their uint64
    expect(v.error).toMatch(/^data differs from the generator's: first differing record 3: float .* came back as .*; string .*; uint64 /);
  });

  it('calls a uint64 that came back as a Number lossy, naming the record, the field and the type', () => {
    const asNumber = data.map(([f, s, u], i) => [f, s, i === high ? Number(u) : u]);
    const v = judge(asNumber);
    expect(v).toMatchObject({ verified: false, uint64: 'lossy' });
    expect(v.error).toBe(
      `data differs from the generator's: first differing record ${high}: uint64 ${data[high]![2]} came back as ${Number(data[high]![2])} (number)`,
    );
  });

  it('calls a wrapped uint64 lossy with the record (bson), and a float loss exact for the uint64', () => {
    const wrapped = data.map(([f, s, u]): Tuple => [f, s, BigInt.asIntN(64, u)]);
    expect(judge(wrapped)).toMatchObject({ verified: false, uint64: 'lossy', error: expect.stringContaining(`record ${high}: uint64 `) });
    const floats = data.map(([f, s, u], i): Tuple => [i === 7 ? f / 2 : f, s, u]);
    expect(judge(floats)).toMatchObject({ verified: false, uint64: 'exact', error: expect.stringContaining('record 7: float ') });
  });
});

describe('diffLoaded', () => {
  it('names every field that differs in the first differing record', () => {
    const d = diffLoaded([[0.5, 'x', 1n], ...data.slice(1)], N, SEED);
    expect(d.first).toBe(
      `record 0: float ${data[0]![0]} came back as 0.5; string ${JSON.stringify(data[0]![1])} came back as "x"; uint64 ${data[0]![2]} came back as 1`,
    );
    expect(d.uint64Unjudged).toBe(1);
    expect(d.uint64Differs).toBe(false);
  });

  it('says what a record that is no tuple is', () => {
    const d = diffLoaded([null, ...data.slice(1)] as unknown as LoadedData, N, SEED);
    expect(d.first).toBe('record 0: is not [float, string, uint64]: null');
  });
});

describe('verification misfits', () => {
  it('a record that is not a tuple at depth 0 fails the case (NotRecordsError), it is not lossy', () => {
    const broken = [...data];
    broken[5] = { f: 1 } as unknown as Tuple;
    expect(() => judge(broken)).toThrow(NotRecordsError);
    expect(() => judge(broken)).toThrow('the load returned something that is not Tuple records: record 5: is not [float, string, uint64]: an object');
    expect(() => judge([...data.slice(0, 2), [1, 'x'], ...data.slice(3)])).toThrow(NotRecordsError);
  });

  it('something that is neither rows nor columns fails the case', () => {
    expect(() => judge({ kind: 'columnar', n: N })).toThrow(NotRecordsError);
  });

  it('names a nested leaf by its path and kind in a dataset of records', () => {
    const schema = t.record('Order', { id: t.int32(), items: t.list(t.record('Line', { qty: t.int32(), sku: t.string() })), total: t.uint64() });
    const rows = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        id: i,
        items: [
          { qty: 1, sku: 'a' },
          { qty: i, sku: 'b' },
        ],
        total: 2n ** 63n + BigInt(i),
      }));
    const orders = defineDataset({ name: 'orders', description: 'test orders', schema, defaultN: 10, generate: rows });
    const good = rows(4);
    const want = () => orders.expectedChecksum(4, 0);
    expect(orders.verify(good, 4, 0, want)).toEqual({ verified: true, uint64: 'exact' });
    const bad = rows(4);
    bad[2]!.items[1]!.qty = 2.5;
    const v = orders.verify(bad, 4, 0, want);
    expect(v).toMatchObject({ verified: false, uint64: 'exact' });
    expect(v.error).toBe("data differs from the generator's: first differing record 2: .items[1].qty int32 2 came back as 2.5");
    expect(orders.diff(bad, 4, 0).at).toEqual({ record: 2, path: '[2].items[1].qty', kind: 'int32', expected: '2', got: '2.5' });
    const asNumber = rows(4).map((r) => ({ ...r, total: Number(r.total) as unknown as bigint }));
    expect(orders.verify(asNumber, 4, 0, want)).toMatchObject({
      verified: false,
      uint64: 'lossy',
      error: expect.stringContaining('record 0: .total uint64 9223372036854775808 came back as 9223372036854776000 (number)'),
    });
    expect(orders.probe(7n)).toEqual([{ id: 1, items: [{ qty: 1, sku: 'ABCDEFGHIJKLMNOPQRST' }], total: 7n }]);
  });

  it('names the first differing element of bytes and of a numeric vector, and says a length differs', () => {
    const schema = t.record('Blob', { payload: t.bytes(), v: t.vector('f32') });
    const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ payload: new Uint8Array([1, 2, 3, i]), v: new Float32Array([0.5, i]) }));
    const blobs = defineDataset({ name: 'blobz', description: 'test blobs', schema, defaultN: 3, generate: rows });
    const want = () => blobs.expectedChecksum(3, 0);
    const bad = rows(3);
    bad[1]!.payload[2] = 9;
    expect(blobs.verify(bad, 3, 0, want).error).toBe("data differs from the generator's: first differing record 1: .payload[2] bytes 3 came back as 9");
    const badVector = rows(3);
    badVector[2]!.v[1] = 7;
    expect(blobs.diff(badVector, 3, 0).at).toEqual({ record: 2, path: '[2].v[1]', kind: 'vector', expected: '2', got: '7' });
    const shorter = rows(3);
    shorter[0]!.payload = new Uint8Array([1, 2]);
    expect(blobs.verify(shorter, 3, 0, want).error).toBe(
      "data differs from the generator's: first differing record 0: .payload bytes Uint8Array(4) came back as Uint8Array(2)",
    );
  });

  it('the probe of a union sets the uint64 of the member that holds one, a record member included', () => {
    const ds = defineDataset({
      name: 'users',
      description: 'a union of a name and a user record',
      schema: t.record('Row', { who: t.union(t.string(), t.record('User', { id: t.uint64() })) }),
      defaultN: 1,
      generate: (n) => Array.from({ length: n }, () => ({ who: 'x' })),
    });
    expect(ds.probe(7n)).toEqual([{ who: { id: 7n } }]);
  });

  it('the tuples probe record is the one the suite always dumped', () => {
    expect(tuples.probe(2n ** 64n - 1n)).toEqual([[0.5, 'ABCDEFGHIJKLMNOPQRST', 2n ** 64n - 1n]]);
  });

  it('one pass gives the checksum, the intrinsic size and the high-uint64 flag', () => {
    const e = tuples.expect(N, SEED);
    expect(e).toEqual({ records: N, checksum: expected, intrinsicBytes: N * 36, holdsHighUint64: true });
  });
});
