import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng } from '../bench/data/rng.js';
import { generateTuples, iterateTuples, STRING_WIDTH } from '../bench/data/datasets/tuples.js';
import { checksumTuples } from '../bench/data/builtin.js';

const golden = JSON.parse(readFileSync(new URL('../fixtures/golden-seed42-n10000.json', import.meta.url), 'utf8')) as {
  seed: number;
  n: number;
  checksum: string;
  first: [number, string, string][];
  last: [number, string, string];
};

describe('seeded generator', () => {
  it('reproduces the committed golden checksum (seed 42, N 10,000)', () => {
    expect(checksumTuples(generateTuples(golden.n, golden.seed))).toBe(golden.checksum);
  });

  it('reproduces the golden first and last tuples exactly', () => {
    const data = generateTuples(golden.n, golden.seed);
    expect(data.slice(0, 3).map((t) => [t[0], t[1], t[2].toString()])).toEqual(golden.first);
    const last = data[golden.n - 1]!;
    expect([last[0], last[1], last[2].toString()]).toEqual(golden.last);
  });

  it('streams the same tuples it generates', () => {
    expect(checksumTuples(iterateTuples(500, 7))).toBe(checksumTuples(generateTuples(500, 7)));
  });

  it('gives different data for different seeds', () => {
    expect(checksumTuples(generateTuples(100, 1))).not.toBe(checksumTuples(generateTuples(100, 2)));
  });

  it('keeps every field in its range', () => {
    for (const [f, s, n] of generateTuples(5000, 3)) {
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
      expect(s).toMatch(new RegExp(`^[@-Y]{${STRING_WIDTH}}$`));
      expect(n >= 0n && n < 2n ** 64n).toBe(true);
    }
  });

  it('uses the whole 64-bit range and all 26 letters', () => {
    const data = generateTuples(5000, 9);
    expect(data.some(([, , n]) => n >= 2n ** 63n)).toBe(true);
    expect(data.some(([, , n]) => n < 2n ** 63n)).toBe(true);
    expect(new Set(data.flatMap(([, s]) => [...s])).size).toBe(26);
  });

  it('refuses a seed that is not a safe integer', () => {
    expect(() => createRng(1.5)).toThrow(/safe integer/);
  });
});
