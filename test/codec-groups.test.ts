/** --codecs groups and the uint64 verdict helpers. */
import { describe, expect, it } from 'vitest';
import { CODEC_GROUPS, CODECS, DEFAULT_CODECS, expandCodecList } from '../bench/codecs/index.js';
import { generateTuples } from '../bench/data/datasets/tuples.js';
import { tuples } from '../bench/data/builtin.js';
import { caseUint64, codecUint64 } from '../bench/data/diff.js';
import { probeUint64Rejection } from '../bench/measure/probe.js';
import type { Codec, Tuple } from '../bench/types.js';
import { writeFile } from 'node:fs/promises';

describe('--codecs groups', () => {
  it('expand in order, drop duplicates and keep single names', () => {
    expect(expandCodecList(['mission'])).toEqual(['json', 'v8', 'msgpack', 'text']);
    expect(expandCodecList(['floor', 'columnar', 'json'])).toEqual(['columnar', 'text-to-columnar', 'json']);
    expect(expandCodecList(['all'])).toEqual(CODECS.map((c) => c.name));
    expect(DEFAULT_CODECS).toEqual(CODECS.map((c) => c.name));
    expect(expandCodecList(['stream']).every((n) => CODECS.find((c) => c.name === n)?.kind === 'stream')).toBe(true);
    for (const n of CODEC_GROUPS.schema) expect(CODECS.map((c) => c.name)).toContain(n);
  });

  it('take in --codec-module codecs for stream and all, and refuse unknown names listing the groups', () => {
    const ext = { name: 'mine', kind: 'stream' } as Codec;
    expect(expandCodecList(['stream'], [ext])).toContain('mine');
    expect(expandCodecList(['all'], [ext]).at(-1)).toBe('mine');
    expect(() => expandCodecList(['nope'])).toThrow(/unknown codec 'nope'.*groups: mission, stream, floor, schema, all/);
  });
});

describe('uint64 verdict', () => {
  const data = generateTuples(50, 42);

  it('names the first differing record and whether a uint64 differed', () => {
    const wrapped = data.map(([f, s, u]): Tuple => [f, s, BigInt.asIntN(64, u)]);
    const d = tuples.diff(wrapped, 50, 42);
    const first = data.findIndex((t) => t[2] >= 2n ** 63n);
    expect(d.first).toBe(`record ${first}: uint64 ${data[first]![2]} came back as ${BigInt.asIntN(64, data[first]![2])}`);
    expect(d.uint64Differs).toBe(true);
    const floatOnly = data.map(([f, s, u], i): Tuple => [i === 3 ? f + 1 : f, s, u]);
    expect(tuples.diff(floatOnly, 50, 42)).toMatchObject({ first: expect.stringMatching(/^record 3: float /), uint64Differs: false, holdsHighUint64: true });
  });

  it('aggregates runs and cases: rejected over lossy over exact', () => {
    expect(caseUint64([{ uint64: 'exact' }, { uint64: 'lossy' }])).toBe('lossy');
    expect(caseUint64([{ uint64: 'exact' }])).toBe('exact');
    expect(caseUint64([{}])).toBeUndefined();
    expect(caseUint64([], 'Error: uint64 rejected: x refuses')).toBe('rejected');
    expect(
      codecUint64(
        [
          { codec: 'a', uint64: 'exact' },
          { codec: 'a', uint64: 'rejected' },
          { codec: 'b', uint64: 'lossy' },
        ],
        'a',
      ),
    ).toBe('rejected');
  });

  it('probes a dump that throws only on values >= 2**63 as rejected, and one that always throws as not', async () => {
    const signedOnly: Codec = {
      name: 'signed-only',
      kind: 'whole',
      extension: 'x',
      description: '',
      async dump(d, path) {
        for (const t of d) if (t[2] >= 2n ** 63n) throw new RangeError(`${t[2]} is out of int64 range`);
        await writeFile(path, 'ok');
      },
      load: () => Promise.resolve([]),
    };
    expect(await probeUint64Rejection(signedOnly, signedOnly, tuples)).toMatch(/out of int64 range/);
    const broken: Codec = { ...signedOnly, dump: () => Promise.reject(new Error('disk full')) };
    expect(await probeUint64Rejection(broken, broken, tuples)).toBeNull();
  });
});
