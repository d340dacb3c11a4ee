/** Per-case summaries (median, min, max) of the run figures. Pure functions. */
import { median as statsMedian } from '../compare/stats.js';
import type { CaseResult, RunMetric, RunResult, Spread } from '../types.js';
import { formatMiB } from './units.js';

export const RUN_METRICS: readonly RunMetric[] = [
  'peakRssBytes',
  'baselineRssBytes',
  'peakRssIncrementBytes',
  'endRssBytes',
  'rssAfterGcBytes',
  'peakHeapWithGarbageBytes',
  'peakHeapWithGarbageIncrementBytes',
  'peakHeapLiveBytes',
  'peakHeapLiveIncrementBytes',
  'peakExternalBytes',
  'baselineExternalBytes',
  'peakExternalIncrementBytes',
  'retainedHeapBytes',
  'wallMs',
  'cpuMs',
  'fileBytes',
];

/** Median; NaN (shown as n/a) for no values, where the statistics module's median throws. */
export function median(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : statsMedian(values);
}

export function spreadOf(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

export function summarize(runs: readonly RunResult[]): CaseResult['summary'] {
  const summary: CaseResult['summary'] = {};
  if (runs.length === 0) return summary;
  for (const m of RUN_METRICS) {
    const values = runs.map((r) => r[m]).filter((v): v is number => typeof v === 'number');
    if (values.length > 0) summary[m] = spreadOf(values); // optional figures (older reports) are left out
  }
  return summary;
}

/** (max - min) / median: the run-to-run spread as a fraction. */
export function relativeSpread(s: Spread | undefined): number {
  if (!s || s.median === 0) return Number.NaN;
  return (s.max - s.min) / Math.abs(s.median);
}

/**
 * The external memory (Buffers, ArrayBuffers) the children held at their baselines, over every run
 * of the report, as "2.1 MiB" or "2.1-2.3 MiB"; null when no run measured it. Peak external is
 * absolute, so the reports state what part of it the baseline already held.
 */
export function baselineExternalRange(cases: readonly CaseResult[]): string | null {
  const values = cases.flatMap((c) => c.runs.map((r) => r.baselineExternalBytes)).filter((v): v is number => typeof v === 'number');
  if (values.length === 0) return null;
  const lo = formatMiB(Math.min(...values));
  const hi = formatMiB(Math.max(...values));
  return lo === hi ? lo : `${lo.replace(/ MiB$/, '')}-${hi}`;
}

/** How the run's wall times were taken, for the markdown and HTML notes (plain text). */
export function samplingNote(sampleMs: number | undefined): string {
  if (sampleMs === undefined) return 'RSS sampling interval not recorded';
  if (sampleMs === 0) return 'measured without RSS sampling';
  return `measured while the parent sampled RSS every ${sampleMs} ms, which can slow the phase (README, "What sampling costs"); for times to cite, use --sample-ms 0 or the throughput table`;
}
