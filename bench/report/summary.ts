/** Text about a report's runs shared by the markdown and HTML reporters. Pure functions. */
import type { CaseResult } from '../types.js';
import { formatMiB } from './units.js';

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
