/**
 * The tuples keep each codec's own dump and load, and their files (bench/codecs/bind.ts `tuplesOr`):
 * for every built-in codec, the tuples binding calls the codec's own functions (not a mapping), writes
 * the bytes the codec wrote before the dataset mappings, and reads the tuples back.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CODECS } from '../bench/codecs/index.js';
import { tuples } from '../bench/data/builtin.js';
import { generateTuples } from '../bench/data/datasets/tuples.js';
import type { DatasetCodec } from '../bench/types.js';
import { TUPLES_SHA } from './helpers/tuples-sha.js';

const dir = mkdtempSync(join(tmpdir(), 'footprint-tuples-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const N = 2000;
const SEED = 42;

describe('the tuples keep each codec’s own dump and load, and their files', () => {
  const data = generateTuples(N, SEED);
  it.each(CODECS.map((c) => c.name))('%s', async (name) => {
    const codec = CODECS.find((c) => c.name === name)!;
    const dump = vi.spyOn(codec, 'dump');
    const load = vi.spyOn(codec, 'load');
    try {
      const bound = codec.forDataset!(tuples.info) as DatasetCodec;
      await codec.init?.();
      const file = join(dir, `${name}-tuples.${codec.extension}`);
      await bound.dump(data, file);
      expect(dump).toHaveBeenCalledTimes(1);
      if (name in TUPLES_SHA) expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(TUPLES_SHA[name]);
      const loaded = await bound.load(file);
      expect(load).toHaveBeenCalledTimes(1);
      expect(tuples.count(loaded)).toBe(N);
      const v = tuples.verify(loaded, N, SEED, () => tuples.expectedChecksum(N, SEED));
      // bson has no uint64: every codec comes back exact but the two bson ones, lossy in their uint64 (the reference's finding)
      if (name === 'bson' || name === 'bson-stream') expect(v).toMatchObject({ verified: false, uint64: 'lossy' });
      else expect(v).toEqual({ verified: true, uint64: 'exact' });
    } finally {
      dump.mockRestore();
      load.mockRestore();
    }
  });
});
