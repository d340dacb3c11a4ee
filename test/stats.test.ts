import hypergeometricPmf from '@stdlib/stats-base-dists-hypergeometric-pmf';
import ttest2 from '@stdlib/stats-ttest2';
import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, fisherExact, geometricMean, median, shiftTest } from '../bench/stats.js';

// Reference values computed with SciPy 1.17 (scipy.stats.ttest_ind(equal_var=False), ttest_rel, fisher_exact)
// and, for the 2 × 3 tables, exactly with rational arithmetic (Python's fractions) over every table with the margins.

describe('shiftTest: Welch (and paired) t-tests against a bound', () => {
  it('its no-change p is Welch’s: a worked example on raw values (not all positive), t = 1.8974, df = 5.8824, p = 0.10753', () => {
    const r = shiftTest([-2, -1, 0, 1, 2], [-1, 1, 3, 5, 7], { relative: 0, absolute: 0 });
    expect(r.scale).toBe('raw');
    expect(r.df!).toBeCloseTo(5.8824, 4);
    expect(r.pNoChange!).toBeCloseTo(0.107531, 5);
  });

  it('tests against ln(1 ± bound) on logarithms: +10% against a 2% threshold p = 3.658e-7, +2.5% p = 0.3567 (SciPy)', () => {
    const a = [100, 101, 99, 100.5, 99.5];
    const far = shiftTest(
      a,
      a.map((v) => v * 1.1),
      { relative: 0.02, absolute: 0 },
    );
    expect(far.scale).toBe('log');
    expect(far.p!).toBeCloseTo(3.658008e-7, 11);
    const near = shiftTest(
      a,
      a.map((v) => v * 1.025),
      { relative: 0.02, absolute: 0 },
    );
    expect(near.p!).toBeCloseTo(0.3567348, 6);
    // the interval holds +2.5% and its low end does not clear +2%: p above α and interval agree
    expect(near.low!).toBeLessThan(0.02);
    expect(near.high!).toBeGreaterThan(0.025);
  });

  it('p < α exactly when the 95% interval lies beyond the bound', () => {
    const a = [100, 102, 98, 101, 99];
    for (const shift of [1.01, 1.03, 1.05, 1.07, 0.93, 0.97]) {
      const r = shiftTest(
        a,
        a.map((v, i) => v * shift * (1 + 0.004 * (i - 2))),
        { relative: 0.03, absolute: 0 },
      );
      const clears = r.low! > r.bound || r.high! < -r.bound;
      expect(r.p! < 0.05, `shift ${shift}: p ${r.p}, interval [${r.low}, ${r.high}]`).toBe(clears);
    }
  });

  it('the absolute floor turns into a relative bound over the baseline', () => {
    const a = [3e6, 3.1e6, 2.9e6];
    const r = shiftTest(
      a,
      a.map((v) => v + 1.5e6),
      { relative: 0.02, absolute: 2e6 },
    );
    expect(r.bound).toBeCloseTo(2e6 / Math.exp((Math.log(3e6) + Math.log(3.1e6) + Math.log(2.9e6)) / 3), 6);
    expect(r.p!).toBeGreaterThan(0.05); // +50%, but 1.5 MB under a 2 MB floor
  });

  it('paired by round: p = 0.005142 where the unpaired test gives 0.5084 (SciPy ttest_rel / ttest_ind)', () => {
    const x = [10, 12, 11, 13, 12.5];
    const y = [11, 13.5, 12, 14.5, 13.4];
    const bound = { relative: 0.05, absolute: 0 };
    const paired = shiftTest(x, y, bound, 0.05, true);
    expect(paired.paired).toBe(true);
    expect(paired.p!).toBeCloseTo(0.005142254, 8);
    expect(shiftTest(x, y, bound).p!).toBeCloseTo(0.5083564, 6);
  });

  it('needs two values a side; samples without spread are exact, a difference of exactly the bound is not beyond it', () => {
    expect(shiftTest([1], [1, 2], { relative: 0, absolute: 0 }).p).toBeNull();
    expect(shiftTest([5, 5, 5], [5, 5, 5], { relative: 0, absolute: 0 }).p).toBe(1);
    expect(shiftTest([5, 5, 5], [6, 6, 6], { relative: 0.02, absolute: 0 }).p).toBe(0);
    expect(shiftTest([100, 100, 100], [102, 102, 102], { relative: 0, absolute: 2 }).p).toBe(1);
    expect(shiftTest([100, 100, 100], [102.01, 102.01, 102.01], { relative: 0, absolute: 2 }).p).toBe(0);
  });

  it('agrees with @stdlib’s Welch test run by hand on the shifted logarithms', () => {
    const a = [210, 214, 209, 212];
    const b = [226, 231, 224, 229, 228];
    const r = shiftTest(a, b, { relative: 0.05, absolute: 0 });
    const la = a.map(Math.log);
    const lb = b.map(Math.log);
    const up = ttest2(lb, la, { difference: Math.log(1.05), alternative: 'greater' }).pValue;
    expect(r.p!).toBeCloseTo(Math.min(1, 2 * up), 12);
  });
});

describe('benjaminiHochberg', () => {
  it('matches R p.adjust(c(0.01, 0.04, 0.03, 0.005), "BH")', () => {
    const adj = benjaminiHochberg([0.01, 0.04, 0.03, 0.005]);
    expect(adj.map((p) => Number(p!.toFixed(6)))).toEqual([0.02, 0.04, 0.04, 0.02]);
  });

  it('skips nulls, which do not count as tests', () => {
    expect(benjaminiHochberg([null, 0.01, null, 0.02])).toEqual([null, 0.02, null, 0.02]);
    expect(benjaminiHochberg([null, null])).toEqual([null, null]);
  });

  it('never lowers a p-value and caps at 1', () => {
    const ps = [0.9, 0.5, 0.95, 0.2];
    const adj = benjaminiHochberg(ps);
    for (const [i, p] of adj.entries()) expect(p!).toBeGreaterThanOrEqual(ps[i]!);
    expect(Math.max(...adj.map((p) => p!))).toBeLessThanOrEqual(1);
  });
});

describe('fisherExact (2 × k, hand-written over @stdlib’s hypergeometric pmf)', () => {
  it('2 × 2: the tea-tasting table p = 0.4857, 3:0 against 0:3 p = 0.1, 2:1 against 0:3 p = 0.4 (SciPy fisher_exact)', () => {
    expect(fisherExact([3, 1], [1, 3])).toBeCloseTo(0.4857142857, 9);
    expect(fisherExact([3, 0], [0, 3])).toBeCloseTo(0.1, 12);
    expect(fisherExact([2, 1], [0, 3])).toBeCloseTo(0.4, 12);
  });

  it('2 × 2 equals the two-sided sum of the library’s hypergeometric pmf', () => {
    const [a, b, c, d] = [6, 2, 1, 7];
    const pmf = (k: number): number => hypergeometricPmf(k, a + b + c + d, a + c, a + b);
    const observed = pmf(a);
    let p = 0;
    for (let k = 0; k <= Math.min(a + c, a + b); k++) if (pmf(k) <= observed * (1 + 1e-7)) p += pmf(k);
    expect(fisherExact([a, b], [c, d])).toBeCloseTo(p, 12);
  });

  it('2 × 3 (Freeman–Halton): 5/63 and 1/126, exact rational sums over every table with the margins', () => {
    expect(fisherExact([2, 0, 3], [0, 4, 1])).toBeCloseTo(5 / 63, 12);
    expect(fisherExact([0, 0, 5], [2, 3, 0])).toBeCloseTo(1 / 126, 12);
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
