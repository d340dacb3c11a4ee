import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, geometricMean, median, tQuantileTwoSided, tTwoSidedP, welchTest } from '../bench/compare/stats.js';

describe('Student t distribution', () => {
  it('matches published two-sided 95% quantiles', () => {
    // t(0.975, df) from any table (R: qt(0.975, df))
    const table: [number, number][] = [
      [1, 12.7062],
      [2, 4.302653],
      [5, 2.570582],
      [8, 2.306004],
      [30, 2.042272],
    ];
    for (const [df, q] of table) {
      expect(tTwoSidedP(q, df)).toBeCloseTo(0.05, 5);
      expect(tQuantileTwoSided(0.05, df)).toBeCloseTo(q, 4);
    }
  });

  it('gives p = 1 at t = 0 and p → 0 for a huge t', () => {
    expect(tTwoSidedP(0, 4)).toBeCloseTo(1, 10);
    expect(tTwoSidedP(1e6, 4)).toBeLessThan(1e-12);
  });
});

describe('welchTest', () => {
  it('matches a worked Welch example on raw values (not all positive): t = 1.8974, df = 5.8824, p = 0.10753 (numerical integration of the t density)', () => {
    const r = welchTest([-2, -1, 0, 1, 2], [-1, 1, 3, 5, 7]);
    expect(r.scale).toBe('raw');
    expect(r.t).toBeCloseTo(1.8974, 4);
    expect(r.df).toBeCloseTo(5.8824, 4);
    expect(r.p!).toBeCloseTo(0.107531, 5);
  });

  it('tests ratios on logs when every value is positive, with an interval of B/A - 1', () => {
    const a = [100, 101, 99, 100.5, 99.5];
    const b = a.map((v) => v * 1.03);
    const r = welchTest(a, b);
    expect(r.scale).toBe('log');
    expect(r.p!).toBeLessThan(1e-3);
    expect(r.low!).toBeLessThan(0.03);
    expect(r.high!).toBeGreaterThan(0.03);
  });

  it('needs two values a side; two samples without spread are exact', () => {
    expect(welchTest([1], [1, 2]).p).toBeNull();
    expect(welchTest([5, 5, 5], [5, 5, 5]).p).toBe(1);
    expect(welchTest([5, 5, 5], [6, 6, 6]).p).toBe(0);
  });
});

describe('benjaminiHochberg', () => {
  it('matches R p.adjust(c(0.01, 0.04, 0.03, 0.005), "BH")', () => {
    const adj = benjaminiHochberg([0.01, 0.04, 0.03, 0.005]);
    expect(adj.map((p) => Number(p!.toFixed(6)))).toEqual([0.02, 0.04, 0.04, 0.02]);
  });

  it('skips nulls, which do not count as tests', () => {
    expect(benjaminiHochberg([null, 0.01, null, 0.02])).toEqual([null, 0.02, null, 0.02]);
  });

  it('never lowers a p-value and caps at 1', () => {
    const ps = [0.9, 0.5, 0.95, 0.2];
    const adj = benjaminiHochberg(ps);
    for (const [i, p] of adj.entries()) expect(p!).toBeGreaterThanOrEqual(ps[i]!);
    expect(Math.max(...adj.map((p) => p!))).toBeLessThanOrEqual(1);
  });
});

describe('median and geometric mean', () => {
  it('median of odd and even samples; empty throws', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });

  it('geometric mean of ratios; NaN for a non-positive value', () => {
    expect(geometricMean([2, 8])).toBeCloseTo(4, 12);
    expect(geometricMean([1, 0])).toBeNaN();
  });
});
