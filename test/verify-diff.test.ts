/**
 * How a verification judges what a load returned (bench/verify-diff.ts): the record count first,
 * then the checksum, then a record-by-record comparison that names the first difference and
 * decides the uint64 verdict only from records that came back as themselves.
 */
import { describe, expect, it } from 'vitest';
import { checksumTuples } from '../bench/checksum.js';
import type { LoadedData, Tuple } from '../bench/types.js';
import { diffLoaded, judgeLoaded, RecordCountError } from '../bench/verify-diff.js';
import { generateTuples } from '../fixtures/generate.js';

const N = 50;
const SEED = 42;
const data = generateTuples(N, SEED);
const expected = checksumTuples(data);
const judge = (loaded: unknown) => judgeLoaded(loaded as LoadedData, N, SEED, () => expected);
const high = data.findIndex((t) => t[2] >= 2n ** 63n);

describe('judgeLoaded', () => {
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
