/** Round trip of every registered codec at small N, with the values that break naive encodings. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checksumLoaded, checksumTuples, loadedLength } from '../bench/checksum.js';
import { CODECS, getCodec } from '../bench/codecs/index.js';
import { generateTuples } from '../fixtures/generate.js';
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

describe.each(CODECS.map((c) => [c.name, c] as const))('%s', (name, codec) => {
  it('round-trips awkward values exactly (0, 2**53+1, 2**63, 2**64-1, 5e-324, 0.1, 1-2**-53)', async () => {
    const file = join(dir, `awkward.${name}.${codec.extension}`);
    await codec.dump(awkward, file);
    const back = await codec.load(file);
    expect(checksumLoaded(back)).toBe(checksumTuples(awkward));
  });

  it('round-trips 2,000 generated tuples', async () => {
    const data = generateTuples(2000, 42);
    const file = join(dir, `gen.${name}.${codec.extension}`);
    await codec.dump(data, file);
    expect(checksumLoaded(await codec.load(file))).toBe(checksumTuples(data));
  });

  it('round-trips zero tuples', async () => {
    const file = join(dir, `empty.${name}.${codec.extension}`);
    await codec.dump([], file);
    const back = await codec.load(file);
    expect(loadedLength(back)).toBe(0);
  });

  it('refuses a file of another format with an error naming the codec and the file', async () => {
    const file = join(dir, `garbage.${name}`);
    writeFileSync(file, Buffer.from('this is not a data file of any kind \u0000\u00ff\u0013', 'latin1'));
    await expect(codec.load(file)).rejects.toThrow(new RegExp(`${name}.*${file.replace(/[.]/g, '\\.')}`));
  });
});

describe('registry', () => {
  it('names the valid codecs for an unknown one', () => {
    expect(() => getCodec('nope')).toThrow(/valid codecs: json, v8, msgpack, text/);
  });
});
