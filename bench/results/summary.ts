/** Per-case summaries (median, min, max) of the run figures, as the results file stores them. Pure functions. */
import { median as statsMedian } from '../stats.js';
import { RUN_METRICS, type CaseResult, type RunMetric, type RunResult, type Spread } from '../types.js';
import { MODE_METRICS, modesOf } from './modes.js';

/** Median; NaN (shown as n/a) for no values, where the statistics module's median throws. */
export function median(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : statsMedian(values);
}

/** median, min and max of the values; with `withModes`, also their modes when they fall in two or more (bench/results/modes.ts). */
export function spreadOf(values: readonly number[], withModes = false): Spread {
  const s: Spread = { median: median(values), min: Math.min(...values), max: Math.max(...values) };
  const modes = withModes ? modesOf(values) : undefined;
  if (modes) s.modes = modes;
  return s;
}

export function summarize(runs: readonly RunResult[]): CaseResult['summary'] {
  const summary: CaseResult['summary'] = {};
  if (runs.length === 0) return summary;
  for (const m of RUN_METRICS) {
    const values = runs.map((r) => r[m]).filter((v): v is number => typeof v === 'number');
    if (values.length > 0) summary[m] = spreadOf(values, MODE_METRICS.includes(m)); // optional figures (older reports) are left out
  }
  return summary;
}

/** (max - min) / median: the run-to-run spread as a fraction. */
export function relativeSpread(s: Spread | undefined): number {
  if (!s || s.median === 0) return Number.NaN;
  return (s.max - s.min) / Math.abs(s.median);
}

/** A case's median/min/max of one run figure: its summary, or computed from its runs when the summary lacks it; null when no run has it. */
export function metricSpread(c: CaseResult, metric: RunMetric): Spread | null {
  const s = c.summary[metric];
  if (s) return s;
  const values = c.runs.map((r) => r[metric]).filter((v): v is number => typeof v === 'number');
  return values.length === 0 ? null : spreadOf(values, MODE_METRICS.includes(metric));
}
