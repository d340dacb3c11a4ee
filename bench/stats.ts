/**
 * Statistics for comparing repeats of one measurement across two reports.
 *
 * The tests come from @stdlib (a kept library, checked against R): Welch's two-sample t-test
 * (`@stdlib/stats-ttest2`), the paired t-test (`@stdlib/stats-ttest`), the Benjamini–Hochberg
 * adjustment (`@stdlib/stats-padjust`), the hypergeometric distribution. What no library has is
 * written here, on top of them, and tested against them: the test against a threshold (two
 * one-sided t-tests against ±bound, combined), and Fisher's exact test on a 2 × k table (the
 * Freeman–Halton extension: every table with the same margins, from @stdlib's hypergeometric pmf).
 *
 * Why Welch's t on the logarithms (as Node's own benchmark/compare.R uses Welch's t): the figures
 * are few (3 to 10 fresh processes) but memory figures repeat to 0.1-1%, and a test has to use
 * that precision; a rank test cannot (with 5 vs 5 Mann–Whitney's smallest p is 0.0079).
 * Logarithms make it a test of the ratio B/A and tame time's right tail; figures that are not all
 * positive (an increment can be negative at tiny N) are tested on their raw values.
 *
 * Why a test against the threshold rather than of "no change at all": the verdict claims "more
 * than the threshold", so the test must show that. The two one-sided tests H0: change ≤ +bound and
 * H0: change ≥ −bound give p = 2 × min(p₊, p₋), which is below α exactly when the two-sided
 * (1 − α) interval of the change lies wholly beyond one bound: a verdict's interval clears its
 * threshold by construction.
 */
import padjust from '@stdlib/stats-padjust';
import ttest from '@stdlib/stats-ttest';
import ttest2 from '@stdlib/stats-ttest2';
import hypergeometricPmf from '@stdlib/stats-base-dists-hypergeometric-pmf';

/** Significance level of every test and interval in the comparison (after the FDR adjustment). */
export const ALPHA = 0.05;

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty sample');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** Geometric mean of positive values (ratios); NaN when any value is not positive or there are none. */
export function geometricMean(values: readonly number[]): number {
  if (values.length === 0 || values.some((v) => !(v > 0))) return Number.NaN;
  return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
}

/** The smallest change that counts: relative to the baseline, and absolute (in the figure's unit); a change must exceed both. */
export interface Bound {
  relative: number;
  absolute: number;
}

export interface ShiftTest {
  /** 'log': tested on ln(values), the change is a ratio; 'raw': on the values (not all positive), relative to |mean A|. */
  scale: 'log' | 'raw';
  /** Tested on the differences of pairs (runs of one interleaved round), not as two independent samples. */
  paired: boolean;
  /** Two-sided p of "no change at all"; null when a side has fewer than 2 values. */
  pNoChange: number | null;
  /**
   * p of "the change exceeds the bound" (either way): 2 × min of the one-sided tests against
   * +bound and −bound, capped at 1. Below α exactly when the (1 − α) interval lies beyond a bound.
   */
  p: number | null;
  /** The bound as a relative change (the larger of the relative threshold and the floor over the baseline). */
  bound: number;
  /** The (1 − α) interval of the change B/A − 1 (log) or (B − A)/|mean A| (raw); null when not testable. */
  low: number | null;
  high: number | null;
  df: number | null;
}

const sameValues = (v: readonly number[]): boolean => v.every((x) => x === v[0]);

/**
 * Test whether B differs from A by more than `bound`. Paired when `paired` and both samples have
 * the same length (the i-th runs of A and B are one round). Samples without spread are exact:
 * their difference is the change, and it either clears the bound (p = 0) or not (p = 1).
 */
export function shiftTest(a: readonly number[], b: readonly number[], bound: Bound, alpha = ALPHA, paired = false): ShiftTest {
  const positive = a.every((v) => v > 0) && b.every((v) => v > 0);
  const scale = positive ? 'log' : 'raw';
  const isPaired = paired && a.length === b.length;
  const none: ShiftTest = { scale, paired: isPaired, pNoChange: null, p: null, bound: bound.relative, low: null, high: null, df: null };
  if (a.length < 2 || b.length < 2) return none;
  const x = positive ? a.map(Math.log) : [...a];
  const y = positive ? b.map(Math.log) : [...b];
  // the baseline's centre turns the absolute floor into a relative one
  const centre = positive ? Math.exp(mean(x)) : Math.abs(mean(a));
  // the bounds on the tested scale: ln(1 ± rel), or ± the larger of rel·|mean A| and the floor in the figure's unit
  const absolute = Math.max(bound.relative * centre, bound.absolute);
  const rel = centre > 0 ? absolute / centre : Number.POSITIVE_INFINITY;
  const up = positive ? Math.log1p(rel) : absolute;
  const down = positive ? (rel < 1 ? Math.log1p(-rel) : Number.NEGATIVE_INFINITY) : -absolute;
  const toChange = (d: number): number => (positive ? Math.expm1(d) : centre > 0 ? d / centre : Number.NaN);
  const diffs = isPaired ? y.map((v, i) => v - x[i]!) : [];
  const exact = isPaired ? sameValues(diffs) : sameValues(a) && sameValues(b);
  if (exact) {
    // no spread to test with: the difference is exact. Judged on the raw values of one pair, so that a
    // change of exactly the floor is not beyond it (logarithms would carry a rounding residue either way)
    const [a0, b0] = [a[0]!, b[0]!];
    const same = isPaired ? a.every((v, i) => v === b[i]) : a0 === b0;
    const excess = Math.max(bound.relative * Math.abs(a0), bound.absolute);
    const beyond = !same && Math.abs(b0 - a0) > excess;
    const change = same ? 0 : toChange(isPaired ? diffs[0]! : y[0]! - x[0]!);
    return { ...none, pNoChange: same ? 1 : 0, p: beyond ? 0 : 1, bound: rel, low: change, high: change, df: null };
  }
  const run = (difference: number, alternative: 'two-sided' | 'greater' | 'less') =>
    isPaired ? ttest(diffs, { mu: difference, alternative, alpha }) : ttest2(y, x, { difference, alternative, alpha });
  const two = run(0, 'two-sided');
  const pUp = run(up, 'greater').pValue;
  const pDown = Number.isFinite(down) ? run(down, 'less').pValue : 1;
  const [lo, hi] = two.ci as [number, number];
  return {
    scale,
    paired: isPaired,
    pNoChange: two.pValue,
    p: Math.min(1, 2 * Math.min(pUp, pDown)),
    bound: rel,
    low: toChange(lo),
    high: toChange(hi),
    df: two.df,
  };
}

/** Benjamini–Hochberg adjusted p-values (@stdlib/stats-padjust 'bh'). Nulls stay null and do not count as tests. */
export function benjaminiHochberg(ps: readonly (number | null)[]): (number | null)[] {
  const tested = ps.flatMap((p, i) => (p === null ? [] : [{ p, i }]));
  const out: (number | null)[] = ps.map(() => null);
  if (tested.length === 0) return out;
  const adjusted = padjust(
    tested.map((t) => t.p),
    'bh',
  );
  for (const [k, t] of tested.entries()) out[t.i] = Math.min(1, adjusted[k]!);
  return out;
}

/**
 * Fisher's exact test of a 2 × k table (rows: A and B; columns: groups such as a figure's modes),
 * two-sided: the probability, given the margins, of every table as likely as the observed one or
 * less. For k = 2 it is Fisher's test; for k > 2 the Freeman–Halton extension. Written by hand
 * (no kept library has it) over @stdlib's hypergeometric pmf: a table's probability is a chain of
 * hypergeometric draws, column by column. Counts are small here (runs of a case), so every table
 * with the observed margins is enumerated.
 */
export function fisherExact(rowA: readonly number[], rowB: readonly number[]): number {
  if (rowA.length !== rowB.length) throw new RangeError('fisherExact: rows of different lengths');
  const cols = rowA.map((v, j) => v + rowB[j]!);
  const nA = rowA.reduce((s, v) => s + v, 0);
  const total = cols.reduce((s, v) => s + v, 0);
  if (total === 0) return 1;
  /** P(A's counts are `counts`), drawing A's runs column by column without replacement. */
  const probability = (counts: readonly number[]): number => {
    let p = 1;
    let left = total;
    let leftA = nA;
    for (let j = 0; j < cols.length - 1; j++) {
      p *= hypergeometricPmf(counts[j]!, left, cols[j]!, leftA);
      left -= cols[j]!;
      leftA -= counts[j]!;
    }
    return p;
  };
  const observed = probability(rowA);
  let p = 0;
  const counts: number[] = new Array(cols.length).fill(0);
  const walk = (j: number, leftA: number, leftAfter: number): void => {
    if (j === cols.length - 1) {
      if (leftA > cols[j]!) return;
      counts[j] = leftA;
      const q = probability(counts);
      if (q <= observed * (1 + 1e-7)) p += q; // relative tolerance, as R's fisher.test
      return;
    }
    const rest = leftAfter - cols[j]!;
    for (let c = Math.max(0, leftA - rest); c <= Math.min(cols[j]!, leftA); c++) {
      counts[j] = c;
      walk(j + 1, leftA - c, rest);
    }
  };
  walk(0, nA, total);
  return Math.min(1, p);
}
