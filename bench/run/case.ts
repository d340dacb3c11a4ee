/**
 * One case's runs: a measured child turned into a RunResult (or the failure that ends its case),
 * the unmeasured child that writes a load's input, and a case's state once its last run ended.
 * The scheduler (bench/run/scheduler.ts) decides when each runs; `footprint matrix`
 * (bench/run/interleave.ts) and the Python peer (bench/peer/python/peer.ts, its python3 children a
 * ChildRunner) use the same pieces in their own order, through bench/run/recorder.ts.
 */
import { SERIES_MAX_POINTS } from '../constants.js';
import { helperFlags } from '../measure/heap-limit.js';
import type { ChildSpec } from '../measure/protocol.js';
import { samplerHook, toMemorySeries } from '../measure/sampler.js';
import { summarize } from '../results/summary.js';
import type { CaseResult, CaseState, RunResult, SuiteOptions } from '../types.js';
import { caseUint64 } from '../data/diff.js';
import { type ChildOptions, type ChildOutcome, type ChildRunner, runChild } from './spawn.js';
import { runTiming } from './timing.js';
import type { Verdict } from './inputs.js';

/** Thrown when the run's signal aborted: the run ends as interrupted, every measured run kept. */
export class Interrupted extends Error {}

/** What running one child needs from a run's options (the Python peer has these and no more; `nodeBinary` is then its python3). */
export type ChildSettings = Pick<SuiteOptions, 'nodeBinary' | 'timeoutMs' | 'sampleMs' | 'signal'>;

export function caseState(runs: RunResult[], failure: ChildOutcome | undefined): CaseState {
  if (failure && failure.kind !== 'result' && failure.kind !== 'verify' && failure.kind !== 'prepared' && failure.kind !== 'interrupted') return failure.kind;
  if (runs.some((r) => !r.verified)) return 'lossy';
  return 'ok';
}

export function describeFailure(o: ChildOutcome): string {
  if (o.kind === 'result' || o.kind === 'verify' || o.kind === 'prepared') return '';
  // a failure's own text may already say how the child ended ("child exited with code 3: ..."): not twice
  const said = /\b(exited with code|killed by) /.test(o.error);
  const how = said ? '' : o.exitSignal ? ` [signal ${o.exitSignal}]` : o.exitCode !== null ? ` [exit code ${o.exitCode}]` : '';
  return `${o.error}${how}${o.stderrTail ? `\n--- stderr (tail) ---\n${o.stderrTail}` : ''}`;
}

/** What one measured child gave: the outcome, and the run it measured (with the verifier's complaint) or the failure that ends its case. */
export interface RepeatOutcome {
  outcome: ChildOutcome;
  run?: RunResult;
  verifyError?: string;
  failure?: ChildOutcome;
  /** A dump whose file this orchestrator judges: `run.verified` is a placeholder until its verdict (bench/run/inputs.ts). */
  verdictFromParent?: true;
}

/**
 * One measured child of `spec` on `opts.nodeBinary`, with the parent's RSS sampler when sampling
 * is on (the memory-over-time picture; the headline peak stays the child's own VmHWM) and the
 * run's time breakdown from its markers. `runNumber` is 1-based, for messages. The caller checks
 * `outcome.kind === 'interrupted'`.
 */
export async function runRepeat(
  spec: ChildSpec,
  opts: ChildSettings,
  flags: string[],
  runNumber: number,
  extra: Partial<ChildOptions> = {},
  runner: ChildRunner = runChild,
): Promise<RepeatOutcome> {
  const sampler = samplerHook(opts.sampleMs); // the memory-over-time picture; the headline peak stays the child's own VmHWM
  const outcome = await runner(spec, { ...childOpts(opts, flags), ...(sampler.onSpawn ? { onSpawn: sampler.onSpawn } : {}), ...extra });
  const sampled = sampler.result();
  if (outcome.kind === 'interrupted') return { outcome };
  if (outcome.kind !== 'result') return { outcome, failure: outcome };
  const { verifyError, unjudged, verdictFromParent, ...figures } = outcome.figures;
  if (unjudged) {
    return {
      outcome,
      failure: { kind: 'failed', error: `run ${runNumber}: ${verifyError ?? 'verification failed'}`, exitCode: null, exitSignal: null, stderrTail: '' },
    };
  }
  const run: RunResult = figures;
  if (sampled) run.series = toMemorySeries(sampled, opts.sampleMs, outcome.markers, SERIES_MAX_POINTS);
  if (outcome.spawnedMs !== undefined && outcome.closedMs !== undefined) run.timing = runTiming(outcome.markers, outcome.spawnedMs, outcome.closedMs);
  return { outcome, run, ...(verifyError ? { verifyError } : {}), ...(verdictFromParent ? { verdictFromParent } : {}) };
}

/** A case's state, error, uint64 verdict and summary from its runs and the failure that ended it (if any). */
export function finishCase(result: CaseResult, failure: ChildOutcome | undefined): CaseResult {
  result.state = caseState(result.runs, failure);
  // a child that failed, ran out of memory or timed out: its exit code and signal, besides the prose in `error`
  if (failure && failure.kind !== 'result' && failure.kind !== 'verify' && failure.kind !== 'prepared')
    Object.assign(result, { error: describeFailure(failure), exitCode: failure.exitCode, exitSignal: failure.exitSignal });
  const uint64 = caseUint64(result.runs, result.error);
  if (uint64 && result.phase !== 'clone') result.uint64 = uint64;
  result.summary = summarize(result.runs);
  return result;
}

/** Write a load's input file in a separate, unmeasured process; the failure that ends the case, if it cannot. Throws Interrupted. */
export async function prepareInput(spec: ChildSpec, opts: ChildSettings, flags: string[], runner: ChildRunner = runChild): Promise<ChildOutcome | undefined> {
  const prep = await runner({ ...spec, phase: 'prepare' }, childOpts(opts, helperFlags(flags)));
  if (prep.kind === 'interrupted') throw new Interrupted();
  if (prep.kind !== 'prepared')
    return {
      ...prep,
      error: `could not write the input file: ${prep.kind === 'result' || prep.kind === 'verify' ? 'no confirmation' : prep.error}`,
    } as ChildOutcome;
  return undefined;
}

/**
 * A fresh, unmeasured process's verdict on the file `spec.file` of `spec`'s data (a dump's file
 * that no load run judged). It has the helpers' heap limit, so a file that the phase's limit
 * would not let it read back is not called lossy. Throws Interrupted.
 */
export async function verifyInChild(spec: ChildSpec, opts: SuiteOptions, flags: string[], runner: ChildRunner = runChild): Promise<Verdict> {
  const out = await runner({ ...spec, phase: 'verify' }, childOpts(opts, helperFlags(flags)));
  if (out.kind === 'interrupted') throw new Interrupted();
  if (out.kind === 'verify') {
    const { verified, error, uint64, unjudged } = out;
    return { verified, ...(error ? { error } : {}), ...(uint64 ? { uint64 } : {}), ...(unjudged ? { unjudged } : {}) };
  }
  // no verdict: the file's content was never judged, so this is a failure, not a lossy codec
  return { verified: false, unjudged: true, error: `verifier: ${out.kind === 'result' || out.kind === 'prepared' ? 'no verdict' : describeFailure(out)}` };
}

export function childOpts(opts: ChildSettings, flags: string[]): Parameters<typeof runChild>[1] {
  return { nodeBinary: opts.nodeBinary, flags, timeoutMs: opts.timeoutMs, ...(opts.signal ? { signal: opts.signal } : {}) };
}
