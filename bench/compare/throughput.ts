/**
 * Throughput compared across reports, one figure per codec and direction: each fresh process's mean
 * latency of one operation (`DirectionStats.processMeansMs`), the processes of A against those of B,
 * tested against the throughput threshold like a time figure (bench/stats.ts shiftTest, on
 * logarithms), with Benjamini–Hochberg over the throughput figures.
 *
 * Why processes, not tinybench's margin of error: the margin covers the samples within one process;
 * between processes (where the JIT's decisions and the machine's load differ) the same build moved
 * −13% to −37% with margins of a few percent, so a test on the margins called a same-build
 * comparison "worse" 22 times out of 44. A report measured in one process (before processes were
 * replicated) has one value a side: `~`, it cannot be tested.
 */
import { wholePercent } from '../units.js';
import type { LabelledReport, Thresholds, Verdict } from './verdict.js';
import { ALPHA, benjaminiHochberg, median, shiftTest } from '../stats.js';
import type { ThroughputRow, ThroughputSection } from '../types.js';

/** One codec and direction of the in-process throughput, compared by its processes' mean latency. */
export interface ThroughputComparison {
  /** The dataset the batch was drawn from. */
  dataset: string;
  codec: string;
  direction: 'encode' | 'decode';
  /** Median over the processes of their mean latency (ms). */
  baselineMeanMs: number;
  candidateMeanMs: number;
  /** The processes' mean latencies (one value for a report measured in one process). */
  baselineProcessMs: number[];
  candidateProcessMs: number[];
  /** (median B - median A) / median A. */
  change: number;
  ci: { low: number; high: number } | null;
  /** p of "the change exceeds the throughput threshold"; null with fewer than 2 processes a side. */
  p: number | null;
  /** Adjusted over the throughput figures of the pair. */
  pAdjusted: number | null;
  verdict: Verdict;
  reason?: string;
}

function processMeans(row: ThroughputRow, direction: 'encode' | 'decode'): number[] {
  const s = row[direction];
  if (!s) return [];
  return s.processMeansMs && s.processMeansMs.length > 0 ? [...s.processMeansMs] : [s.meanMs];
}

/** Throughput rows present and ok in both reports; a reason not to compare goes to `warnings`. */
export function compareThroughput(
  a: LabelledReport,
  b: LabelledReport,
  thresholds: Thresholds,
  alpha: number = ALPHA,
  warnings: string[] = [],
): ThroughputComparison[] {
  const ta = a.report.throughput;
  const tb = b.report.throughput;
  if (!ta || !tb) return [];
  const batchOf = (s: ThroughputSection, dataset: string): number => s.batches?.[dataset] ?? s.batch;
  const ok = (s: ThroughputSection, dataset: string, codec: string): ThroughputRow | undefined =>
    s.rows.find((r) => r.dataset === dataset && r.codec === codec && r.state === 'ok');
  const out: ThroughputComparison[] = [];
  const unequal = new Set<string>();
  for (const ra of ta.rows) {
    const rowA = ok(ta, ra.dataset, ra.codec);
    const rowB = ok(tb, ra.dataset, ra.codec);
    if (!rowA || !rowB) continue;
    if (batchOf(ta, ra.dataset) !== batchOf(tb, ra.dataset)) {
      if (!unequal.has(ra.dataset)) {
        unequal.add(ra.dataset);
        const noun = ra.dataset === 'tuples' ? 'tuples' : `${ra.dataset} records`;
        warnings.push(`throughput not compared: batch of ${batchOf(ta, ra.dataset)} ${noun} in ${a.label}, ${batchOf(tb, ra.dataset)} in ${b.label}`);
      }
      continue;
    }
    for (const direction of ['encode', 'decode'] as const) {
      const va = processMeans(rowA, direction);
      const vb = processMeans(rowB, direction);
      if (va.length === 0 || vb.length === 0) continue;
      const test = shiftTest(va, vb, { relative: thresholds.throughput, absolute: 0 }, alpha);
      const ma = median(va);
      const mb = median(vb);
      out.push({
        dataset: ra.dataset,
        codec: ra.codec,
        direction,
        baselineMeanMs: ma,
        candidateMeanMs: mb,
        baselineProcessMs: va,
        candidateProcessMs: vb,
        change: (mb - ma) / ma,
        ci: test.low !== null && test.high !== null ? { low: test.low, high: test.high } : null,
        p: test.p,
        pAdjusted: null,
        verdict: 'noise',
      });
    }
  }
  const adjusted = benjaminiHochberg(out.map((t) => t.p));
  const tested = adjusted.filter((p) => p !== null).length;
  for (const [i, t] of out.entries()) {
    t.pAdjusted = adjusted[i] ?? null;
    if (t.p === null || t.pAdjusted === null) {
      t.reason = `${t.baselineProcessMs.length} vs ${t.candidateProcessMs.length} processes: a test needs at least 2 a side`;
    } else if (t.pAdjusted >= alpha) {
      t.reason = `not shown to exceed the ${wholePercent(thresholds.throughput)} throughput threshold (p = ${t.p.toFixed(3)}, ${t.pAdjusted.toFixed(3)} adjusted over ${tested} throughput figures)`;
    } else {
      t.verdict = (t.ci?.low ?? t.change) > 0 ? 'worse' : 'better';
    }
  }
  if (out.length > 0 && out.some((t) => t.p === null)) {
    warnings.push(
      'throughput of a report measured in one process cannot be tested (one value a side): its rows show ~; reports measured now replicate it in fresh processes',
    );
  }
  return out;
}
