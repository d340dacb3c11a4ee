/**
 * Runs added to a case whose memory figure fell in modes (bench/results/modes.ts) with too few runs
 * in one of them: at 3 repeats, json load's extra peak RSS came out 290.8, 346.6, 290.3 MiB, one
 * run in the upper mode, which is the figure a user must provision. More runs are added until every
 * mode has MIN_RUNS_PER_MODE, and never beyond the cap (recorded in the report's
 * `config.modeRepeats`, each case's added runs in `addedRuns`).
 *
 * Only modes that matter get runs: modes whose outer ones lie further apart than compare's memory
 * threshold and floor (the arrow dump's 2 MiB chunk is shown as modes, but a comparison treats it as
 * noise anyway, and it is not worth a minute of runs).
 */
import { DEFAULT_THRESHOLDS } from '../compare/compare.js';
import { findModes, MEMORY_MODE_RULE, MODE_METRICS } from '../results/modes.js';
import type { RunResult } from '../types.js';

/** Runs a mode needs for its position to be reported: a median of 3. */
export const MIN_RUNS_PER_MODE = 3;

/**
 * At most this many runs in all: 10 at the default 3 repeats, enough for 3 runs of a mode that
 * comes up once in three runs (json load's upper mode did, 2 of 6 here) in most sittings; twice
 * the repeats when more were asked for.
 */
export function maxRunsFor(repeats: number): number {
  return Math.max(10, 2 * repeats);
}

/** Whether a case with these runs needs another run for its modes. */
export function needsMoreRuns(runs: readonly RunResult[], maxRuns: number): boolean {
  if (runs.length >= maxRuns) return false;
  for (const metric of MODE_METRICS) {
    const values = runs.map((r) => r[metric]).filter((v): v is number => typeof v === 'number');
    const modes = findModes(values, MEMORY_MODE_RULE);
    if (modes.length < 2) continue;
    const lowest = modes[0]!.median;
    const highest = modes[modes.length - 1]!.median;
    const matters = highest - lowest > Math.max(DEFAULT_THRESHOLDS.memory * Math.abs(lowest), DEFAULT_THRESHOLDS.memoryFloorBytes);
    if (matters && modes.some((m) => m.count < MIN_RUNS_PER_MODE)) return true;
  }
  return false;
}
