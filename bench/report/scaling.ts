/**
 * How extra peak memory grows with N, per (codec, phase), from a sweep
 * (`--n 1e5,1e6,1e7`). Pure functions of the results.
 *
 * Two views: an ordinary least-squares line of median extra peak RSS against
 * N (slope = bytes a tuple, intercept = fixed cost, R²), and the log-log
 * growth exponent between the smallest and largest N that completed, which
 * classifies the growth: ~0 constant, ~1 linear, > 1 worse than linear.
 */
import type { CaseResult, Report } from '../types.js';

export interface ScalingPoint {
  n: number;
  peakRssIncrementBytes: number;
  bytesPerTuple: number;
}

export interface ScalingFit {
  codec: string;
  phase: string;
  points: ScalingPoint[];
  /** Least squares, bytes of extra peak per tuple. With two sizes the line passes through both points. */
  slopeBytesPerTuple: number;
  interceptBytes: number;
  /** Coefficient of determination; null with fewer than 3 sizes (two points always fit exactly). */
  r2: number | null;
  /** d log(peak) / d log(N) between the extreme completed sizes. */
  /** Null when the first or last peak is at or below zero: no logarithm, no exponent (and none is invented). */
  growthExponent: number | null;
  growth: 'constant' | 'sublinear' | 'linear' | 'worse than linear' | 'undefined (a peak ≤ 0)';
  /** Sizes at which the case did not complete, with its state. */
  failures: { n: number; state: string; reason: string }[];
}

export function leastSquares(xs: readonly number[], ys: readonly number[]): { slope: number; intercept: number; r2: number } {
  const k = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / k;
  const my = ys.reduce((a, b) => a + b, 0) / k;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < k; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const intercept = my - slope * mx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept, r2 };
}

export function classifyGrowth(exponent: number): ScalingFit['growth'] {
  if (exponent < 0.25) return 'constant';
  if (exponent < 0.8) return 'sublinear';
  if (exponent <= 1.2) return 'linear';
  return 'worse than linear';
}

/** One fit per (codec, phase) that has at least two completed sizes. */
export function scalingFits(report: Report): ScalingFit[] {
  const groups = new Map<string, CaseResult[]>();
  for (const c of report.cases) {
    const key = `${c.codec}\u0000${c.phase}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const fits: ScalingFit[] = [];
  for (const cases of groups.values()) {
    const done = cases.filter((c) => c.state === 'ok' && c.summary.peakRssIncrementBytes).sort((a, b) => a.n - b.n);
    const failures = cases.filter((c) => c.state !== 'ok').map((c) => ({ n: c.n, state: c.state, reason: (c.error ?? '').split('\n')[0] ?? '' }));
    if (new Set(done.map((c) => c.n)).size < 2) continue;
    const points = done.map((c) => {
      const peak = c.summary.peakRssIncrementBytes!.median;
      return { n: c.n, peakRssIncrementBytes: peak, bytesPerTuple: peak / c.n };
    });
    const { slope, intercept, r2 } = leastSquares(
      points.map((p) => p.n),
      points.map((p) => p.peakRssIncrementBytes),
    );
    const first = points[0]!;
    const last = points[points.length - 1]!;
    // a peak at or below zero has no logarithm: say so rather than substitute a made-up floor
    const lo = first.peakRssIncrementBytes;
    const hi = last.peakRssIncrementBytes;
    const growthExponent = lo > 0 && hi > 0 ? Math.log(hi / lo) / Math.log(last.n / first.n) : null;
    fits.push({
      codec: cases[0]!.codec,
      phase: cases[0]!.phase,
      points,
      slopeBytesPerTuple: slope,
      interceptBytes: intercept,
      r2: points.length >= 3 ? r2 : null,
      growthExponent,
      growth: growthExponent === null ? 'undefined (a peak ≤ 0)' : classifyGrowth(growthExponent),
      failures,
    });
  }
  return fits;
}
