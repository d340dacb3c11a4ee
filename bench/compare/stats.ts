/**
 * Statistics for comparing repeats of one measurement across two reports.
 *
 * Why Welch's t-test on the logarithms (as Node's own benchmark/compare.R does with Welch's t):
 * the figures are few (3 to 10 fresh processes) but memory figures repeat to 0.1-1%, and a test
 * has to use that precision. A rank test cannot: with 5 vs 5 repeats Mann–Whitney's smallest
 * possible p is 2/252 = 0.0079, so after a multiple-comparison correction over ~100 figures
 * (Benjamini–Hochberg needs p ≤ 0.05/100 for a lone change) no change could ever be significant,
 * however large. Welch's t uses the size of the spread: a +3% shift of a figure that repeats to
 * 0.5% gives p ≈ 1e-5. Logarithms make the test one of ratios (multiplicative noise, a change read
 * as a percentage) and tame time's right tail; figures that are not all positive (an increment
 * can be negative at tiny N) are tested on their raw values. The interval of the change is the
 * matching Welch interval of the mean log-ratio, shown as a percentage.
 *
 * Written by hand rather than taken from npm: what is needed is one function (Student's t
 * distribution via the regularized incomplete beta function, Numerical Recipes' continued
 * fraction) and the packages that have it (jstat, @stdlib) pull in far more. Tested against
 * published quantiles of t and a worked Welch example.
 */

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

/** Sample variance (n - 1 in the denominator). */
export function variance(values: readonly number[]): number {
  const m = mean(values);
  return values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1);
}

/** Geometric mean of positive values (ratios); NaN when any value is not positive or there are none. */
export function geometricMean(values: readonly number[]): number {
  if (values.length === 0 || values.some((v) => !(v > 0))) return Number.NaN;
  return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
}

/** ln Γ(x), Lanczos approximation (Numerical Recipes gammln), |error| < 2e-10. */
function logGamma(x: number): number {
  const c = [76.18009172947146, -86.50532032941678, 24.01409824083091, -1.231739572450155, 0.001208650973866179, -0.000005395239384953];
  let y = x;
  const tmp = x + 5.5 - (x + 0.5) * Math.log(x + 5.5);
  let ser = 1.000000000190015;
  for (const k of c) ser += k / ++y;
  return -tmp + Math.log((2.5066282746310007 * ser) / x);
}

/** Continued fraction of the incomplete beta function (Numerical Recipes betacf). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a - 1 + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + 1 + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** Regularized incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(a, b, x)) / a : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** Two-sided p-value of Student's t with `df` degrees of freedom: P(|T| ≥ |t|). */
export function tTwoSidedP(t: number, df: number): number {
  if (!Number.isFinite(t)) return 0;
  return Math.min(1, incompleteBeta(df / (df + t * t), df / 2, 0.5));
}

/** The t value with P(|T| ≥ t) = p (bisection on the two-sided p; p in (0, 1)). */
export function tQuantileTwoSided(p: number, df: number): number {
  let lo = 0;
  let hi = 1;
  while (tTwoSidedP(hi, df) > p) hi *= 2;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (tTwoSidedP(mid, df) > p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface WelchResult {
  /** Two-sided p-value; null when a side has fewer than 2 values (no variance to test with). */
  p: number | null;
  t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  /** 'log': tested on ln(values), the change is a ratio; 'raw': on the values (not all positive). */
  scale: 'log' | 'raw';
  /** The (1 - alpha) interval of the change B/A - 1 (log scale) or of (B - A)/|mean A| (raw); null when p is null. */
  low: number | null;
  high: number | null;
}

/**
 * Welch's two-sample t-test of A against B, on logarithms when every value is positive.
 * Both samples without spread: p = 1 when their means are equal, else 0 (the difference is exact).
 */
export function welchTest(a: readonly number[], b: readonly number[], alpha = ALPHA): WelchResult {
  const positive = a.every((v) => v > 0) && b.every((v) => v > 0);
  const scale = positive ? 'log' : 'raw';
  const none: WelchResult = { p: null, t: Number.NaN, df: Number.NaN, scale, low: null, high: null };
  if (a.length < 2 || b.length < 2) return none;
  const x = positive ? a.map(Math.log) : [...a];
  const y = positive ? b.map(Math.log) : [...b];
  const diff = mean(y) - mean(x);
  const va = variance(x) / x.length;
  const vb = variance(y) / y.length;
  const se = Math.sqrt(va + vb);
  const base = Math.abs(mean(a));
  const toChange = (d: number): number => (positive ? Math.exp(d) - 1 : base > 0 ? d / base : Number.NaN);
  // no spread on either side (compared on the raw values: the mean of equal logs can carry a rounding residue)
  if (a.every((v) => v === a[0]) && b.every((v) => v === b[0])) {
    const d = positive ? Math.log(b[0]!) - Math.log(a[0]!) : b[0]! - a[0]!;
    const exact = toChange(d);
    return { p: d === 0 ? 1 : 0, t: d === 0 ? 0 : Math.sign(d) * Infinity, df: x.length + y.length - 2, scale, low: exact, high: exact };
  }
  if (se === 0) {
    const exact = toChange(diff);
    return { p: diff === 0 ? 1 : 0, t: diff === 0 ? 0 : Math.sign(diff) * Infinity, df: x.length + y.length - 2, scale, low: exact, high: exact };
  }
  const df = (va + vb) ** 2 / ((va * va) / (x.length - 1) + (vb * vb) / (y.length - 1));
  const t = diff / se;
  const q = tQuantileTwoSided(alpha, df);
  return { p: tTwoSidedP(t, df), t, df, scale, low: toChange(diff - q * se), high: toChange(diff + q * se) };
}

/**
 * Benjamini–Hochberg adjusted p-values (the step-up false discovery rate procedure): a figure is a
 * discovery at FDR q when its adjusted p < q. Nulls stay null and do not count as tests.
 */
export function benjaminiHochberg(ps: readonly (number | null)[]): (number | null)[] {
  const tested = ps.map((p, i) => ({ p, i })).filter((x): x is { p: number; i: number } => x.p !== null);
  const m = tested.length;
  const out: (number | null)[] = ps.map(() => null);
  tested.sort((x, y) => x.p - y.p);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const { p, i } = tested[k]!;
    running = Math.min(running, (p * m) / (k + 1));
    out[i] = Math.min(1, running);
  }
  return out;
}
