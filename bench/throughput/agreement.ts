/**
 * Do two throughput runs agree? For each codec and direction present in both,
 * the difference of the means is compared with the runs' own margins of error
 * (95%): they agree when the intervals mean ± moe overlap, i.e.
 * |mean_a - mean_b| <= moe_a + moe_b. Pure; for `compare` and for the closing note.
 */
import type { ThroughputSection } from '../types.js';

export interface ThroughputAgreement {
  codec: string;
  direction: 'encode' | 'decode';
  meanAMs: number;
  meanBMs: number;
  /** (mean_b - mean_a) / mean_a, in percent. */
  diffPercent: number;
  /** rme of each run, in percent. */
  rmeAPercent: number;
  rmeBPercent: number;
  /** The 95% intervals overlap. */
  agree: boolean;
}

export function throughputAgreement(a: ThroughputSection, b: ThroughputSection): ThroughputAgreement[] {
  const out: ThroughputAgreement[] = [];
  for (const ra of a.rows) {
    const rb = b.rows.find((r) => r.codec === ra.codec);
    if (!rb) continue;
    for (const direction of ['encode', 'decode'] as const) {
      const sa = ra[direction];
      const sb = rb[direction];
      if (!sa || !sb) continue;
      const moeA = (sa.rmePercent / 100) * sa.meanMs;
      const moeB = (sb.rmePercent / 100) * sb.meanMs;
      out.push({
        codec: ra.codec,
        direction,
        meanAMs: sa.meanMs,
        meanBMs: sb.meanMs,
        diffPercent: (100 * (sb.meanMs - sa.meanMs)) / sa.meanMs,
        rmeAPercent: sa.rmePercent,
        rmeBPercent: sb.rmePercent,
        agree: Math.abs(sa.meanMs - sb.meanMs) <= moeA + moeB,
      });
    }
  }
  return out;
}
