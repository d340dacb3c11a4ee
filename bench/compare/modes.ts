/**
 * A memory figure whose runs fall in modes, compared as modes: the positions of the modes both
 * reports have, and the shares of the runs in each mode, never a t-test across them.
 *
 * Why: identical distributions with modes at 285.9 and 316.8 MiB, 3 runs a side, give a 3:0
 * against a 1:2 draw often enough; a t-test over those runs sees a "precise −7% change" in what
 * is the same figure twice. Compared as modes, the same draw is: both modes in both reports at the
 * same positions, and shares 3/3 against 1/3, which Fisher's exact test does not find different.
 *
 * How (pure): the runs of both reports are pooled and split into groups by the results layer's
 * rule (bench/results/modes.ts); each group that has 2 runs or more on both sides is a position
 * tested against the bound like any figure (shiftTest); the table of counts (A and B × groups) is
 * Fisher's exact test, counted only when the outer groups lie further apart than the bound (else
 * moving runs between them moves nothing the verdict could claim). The figure's p is the smallest
 * of those tests times their number (Bonferroni within the figure), so it enters its family's
 * Benjamini–Hochberg adjustment as one test.
 */
import { findModes, MEMORY_MODE_RULE } from '../results/modes.js';
import type { Mode } from '../types.js';
import { ALPHA, type Bound, fisherExact, shiftTest, type ShiftTest } from '../stats.js';

export interface PooledGroup {
  /** Median of the group's runs, both reports together. */
  median: number;
  countA: number;
  countB: number;
  /** The position test of this group (2 or more runs on each side), else absent. */
  position?: ShiftTest;
}

export interface ModesComparison {
  /** Each report's own modes (one when its runs do not fall apart). */
  baseline: Mode[];
  candidate: Mode[];
  /** The groups of the pooled runs, lowest first. */
  groups: PooledGroup[];
  /** Fisher's exact test of the counts per group; null when the outer groups are within the bound of each other. */
  sharesP: number | null;
  /** The figure's p: the smallest component p times the number of components; null when nothing could be tested. */
  p: number | null;
  /** Each report's upper mode in a group of its own: the upper modes compared as positions. */
  upper?: ShiftTest;
  /** What decided `p`: a group's position, the upper modes' positions, or the shares. */
  decidedBy: { kind: 'position'; group: number } | { kind: 'upper' } | { kind: 'shares' } | null;
}

/** Whether a figure is compared as modes: either report's runs fall in two or more modes. */
export function hasModes(a: readonly number[], b: readonly number[]): boolean {
  return findModes(a, MEMORY_MODE_RULE).length >= 2 || findModes(b, MEMORY_MODE_RULE).length >= 2;
}

export function compareModes(a: readonly number[], b: readonly number[], bound: Bound, alpha = ALPHA): ModesComparison {
  const pooled = findModes([...a, ...b], MEMORY_MODE_RULE);
  const inGroup = (v: number, m: Mode): boolean => v >= m.min && v <= m.max;
  const groups: PooledGroup[] = pooled.map((m) => {
    const ga = a.filter((v) => inGroup(v, m));
    const gb = b.filter((v) => inGroup(v, m));
    const g: PooledGroup = { median: m.median, countA: ga.length, countB: gb.length };
    if (ga.length >= 2 && gb.length >= 2) g.position = shiftTest(ga, gb, bound, alpha);
    return g;
  });
  // the shares only count when moving runs between the outer groups is a change beyond the bound
  const lowest = pooled[0]!;
  const highest = pooled[pooled.length - 1]!;
  const centre = Math.abs(lowest.median);
  const apart = highest.median - lowest.median > Math.max(bound.relative * centre, bound.absolute);
  const sharesP =
    groups.length >= 2 && apart
      ? fisherExact(
          groups.map((g) => g.countA),
          groups.map((g) => g.countB),
        )
      : null;
  const baseline = findModes(a, MEMORY_MODE_RULE);
  const candidate = findModes(b, MEMORY_MODE_RULE);
  const components: { p: number; by: ModesComparison['decidedBy'] }[] = [];
  for (const [i, g] of groups.entries()) if (g.position?.p != null) components.push({ p: g.position.p, by: { kind: 'position', group: i } });
  // each report's upper mode (its headline) in a group the other report has no run in: the same mode, moved
  let upper: ShiftTest | undefined;
  const ua = a.filter((v) => inGroup(v, baseline[baseline.length - 1]!));
  const ub = b.filter((v) => inGroup(v, candidate[candidate.length - 1]!));
  const groupOf = (v: number): PooledGroup => groups[pooled.findIndex((m) => inGroup(v, m))]!;
  if (groupOf(ua[0]!).countB === 0 && groupOf(ub[0]!).countA === 0) {
    upper = ua.length >= 2 && ub.length >= 2 ? shiftTest(ua, ub, bound, alpha) : shiftTest(a, b, bound, alpha);
    if (upper.p !== null) components.push({ p: upper.p, by: { kind: 'upper' } });
  }
  if (sharesP !== null) components.push({ p: sharesP, by: { kind: 'shares' } });
  const best = components.reduce<(typeof components)[number] | null>((m, c) => (m === null || c.p < m.p ? c : m), null);
  return {
    baseline,
    candidate,
    groups,
    ...(upper ? { upper } : {}),
    sharesP,
    p: best ? Math.min(1, best.p * components.length) : null,
    decidedBy: best?.by ?? null,
  };
}

/**
 * Which way the runs moved between the groups: +1 when B's runs sit in higher groups than A's
 * (more memory: worse), −1 when lower, 0 when the mean group index is the same.
 */
export function sharesDirection(c: ModesComparison): number {
  const meanIndex = (count: (g: PooledGroup) => number): number => {
    const total = c.groups.reduce((s, g) => s + count(g), 0);
    return total === 0 ? 0 : c.groups.reduce((s, g, i) => s + i * count(g), 0) / total;
  };
  return Math.sign(meanIndex((g) => g.countB) - meanIndex((g) => g.countA));
}
