/** Per-case summaries (median, min, max) of the run figures. Pure functions. */
import type { CaseResult, RunMetric, RunResult, Spread } from '../types.js';

export const RUN_METRICS: readonly RunMetric[] = [
  'peakRssBytes',
  'baselineRssBytes',
  'peakRssIncrementBytes',
  'endRssBytes',
  'peakHeapUsedBytes',
  'peakHeapIncrementBytes',
  'peakExternalBytes',
  'baselineExternalBytes',
  'retainedHeapBytes',
  'wallMs',
  'cpuMs',
  'fileBytes',
];

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function spreadOf(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

export function summarize(runs: readonly RunResult[]): CaseResult['summary'] {
  const summary: CaseResult['summary'] = {};
  if (runs.length === 0) return summary;
  for (const m of RUN_METRICS) summary[m] = spreadOf(runs.map((r) => r[m]));
  return summary;
}

/** (max - min) / median: the run-to-run spread as a fraction. */
export function relativeSpread(s: Spread | undefined): number {
  if (!s || s.median === 0) return Number.NaN;
  return (s.max - s.min) / Math.abs(s.median);
}
