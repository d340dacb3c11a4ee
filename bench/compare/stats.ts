/**
 * Statistics for comparing repeats of one measurement across two reports.
 *
 * Why Mann–Whitney U (as benchstat does): the repeats are few (3 to 10 fresh
 * processes), not normally distributed (time has long right tails on a shared
 * machine), and we only want to know whether one set tends to be larger than
 * the other. The rank test assumes nothing about the distribution and its
 * exact null distribution is cheap to compute for small samples.
 *
 * Its honest limit: with m and n repeats the smallest two-sided p-value the
 * exact test can produce is 2 / C(m+n, m). With 3 vs 3 that is 2/20 = 0.1, so
 * at α = 0.05 NO difference can ever be significant, however large. We do not
 * paper over that with a test that pretends otherwise (a percentile bootstrap
 * of 3 values is just "the ranges do not overlap", which is the same p = 0.1
 * event, relabelled as 95%). Instead the comparison says so and asks for more
 * repeats: 4 vs 4 is the minimum (min p 0.029), 5 vs 5 is recommended (min p
 * 0.008, still significant with one or two crossed pairs).
 *
 * The 95% interval of the change is the distribution-free Hodges–Lehmann
 * interval that goes with the same test (Hollander & Wolfe): order statistics
 * of the m·n pairwise log-ratios, cut where the exact U distribution puts
 * α/2 in each tail. It is computed on log values, so it is an interval of the
 * ratio B/A, and without ties it excludes 1 exactly when the test is
 * significant (with ties the test's permutation distribution and the
 * interval's no-ties cut can disagree at the edge; the verdict follows the
 * test, see docs/compare.md); when the samples are too small for 95% it is
 * reported as unavailable, not narrowed.
 *
 * Written by hand rather than taken from npm: the packages there
 * (simple-statistics, jstat, mann-whitney-utest) offer only the normal
 * approximation or a random permutation test, not the exact distribution with
 * ties and the matching interval. Each function is tested against published
 * values (R's wilcox.test) and brute-force enumeration.
 */

/** Significance level of every test and interval in the comparison. */
export const ALPHA = 0.05;

/** Above this many label permutations the tie-aware exact test uses the normal approximation. */
const MAX_PERMUTATIONS = 200_000;
/** Above this sample size the exact no-ties distribution is replaced by the normal approximation. */
const MAX_EXACT_SIZE = 50;

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty sample');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Geometric mean of positive values (ratios); NaN when any value is not positive or there are none. */
export function geometricMean(values: readonly number[]): number {
  if (values.length === 0 || values.some((v) => !(v > 0))) return Number.NaN;
  return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
}

/** Binomial coefficient as a float (exact up to 2**53). */
export function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  const kk = Math.min(k, n - k);
  let r = 1;
  for (let i = 1; i <= kk; i++) r = (r * (n - kk + i)) / i;
  return Math.round(r);
}

/**
 * Smallest two-sided p-value the exact Mann–Whitney test can give for sizes
 * m and n (all A below all B): 2 / C(m+n, m).
 */
export function minimumPValue(m: number, n: number): number {
  return Math.min(1, 2 / choose(m + n, m));
}

/** Smallest equal number of repeats per side for which p < alpha is possible. */
export function minimumRepeats(alpha = ALPHA): number {
  let k = 1;
  while (minimumPValue(k, k) >= alpha) k++;
  return k;
}

const exactCache = new Map<string, Float64Array>();

/**
 * Null distribution of U for sizes m, n without ties: P(U = u), u = 0..m·n.
 * Recursion on whether the largest observation is from A or B:
 * p(m,n,u) = m/(m+n)·p(m-1,n,u-n) + n/(m+n)·p(m,n-1,u).
 */
export function exactUDistribution(m: number, n: number): Float64Array {
  const key = `${m},${n}`;
  const cached = exactCache.get(key);
  if (cached) return cached;
  let result: Float64Array;
  if (m === 0 || n === 0) {
    result = new Float64Array([1]);
  } else {
    const left = exactUDistribution(m - 1, n);
    const right = exactUDistribution(m, n - 1);
    result = new Float64Array(m * n + 1);
    for (let u = 0; u <= m * n; u++) {
      const a = u - n >= 0 && u - n < left.length ? left[u - n]! : 0;
      const b = u < right.length ? right[u]! : 0;
      result[u] = (m / (m + n)) * a + (n / (m + n)) * b;
    }
  }
  exactCache.set(key, result);
  return result;
}

/** Midranks (1-based) of `values`, ties sharing the mean of their ranks. */
export function midranks(values: readonly number[]): { ranks: number[]; tieGroups: number[] } {
  const order = values.map((v, i) => [v, i] as const).sort((x, y) => x[0] - y[0]);
  const ranks = new Array<number>(values.length);
  const tieGroups: number[] = [];
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    const rank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) ranks[order[k]![1]] = rank;
    if (j > i) tieGroups.push(j - i + 1);
    i = j + 1;
  }
  return { ranks, tieGroups };
}

export type MannWhitneyMethod = 'exact' | 'exact-ties' | 'normal';

export interface MannWhitneyResult {
  /** U of sample A: pairs (a, b) with a > b, ties counting one half. */
  u: number;
  /** Two-sided p-value. */
  p: number;
  method: MannWhitneyMethod;
  /** Smallest p these sample sizes can produce (exact test). */
  minP: number;
}

/** Standard normal upper tail via erfc (Numerical Recipes erfcc, |error| < 1.2e-7). */
export function normalUpperTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  const upper = erfc / 2;
  return z >= 0 ? upper : 1 - upper;
}

/**
 * Two-sided Mann–Whitney U test of A against B.
 * - No ties, m, n ≤ 50: exact null distribution.
 * - Ties, C(m+n, m) ≤ 200,000: exact permutation distribution of U over midranks.
 * - Otherwise: normal approximation with tie and continuity corrections.
 */
export function mannWhitneyU(a: readonly number[], b: readonly number[]): MannWhitneyResult {
  const m = a.length;
  const n = b.length;
  if (m === 0 || n === 0) throw new RangeError('Mann-Whitney U needs at least one value in each sample');
  const { ranks, tieGroups } = midranks([...a, ...b]);
  const rankSumA = ranks.slice(0, m).reduce((s, r) => s + r, 0);
  const u = rankSumA - (m * (m + 1)) / 2;
  const minP = minimumPValue(m, n);
  const eps = 1e-9;

  if (tieGroups.length === 0 && m <= MAX_EXACT_SIZE && n <= MAX_EXACT_SIZE) {
    const dist = exactUDistribution(m, n);
    let lower = 0;
    let upper = 0;
    for (let k = 0; k < dist.length; k++) {
      if (k <= u + eps) lower += dist[k]!;
      if (k >= u - eps) upper += dist[k]!;
    }
    return { u, p: Math.min(1, 2 * Math.min(lower, upper)), method: 'exact', minP };
  }

  if (choose(m + n, m) <= MAX_PERMUTATIONS) {
    // Every way of labelling m of the pooled midranks as A is equally likely under H0.
    let total = 0;
    let lower = 0;
    let upper = 0;
    const pick = (start: number, left: number, sum: number): void => {
      if (left === 0) {
        const uu = sum - (m * (m + 1)) / 2;
        total++;
        if (uu <= u + eps) lower++;
        if (uu >= u - eps) upper++;
        return;
      }
      for (let i = start; i <= ranks.length - left; i++) pick(i + 1, left - 1, sum + ranks[i]!);
    };
    pick(0, m, 0);
    return { u, p: Math.min(1, (2 * Math.min(lower, upper)) / total), method: 'exact-ties', minP };
  }

  const total = m + n;
  const tieTerm = tieGroups.reduce((s, t) => s + (t * t * t - t), 0) / (total * (total - 1));
  const variance = ((m * n) / 12) * (total + 1 - tieTerm);
  if (variance <= 0) return { u, p: 1, method: 'normal', minP };
  const z = Math.max(0, Math.abs(u - (m * n) / 2) - 0.5) / Math.sqrt(variance);
  return { u, p: Math.min(1, 2 * normalUpperTail(z)), method: 'normal', minP };
}

/**
 * Rank k (1-based) of the lower end of the distribution-free interval of the
 * shift: the largest k with P(U ≤ k-1) ≤ alpha/2 under the exact no-ties
 * distribution (normal approximation beyond 50 per side). 0 = no interval at
 * this confidence is possible with these sample sizes.
 */
export function hodgesLehmannRank(m: number, n: number, alpha = ALPHA): number {
  if (m > MAX_EXACT_SIZE || n > MAX_EXACT_SIZE) {
    const z = 1.959963984540054; // two-sided 95%; only alpha = 0.05 is used for large samples
    const k = Math.floor((m * n) / 2 - z * Math.sqrt((m * n * (m + n + 1)) / 12));
    return Math.max(0, k);
  }
  const dist = exactUDistribution(m, n);
  let cumulative = 0;
  let k = 0;
  for (let c = 0; c < dist.length; c++) {
    cumulative += dist[c]!;
    if (cumulative > alpha / 2 + 1e-12) break;
    k = c + 1;
  }
  return k;
}

export interface ChangeInterval {
  /** Hodges–Lehmann estimate of the change B/A - 1 (median of pairwise changes). */
  estimate: number;
  /** Lower and upper end of the (1 - alpha) interval of B/A - 1, or null when the samples are too small. */
  low: number | null;
  high: number | null;
  /** 'ratio': from log values (all positive); 'difference': pairwise differences over |median A|. */
  scale: 'ratio' | 'difference';
}

/**
 * Hodges–Lehmann estimate and distribution-free interval of the relative
 * change from A to B. Null when median A is 0 and the values are not all positive.
 */
export function changeInterval(
  a: readonly number[],
  b: readonly number[],
  alpha = ALPHA,
): ChangeInterval | null {
  const m = a.length;
  const n = b.length;
  if (m === 0 || n === 0) return null;
  const positive = a.every((v) => v > 0) && b.every((v) => v > 0);
  const base = Math.abs(median(a));
  if (!positive && base === 0) return null;
  const diffs: number[] = [];
  for (const x of a) for (const y of b) diffs.push(positive ? Math.log(y) - Math.log(x) : y - x);
  diffs.sort((x, y) => x - y);
  const toChange = (d: number): number => (positive ? Math.exp(d) - 1 : d / base);
  const k = hodgesLehmannRank(m, n, alpha);
  const estimate = toChange(median(diffs));
  const scale = positive ? 'ratio' : 'difference';
  if (k < 1) return { estimate, low: null, high: null, scale };
  return { estimate, low: toChange(diffs[k - 1]!), high: toChange(diffs[m * n - k]!), scale };
}
