/**
 * Figures whose runs fall in separate groups ("modes"): found over a case's runs, here in the
 * results layer so that the reporters, compare and the answer summary all see the same modes.
 * Pure functions.
 *
 * Why: some memory figures take one of two or three values from run to run, each repeating to a
 * fraction of a percent (the 1M json load's extra peak RSS: 290.8, 346.6, 290.3 MiB in one run
 * of 3 repeats; 347 three times in another). A median of 3 reports either value, and the spread
 * "±9%" describes neither. Shown as modes ("2 × 290.6, 1 × 346.6 MiB"), with the upper one as the
 * headline: the memory a user must provision is the highest the phase reaches, not the commonest.
 *
 * The rule (written down so it can be checked): sort the runs, cut at every gap of at least
 * `relativeGap` of the values either side and at least `absoluteGap`; then merge neighbours
 * again while the gap between them is less than `gapToSpread` times the wider one's range, or
 * both are single runs (a mode is a value that repeats: 100, 102.5, 105 is a spread, not three
 * modes). Time figures are not split: their runs spread continuously, with a right tail.
 */
import type { Mode, RunMetric, Spread } from '../types.js';

export interface ModeRule {
  /** Smallest gap between modes, as a fraction of the larger value beside it. */
  relativeGap: number;
  /** Smallest gap between modes, in the figure's unit. */
  absoluteGap: number;
  /** A gap must be this many times the range of the wider mode beside it. */
  gapToSpread: number;
}

/**
 * For the memory increments (bytes). 2%: the figures repeat to 0.1-1% within a mode; 1 MiB: the
 * streaming dumps' few-MiB figures wander by a few hundred KiB (ndjson dump 3.61 or 4.10 MiB is
 * noise, not modes); 3 × the range: two modes each as tight as a mode is are far apart.
 */
export const MEMORY_MODE_RULE: ModeRule = { relativeGap: 0.02, absoluteGap: 1024 * 1024, gapToSpread: 3 };

/** The run figures that are split into modes: the memory increments (compared, budgeted, in the headline). */
export const MODE_METRICS: readonly RunMetric[] = ['peakRssIncrementBytes', 'peakHeapLiveIncrementBytes', 'peakExternalIncrementBytes'];

function modeOf(values: readonly number[]): Mode {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { count: s.length, median: s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2, min: s[0]!, max: s[s.length - 1]! };
}

/** The modes of `values`, lowest first; one mode when the runs do not fall apart (or there are fewer than 3). */
export function findModes(values: readonly number[], rule: ModeRule = MEMORY_MODE_RULE): Mode[] {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length < 3) return sorted.length === 0 ? [] : [modeOf(sorted)];
  // cut at every gap wide enough on its own
  let groups: number[][] = [[sorted[0]!]];
  for (let i = 1; i < sorted.length; i++) {
    const gap = sorted[i]! - sorted[i - 1]!;
    const scale = Math.max(Math.abs(sorted[i]!), Math.abs(sorted[i - 1]!));
    if (gap >= rule.absoluteGap && gap >= rule.relativeGap * scale) groups.push([sorted[i]!]);
    else groups[groups.length - 1]!.push(sorted[i]!);
  }
  // merge neighbours whose gap is not wide against their own spread, narrowest gap first
  const range = (g: readonly number[]): number => g[g.length - 1]! - g[0]!;
  for (;;) {
    let merge = -1;
    let narrowest = Number.POSITIVE_INFINITY;
    for (let i = 1; i < groups.length; i++) {
      const left = groups[i - 1]!;
      const right = groups[i]!;
      const gap = right[0]! - left[left.length - 1]!;
      const weak = gap < rule.gapToSpread * Math.max(range(left), range(right)) || (left.length === 1 && right.length === 1);
      if (weak && gap < narrowest) {
        narrowest = gap;
        merge = i;
      }
    }
    if (merge < 0) break;
    groups = [...groups.slice(0, merge - 1), [...groups[merge - 1]!, ...groups[merge]!], ...groups.slice(merge + 1)];
  }
  return groups.map(modeOf);
}

/** The modes worth showing: two or more, else undefined. */
export function modesOf(values: readonly number[], rule: ModeRule = MEMORY_MODE_RULE): Mode[] | undefined {
  const modes = findModes(values, rule);
  return modes.length >= 2 ? modes : undefined;
}

/**
 * The figure a report leads with: the upper mode's median when the runs fall in modes (what a user
 * must provision is the highest the phase reaches), else the median over the runs.
 */
export function headline(s: Spread): number {
  return s.modes && s.modes.length >= 2 ? s.modes[s.modes.length - 1]!.median : s.median;
}

/** `2 × 290.6, 1 × 346.6 MiB`: each mode's count and median, lowest first, formatted by `fmt`. */
export function modesText(modes: readonly Mode[], fmt: (v: number) => string): string {
  return modes.map((m) => `${m.count} × ${fmt(m.median)}`).join(', ');
}
