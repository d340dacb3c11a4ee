/**
 * Where a run's wall time went: each child's parts from its markers, each case's sum, and the
 * whole run's breakdown (children by part, side measurements, and the idle rest). Measured
 * figures stay in the children; these are the orchestration's own clocks.
 */
import { loadavg } from 'node:os';
import type { CaseResult, Marker, RunBreakdown, RunResult, RunTiming } from '../types.js';

/** Sum of wall-clock intervals, overlaps counted once: what is left of the run's wall time is idle orchestration. */
export class BusyIntervals {
  private readonly spans: [number, number][] = [];
  add(from: number, to: number): void {
    if (to > from) this.spans.push([from, to]);
  }
  total(): number {
    const s = [...this.spans].sort((a, b) => a[0] - b[0]);
    let sum = 0;
    let end = -Infinity;
    for (const [a, b] of s) {
      if (b <= end) continue;
      sum += b - Math.max(a, end);
      end = b;
    }
    return sum;
  }
}

/** Time breakdown of one child from its markers (child clock = parent clock, see monotonicMs). */
export function runTiming(markers: readonly Marker[], spawnedMs: number, closedMs: number): RunTiming {
  const at = (label: string): number | undefined => markers.find((m) => m.label === label)?.tMs;
  const total = closedMs - spawnedMs;
  const start = at('start') ?? 0;
  const generated = at('generated');
  const phaseStart = at('phase-start') ?? start;
  const phaseEnd = at('phase-end') ?? phaseStart;
  const verifyStart = at('verify-start') ?? phaseEnd;
  const verifyEnd = at('verify-end') ?? verifyStart;
  const r = (x: number): number => Math.max(0, Math.round(x * 10) / 10);
  return {
    childStartMs: r(start),
    dataGenerationMs: r(generated !== undefined ? generated - start : 0),
    settleBaselineMs: r(phaseStart - (generated ?? start)),
    phaseMs: r(phaseEnd - phaseStart),
    afterPhaseMs: r(verifyStart - phaseEnd),
    verificationMs: r(verifyEnd - verifyStart),
    exitMs: r(total - verifyEnd),
    totalMs: r(total),
  };
}

const TIMING_PARTS = ['childStartMs', 'dataGenerationMs', 'settleBaselineMs', 'phaseMs', 'afterPhaseMs', 'verificationMs', 'exitMs', 'totalMs'] as const;

/** A case's time: its runs' parts summed, and the unmeasured children that wrote its input. */
export function sumTimings(runs: readonly RunResult[], prepareInputMs: number): NonNullable<CaseResult['timing']> {
  const t = {
    childStartMs: 0,
    dataGenerationMs: 0,
    settleBaselineMs: 0,
    phaseMs: 0,
    afterPhaseMs: 0,
    verificationMs: 0,
    exitMs: 0,
    totalMs: 0,
    prepareInputMs,
  };
  for (const run of runs) for (const k of TIMING_PARTS) t[k] += run.timing?.[k] ?? 0;
  for (const k of TIMING_PARTS) t[k] = Math.round(t[k]);
  t.prepareInputMs = Math.round(prepareInputMs);
  return t;
}

/** The run's own counters and side-measurement times, added to as it goes (the rest of RunBreakdown is derived at the end). */
export type RunTotals = Omit<RunBreakdown, 'jobs' | 'wallMs' | 'idleMs' | 'loadAverageStart' | 'loadAverageEnd' | (typeof TIMING_PARTS)[number]>;

export function newTotals(): RunTotals {
  return {
    expectedChecksumMs: 0,
    prepareInputsMs: 0,
    sizesMs: 0,
    importsMs: 0,
    throughputMs: 0,
    sizeofMs: 0,
    verifiedFresh: 0,
    verifiedByIdentity: 0,
    verifiedByLoadRun: 0,
    sizesMeasured: 0,
    sizesReused: 0,
  };
}

/** The run's time breakdown: the children of this sitting summed by part, side measurements, and the idle rest. */
export function breakdown(
  plan: readonly { result: CaseResult; priorRuns: number }[],
  jobs: number,
  wallMs: number,
  busyMs: number,
  totals: RunTotals,
  loadAverageStart: number[],
): RunBreakdown {
  const parts = { childStartMs: 0, dataGenerationMs: 0, settleBaselineMs: 0, phaseMs: 0, afterPhaseMs: 0, verificationMs: 0, exitMs: 0 };
  for (const pc of plan) {
    for (const run of pc.result.runs.slice(pc.priorRuns)) for (const k of Object.keys(parts) as (keyof typeof parts)[]) parts[k] += run.timing?.[k] ?? 0;
  }
  const round = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'number' ? Math.round(v) : v])) as T;
  return {
    jobs,
    wallMs: Math.round(wallMs),
    ...round(parts),
    ...round(totals),
    idleMs: Math.round(Math.max(0, wallMs - busyMs)),
    loadAverageStart,
    loadAverageEnd: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}
