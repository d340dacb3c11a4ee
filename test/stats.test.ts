import { describe, expect, it } from 'vitest';
import {
  changeInterval,
  choose,
  exactUDistribution,
  geometricMean,
  hodgesLehmannRank,
  mannWhitneyU,
  median,
  minimumPValue,
  minimumRepeats,
  normalUpperTail,
} from '../bench/compare/stats.js';

describe('median and geometric mean', () => {
  it('median of odd and even samples', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });
  it('geometric mean of ratios', () => {
    expect(geometricMean([2, 8])).toBeCloseTo(4, 12);
    expect(geometricMean([0.5, 2])).toBeCloseTo(1, 12);
    expect(geometricMean([1, 0])).toBeNaN();
    expect(geometricMean([])).toBeNaN();
  });
});

describe('exact Mann-Whitney U', () => {
  it('null distribution sums to 1 and matches the known counts for 3 vs 3', () => {
    const d = exactUDistribution(3, 3);
    expect(d.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    // counts of U = 0..9 for m = n = 3 (20 arrangements): 1 1 2 3 3 3 3 2 1 1
    expect(Array.from(d, (x) => Math.round(x * 20))).toEqual([1, 1, 2, 3, 3, 3, 3, 2, 1, 1]);
  });

  it('3 vs 3 can never reach p < 0.05: the minimum two-sided p is 0.1', () => {
    const r = mannWhitneyU([1, 2, 3], [100, 200, 300]);
    expect(r.u).toBe(0);
    expect(r.p).toBeCloseTo(0.1, 12);
    expect(r.minP).toBeCloseTo(0.1, 12);
    expect(minimumPValue(4, 4)).toBeCloseTo(2 / 70, 12);
    expect(minimumRepeats(0.05)).toBe(4);
    expect(choose(8, 3)).toBe(56);
    expect(minimumPValue(3, 5)).toBeCloseTo(2 / 56, 12);
  });

  it('5 vs 5 fully separated: p = 2/252 (R: wilcox.test(1:5, 6:10) p = 0.007937)', () => {
    const r = mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    expect(r.method).toBe('exact');
    expect(r.p).toBeCloseTo(0.007937, 6);
  });

  it("matches R's wilcox.test example (Hollander & Wolfe): W = 35, one-sided p = 0.1272", () => {
    const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    const y = [1.15, 0.88, 0.9, 0.74, 1.21];
    const r = mannWhitneyU(x, y);
    expect(r.u).toBe(35);
    expect(r.p).toBeCloseTo(2 * 0.1272, 3);
  });

  it('tie-aware permutation test: counted by hand', () => {
    // pooled [1,1,1,2] -> midranks 2,2,2,4; A = {1,1} has U = 1; 3 of 6 labellings give U <= 1
    const r = mannWhitneyU([1, 1], [1, 2]);
    expect(r.method).toBe('exact-ties');
    expect(r.u).toBe(1);
    expect(r.p).toBe(1);
    expect(mannWhitneyU([5, 5, 5], [5, 5, 5]).p).toBe(1);
  });

  it('without ties the permutation and the recursion agree', () => {
    const a = [3.1, 4.7, 1.2, 9.9, 5.5];
    const b = [6.1, 8.2, 7.3, 2.2];
    const exact = mannWhitneyU(a, b);
    // brute force over all C(9,5) labellings
    const pooled = [...a, ...b];
    let lower = 0;
    let upper = 0;
    let total = 0;
    const idx = [...pooled.keys()];
    const combos = (start: number, k: number, acc: number[]): void => {
      if (k === 0) {
        const inA = new Set(acc);
        let u = 0;
        for (const i of acc) for (const j of idx) if (!inA.has(j) && pooled[i]! > pooled[j]!) u++;
        total++;
        if (u <= exact.u) lower++;
        if (u >= exact.u) upper++;
        return;
      }
      for (let i = start; i <= idx.length - k; i++) combos(i + 1, k - 1, [...acc, i]);
    };
    combos(0, 5, []);
    expect(total).toBe(choose(9, 5));
    expect(exact.p).toBeCloseTo(Math.min(1, (2 * Math.min(lower, upper)) / total), 12);
  });

  it('normal approximation for large samples', () => {
    expect(normalUpperTail(1.959963984540054)).toBeCloseTo(0.025, 6);
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 7);
    const a = Array.from({ length: 60 }, (_, i) => i);
    const b = Array.from({ length: 60 }, (_, i) => i + 0.5);
    const r = mannWhitneyU(a, b);
    expect(r.method).toBe('normal');
    expect(r.p).toBeGreaterThan(0.5);
  });
});

describe('Hodges-Lehmann interval of the change', () => {
  it('rank of the interval: none for 3 vs 3, k = 3 for 5 vs 5', () => {
    expect(hodgesLehmannRank(3, 3)).toBe(0);
    expect(hodgesLehmannRank(4, 4)).toBe(1);
    expect(hodgesLehmannRank(5, 5)).toBe(3);
  });

  it('a pure 10% scaling is estimated as +10% and the interval holds it', () => {
    const a = [100, 103, 98, 101, 99];
    const b = a.map((x) => x * 1.1);
    const ci = changeInterval(a, b)!;
    expect(ci.scale).toBe('ratio');
    expect(ci.estimate).toBeCloseTo(0.1, 12);
    expect(ci.low!).toBeLessThan(0.1);
    expect(ci.high!).toBeGreaterThan(0.1);
    expect(ci.low!).toBeGreaterThan(0);
  });

  it('the interval is the 3rd smallest and 3rd largest pairwise log-ratio for 5 vs 5', () => {
    const a = [10, 12, 11, 13, 9];
    const b = [12, 11, 14, 13, 15];
    const ratios = a.flatMap((x) => b.map((y) => y / x)).sort((p, q) => p - q);
    const ci = changeInterval(a, b)!;
    expect(ci.low).toBeCloseTo(ratios[2]! - 1, 12);
    expect(ci.high).toBeCloseTo(ratios[22]! - 1, 12);
  });

  it('3 vs 3 gives no 95% interval', () => {
    const ci = changeInterval([1, 2, 3], [10, 20, 30])!;
    expect(ci.low).toBeNull();
    expect(ci.high).toBeNull();
    expect(ci.estimate).toBeGreaterThan(1);
  });

  it('non-positive values fall back to differences over |median A|', () => {
    const ci = changeInterval([-1, 0, 1, 2, 3], [9, 10, 11, 12, 13])!;
    expect(ci.scale).toBe('difference');
    expect(ci.estimate).toBeCloseTo(10 / 1, 12);
    expect(changeInterval([0, 0, 0], [-1, 0, 1])).toBeNull();
  });
});
