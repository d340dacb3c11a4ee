/** Round trip of every registered codec at small N, with the values that break naive encodings. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CODEC_GROUPS, CODECS, getCodec } from '../bench/codecs/index.js';
import { loadedReturns } from '../bench/codecs/returns.js';
import { generateTuples, TUPLE_SCHEMA } from '../bench/data/datasets/tuples.js';
import { checksumLoaded, checksumTuples, tuples } from '../bench/data/builtin.js';
import { loadedRows } from '../bench/data/columns.js';
import type { Tuple } from '../bench/types.js';

const dir = mkdtempSync(join(tmpdir(), 'footprint-codecs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const awkward: Tuple[] = [
  [0, '@@@@@@@@@@@@@@@@@@@@', 0n],
  [5e-324, 'YYYYYYYYYYYYYYYYYYYY', 2n ** 53n + 1n],
  [0.1, 'ABCDEFGHIJKLMNOPQRST', 2n ** 63n],
  [1 - 2 ** -53, 'HOVERCRAFTFULLOFEELS', 2n ** 64n - 1n],
  [0.30000000000000004, 'A@B@C@D@E@F@G@H@I@J@', 2n ** 63n - 1n],
];

/**
 * BSON's int64 is signed: the bson package writes 2**63 and above silently
 * wrapped. Those two codecs must come back with exactly that loss (and every
 * other field intact), which the suite then reports as lossy; every other
 * codec must be exact.
 */
const SIGNED_INT64 = new Set(['bson', 'bson-stream']);

/** Expect `back` to equal `want` except that uint64 values >= 2**63 came back as their signed 64-bit reading. */
function expectSignedWrap(back: Parameters<typeof checksumLoaded>[0], want: readonly Tuple[]): void {
  const got = [...loadedRows(TUPLE_SCHEMA, back)] as Tuple[];
  expect(got).toHaveLength(want.length);
  const wrapped = want.map(([f, s, u]): Tuple => [f, s, BigInt.asIntN(64, u)]);
  expect(checksumTuples(got)).toBe(checksumTuples(wrapped));
  expect(checksumTuples(got)).not.toBe(checksumTuples(want));
}

describe.each(CODECS.map((c) => [c.name, c] as const))('%s', (name, codec) => {
  it('round-trips awkward values exactly (0, 2**53+1, 2**63, 2**64-1, 5e-324, 0.1, 1-2**-53), or loses exactly those >= 2**63 (signed int64)', async () => {
    const file = join(dir, `awkward.${name}.${codec.extension}`);
    await codec.dump(awkward, file);
    const back = await codec.load(file);
    if (SIGNED_INT64.has(name)) expectSignedWrap(back, awkward);
    else expect(checksumLoaded(back)).toBe(checksumTuples(awkward));
  });

  it('round-trips 2,000 generated tuples', async () => {
    const data = generateTuples(2000, 42);
    const file = join(dir, `gen.${name}.${codec.extension}`);
    await codec.dump(data, file);
    const back = await codec.load(file);
    if (SIGNED_INT64.has(name)) expectSignedWrap(back, data);
    else expect(checksumLoaded(back)).toBe(checksumTuples(data));
  });

  it('round-trips zero tuples', async () => {
    const file = join(dir, `empty.${name}.${codec.extension}`);
    await codec.dump([], file);
    const back = await codec.load(file);
    expect(tuples.count(back)).toBe(0);
  });

  it('refuses a file of another format with an error naming the codec and the file', async () => {
    const file = join(dir, `garbage.${name}`);
    writeFileSync(file, Buffer.from('this is not a data file of any kind \u0000\u00ff\u0013', 'latin1'));
    await expect(codec.load(file)).rejects.toThrow(new RegExp(`${name}.*${file.replace(/[.]/g, '\\.')}`));
  });
});

// the floor formats hold 20 latin1 bytes a string by design; every other codec takes any string and float
describe.each(CODECS.filter((c) => !(CODEC_GROUPS.floor as readonly string[]).includes(c.name)).map((c) => [c.name, c] as const))(
  '%s beyond the generator',
  (name, codec) => {
    it('round-trips strings beyond latin1 (UTF-8 in Arrow) and floats outside [0, 1)', async () => {
      const data: Tuple[] = [
        [-1.5, 'snow\u2603 and \u{1F600}', 7n],
        [1e300, '', 2n ** 32n],
        [-0.25, 'plain', 5n],
      ];
      const file = join(dir, `unicode.${name}.${codec.extension}`);
      await codec.dump(data, file);
      expect(checksumLoaded(await codec.load(file))).toBe(checksumTuples(data));
    });
  },
);

describe('registry', () => {
  it('names the valid codecs for an unknown one', () => {
    expect(() => getCodec('nope')).toThrow(/valid codecs: json, v8, msgpack, text/);
  });
});

describe('what each codec declares', () => {
  it.each(CODECS.map((c) => [c.name, c] as const))('%s: declares what its load returns, and returns that', async (name, codec) => {
    expect(codec.returns, `${name} declares returns`).toBeDefined();
    const path = join(dir, `returns-${name}.${codec.extension}`);
    await codec.dump(awkward, path);
    expect(loadedReturns(await codec.load(path))).toBe(codec.returns);
  });

  it.each(CODECS.map((c) => [c.name, c] as const))('%s: is exported by bench/codecs/%s.ts, where the import-cost child finds it', async (name, codec) => {
    const mod = (await import(`../bench/codecs/${name}.ts`)) as Record<string, unknown>;
    expect(Object.values(mod)).toContain(codec);
  });

  it.each(CODECS.filter((c) => c.dumpBy !== undefined).map((c) => [c.name, c] as const))(
    "%s: has no dump of its own: the codec it names writes the same bytes, and it reads that codec's file",
    async (name, codec) => {
      const by = getCodec(codec.dumpBy!);
      const mine = join(dir, `dumpby-${name}.${codec.extension}`);
      const theirs = join(dir, `dumpby-${by.name}.${by.extension}`);
      const data = generateTuples(500, 9);
      await codec.dump(data, mine);
      await by.dump(data, theirs);
      expect(readFileSync(mine).equals(readFileSync(theirs))).toBe(true);
      expect(checksumLoaded(await codec.load(theirs))).toBe(checksumTuples(data));
    },
  );
});
