/**
 * One case measured run after run, in the order its runs end: each measured child's outcome
 * recorded into its CaseResult until a failure ends the case, then the case finished (state, error,
 * uint64 verdict, summary), added to its report with the data's heap figure, and the report saved.
 * The interleaved matrix (bench/run/interleave.ts) and the Python peer (bench/peer/python/peer.ts)
 * record their cases through here. The scheduler records its own (bench/run/scheduler.ts): its runs
 * end out of order, a case resumes from an earlier report, and it saves after every run.
 */
import { median } from '../results/summary.js';
import type { CaseResult, Phase, Report, RunResult } from '../types.js';
import { finishCase, Interrupted, type RepeatOutcome } from './case.js';
import type { ReportOutput } from './core.js';
import type { ChildOutcome } from './spawn.js';

/** What a case is, and the shell line that re-runs one of its measurements. */
export interface CaseStart {
  dataset: string;
  codec: string;
  phase: Phase;
  n: number;
  reproduce: string;
}

/**
 * The data's heap at each N of one dataset, from the dump runs (a clone child measures it too, after
 * a different history): `report.data[].heapBytes` is their median. One per report and dataset; the
 * scheduler's starts from a resumed report's earlier runs.
 */
export class DataHeaps {
  constructor(private readonly byN = new Map<number, number[]>()) {}

  add(phase: Phase, n: number, run: RunResult): void {
    if (phase === 'dump' && run.dataHeapBytes !== undefined) this.byN.set(n, [...(this.byN.get(n) ?? []), run.dataHeapBytes]);
  }

  /** The median so far into `report.data`'s row of (dataset, n); a report with no dump run keeps its null. */
  apply(report: Report, dataset: string, n: number): void {
    const size = report.data.find((d) => d.dataset === dataset && d.n === n);
    const heaps = this.byN.get(n);
    if (size && heaps && heaps.length > 0) size.heapBytes = median(heaps);
  }
}

export class CaseRecorder {
  readonly result: CaseResult;
  /** The failure that ended the case (its input's, or a run's): it measures no more runs. */
  private failure: ChildOutcome | undefined;

  constructor(
    start: CaseStart,
    private readonly output: ReportOutput,
    private readonly heaps: DataHeaps,
  ) {
    const { reproduce, ...what } = start;
    this.result = { ...what, state: 'ok', runs: [], summary: {}, reproduce };
  }

  /** True once a failure ended the case. */
  get ended(): boolean {
    return this.failure !== undefined;
  }

  /** The case ends before its first run (its input could not be written), or not (`undefined`). */
  failBefore(failure: ChildOutcome | undefined): void {
    this.failure ??= failure;
  }

  /**
   * Record run `runNumber` (1-based, for messages): its run appended and returned (the caller may mark
   * it), or the failure that ends the case kept (`undefined`). Throws Interrupted when the run was.
   */
  record(got: RepeatOutcome, runNumber: number): RunResult | undefined {
    if (got.outcome.kind === 'interrupted') throw new Interrupted();
    if (got.failure || !got.run) {
      this.failure = got.failure ?? got.outcome;
      return undefined;
    }
    this.result.runs.push(got.run);
    if (got.verifyError && !this.result.error) this.result.error = `run ${runNumber}: ${got.verifyError}`;
    this.heaps.add(this.result.phase, this.result.n, got.run);
    return got.run;
  }

  /** The case's state, error and summary from its runs and failure; into the report, its data heap figure updated, saved. */
  finish(): CaseResult {
    const result = finishCase(this.result, this.failure);
    this.output.report.cases.push(result);
    this.heaps.apply(this.output.report, result.dataset, result.n);
    this.output.save();
    return result;
  }
}

/** A dump case whose every run's file was verified: its file (the last run's) is the load case's input, with no prepare child. */
export function dumpFileReady(result: CaseResult): boolean {
  return result.phase === 'dump' && result.runs.length > 0 && result.runs.every((x) => x.verified);
}
