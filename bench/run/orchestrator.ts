/**
 * Which cases to run, in what order, and where results go. Measurement
 * itself happens in the child (bench/measure/child.ts); presentation in
 * bench/report/. The results file is rewritten atomically after every run,
 * so a crash or Ctrl-C keeps everything measured so far (an interrupted case
 * keeps its measured runs, marked incomplete).
 *
 * `jobs` measured children run at once: peak RSS is per process, and the
 * children run --single-threaded-gc, so their memory figures do not depend on
 * what else runs (docs/speed.md shows the comparison); their wall times do,
 * and the report records `jobs`. With jobs > 1 the compressed sizes run in a
 * background lane at the lowest CPU priority (nice 19), so they use the time
 * the measured children leave idle (settling, exits, verifiers) instead of a
 * job slot. Throughput runs alone at the end.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { loadavg, setPriority } from 'node:os';
import { mkdirp } from '../results/mkdirp.js';
import { basename, dirname, join } from 'node:path';
import { checksumTuples } from '../checksum.js';
import { CODECS } from '../codecs/index.js';
import { resolveCodec } from '../codecs/resolve.js';
import { SERIES_MAX_POINTS } from '../constants.js';
import { childFlags } from './flags.js';
import { samplerHook, toMemorySeries } from '../measure/sampler.js';
import { INTRINSIC_BYTES_PER_TUPLE, iterateTuples } from '../../fixtures/generate.js';
import type { ChildSpec } from '../measure/protocol.js';
import { sha256File } from '../measure/file-hash.js';
import { monotonicMs, specToArgs } from '../measure/protocol.js';
import { median, summarize } from '../results/summary.js';
import { writeJsonAtomic } from '../results/io.js';
import type {
  CaseResult,
  CaseState,
  Codec,
  CompressedSizes,
  Marker,
  Phase,
  Report,
  RunBreakdown,
  RunResult,
  RunTiming,
  SizeRow,
  SuiteOptions,
} from '../types.js';
import { CLONE_VARIANTS, PHASES, SCHEMA_VERSION } from '../types.js';
import { collectEnvironment } from './environment.js';
import { canMeasureSizeof } from '../runtimes/capabilities.js';
import { childScriptForDisplay, SIZES_CHILD_SCRIPT } from './paths.js';
import { helperFlags } from '../measure/heap-limit.js';
import { errorMessage } from '../errors.js';
import { explainCase } from '../explain/run.js';
import { caseUint64 } from '../verify-diff.js';
import { ProgressTracker } from './progress.js';
import { continueReport, priorCase, priorDataHeap, type ResumeOptions } from './resume.js';
import { runChild, type ChildOptions, type ChildOutcome } from './spawn.js';

/** The markdown report's path for a results JSON path. */
export function markdownPathFor(outFile: string): string {
  return `${outFile.replace(/\.json$/i, '')}.md`;
}

/** The HTML report's path for a results JSON path. */
export function htmlPathFor(outFile: string): string {
  return `${outFile.replace(/\.json$/i, '')}.html`;
}

/** One shell line that re-runs a measurement from the project root and prints its figures. */
export function reproduceLine(spec: ChildSpec, opts: Pick<SuiteOptions, 'nodeBinary' | 'maxOldSpaceSizeMb' | 'concurrentGc'>): string {
  const node = opts.nodeBinary === process.execPath ? 'node' : opts.nodeBinary;
  const q = (a: string): string => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  const file = `/tmp/footprint-${spec.codec}-${spec.n}.data`;
  const measured = { ...spec, file, expect: undefined } as ChildSpec;
  delete measured.expect;
  const run = (s: ChildSpec, flags: string[]): string => [node, ...flags, childScriptForDisplay(), ...specToArgs(s)].map(q).join(' ');
  const flags = childFlags(opts);
  if (spec.phase === 'clone') return run({ ...measured, file: '/dev/null' }, flags);
  if (spec.phase === 'load') return `${run({ ...measured, phase: 'prepare' }, helperFlags(flags))} && ${run(measured, flags)}`;
  return run(measured, flags);
}

function caseState(runs: RunResult[], failure: ChildOutcome | undefined): CaseState {
  if (failure && failure.kind !== 'result' && failure.kind !== 'verify' && failure.kind !== 'prepared' && failure.kind !== 'interrupted') return failure.kind;
  if (runs.some((r) => !r.verified)) return 'lossy';
  return 'ok';
}

function describeFailure(o: ChildOutcome): string {
  if (o.kind === 'result' || o.kind === 'verify' || o.kind === 'prepared') return '';
  const how = o.exitSignal ? ` [signal ${o.exitSignal}]` : o.exitCode !== null ? ` [exit code ${o.exitCode}]` : '';
  return `${o.error}${how}${o.stderrTail ? `\n--- stderr (tail) ---\n${o.stderrTail}` : ''}`;
}

/** A report with no cases yet: environment (probed on `opts.nodeBinary`), configuration, codecs, data sizes. */
export function newReport(opts: SuiteOptions, codecs: readonly Codec[], flags: string[]): Report {
  return {
    schemaVersion: SCHEMA_VERSION,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    interrupted: false,
    environment: collectEnvironment({ nodeBinary: opts.nodeBinary, nodeFlags: flags, codecs, command: process.argv.slice(1).join(' ') }),
    config: {
      n: opts.n,
      seed: opts.seed,
      repeats: opts.repeats,
      codecs: opts.codecs,
      phases: opts.phases,
      maxOldSpaceSizeMb: opts.maxOldSpaceSizeMb,
      timeoutMs: opts.timeoutMs,
      sampleMs: opts.sampleMs,
      jobs: Math.max(1, opts.jobs ?? 1),
    },
    codecs: Object.fromEntries(codecs.map((c) => [c.name, { kind: c.kind, description: c.description }])),
    data: opts.n.map((n) => ({ n, intrinsicBytes: n * INTRINSIC_BYTES_PER_TUPLE, heapBytes: null })),
    cases: [],
  };
}

/** What one measured child gave: the outcome, and the run it measured (with the verifier's complaint) or the failure that ends its case. */
export interface RepeatOutcome {
  outcome: ChildOutcome;
  run?: RunResult;
  verifyError?: string;
  failure?: ChildOutcome;
}

/**
 * One measured child of `spec` on `opts.nodeBinary`, with the parent's RSS sampler when sampling
 * is on (the memory-over-time picture; the headline peak stays the child's own VmHWM) and the
 * run's time breakdown from its markers. `runNumber` is 1-based, for messages. The caller checks
 * `outcome.kind === 'interrupted'`.
 */
export async function runRepeat(
  spec: ChildSpec,
  opts: SuiteOptions,
  flags: string[],
  runNumber: number,
  extra: Partial<ChildOptions> = {},
): Promise<RepeatOutcome> {
  const sampler = samplerHook(opts.sampleMs); // the memory-over-time picture; the headline peak stays the child's own VmHWM
  const outcome = await runChild(spec, { ...childOpts(opts, flags), ...(sampler.onSpawn ? { onSpawn: sampler.onSpawn } : {}), ...extra });
  const sampled = sampler.result();
  if (outcome.kind === 'interrupted') return { outcome };
  if (outcome.kind !== 'result') return { outcome, failure: outcome };
  const { verifyError, unjudged, ...figures } = outcome.figures;
  if (unjudged) {
    return {
      outcome,
      failure: { kind: 'failed', error: `run ${runNumber}: ${verifyError ?? 'verification failed'}`, exitCode: null, exitSignal: null, stderrTail: '' },
    };
  }
  const run: RunResult = figures;
  if (sampled) run.series = toMemorySeries(sampled, opts.sampleMs, outcome.markers, SERIES_MAX_POINTS);
  if (outcome.spawnedMs !== undefined && outcome.closedMs !== undefined) run.timing = runTiming(outcome.markers, outcome.spawnedMs, outcome.closedMs);
  return { outcome, run, ...(verifyError ? { verifyError } : {}) };
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
export async function prepareInput(spec: ChildSpec, opts: SuiteOptions, flags: string[]): Promise<ChildOutcome | undefined> {
  const prep = await runChild({ ...spec, phase: 'prepare' }, childOpts(opts, helperFlags(flags)));
  if (prep.kind === 'interrupted') throw new Interrupted();
  if (prep.kind !== 'prepared')
    return {
      ...prep,
      error: `could not write the input file: ${prep.kind === 'result' || prep.kind === 'verify' ? 'no confirmation' : prep.error}`,
    } as ChildOutcome;
  return undefined;
}

export interface SuiteResult {
  report: Report;
  /** True if every case is 'ok' or 'lossy' (a finding, not a failure of the run), nothing else failed and the run was not interrupted. */
  allOk: boolean;
}

/** One case of the plan: what to run, what an earlier sitting measured, how many runs are missing. */
export interface PlannedCase {
  spec: ChildSpec;
  /** The case as recorded in the report (an earlier sitting's, when resuming). */
  result: CaseResult;
  /** Runs kept from an earlier sitting (--resume). */
  priorRuns: number;
  /** Runs to measure now. */
  missing: number;
  /** In report.cases already (it has runs, or it finished). */
  recorded: boolean;
}

/**
 * The cases of a run, in report order: per N, each codec's dump then load, then
 * the clone variants. A case an earlier sitting completed is planned with
 * nothing missing; an incomplete one (interrupted between runs) with only its
 * missing runs.
 */
export function planCases(opts: SuiteOptions & ResumeOptions, codecs: readonly Codec[], expectFor: (n: number) => string, workDir: string): PlannedCase[] {
  const memory = opts.memory !== false;
  const codecPhases = memory ? orderPhases(opts.phases).filter((p) => p !== 'clone') : [];
  const cloneVariants = memory && opts.phases.includes('clone') ? [...CLONE_VARIANTS] : [];
  const plan: PlannedCase[] = [];
  const add = (spec: ChildSpec): void => {
    const prior = priorCase(opts.resumeFrom, spec.codec, spec.phase as Phase, spec.n);
    const missing = prior ? (prior.incomplete ? Math.max(0, opts.repeats - prior.runs.length) : 0) : opts.repeats;
    if (prior?.incomplete && missing === 0) delete prior.incomplete; // it has all its runs after all
    const result: CaseResult = prior ?? {
      codec: spec.codec,
      phase: spec.phase as Phase,
      n: spec.n,
      state: 'ok',
      runs: [],
      summary: {},
      reproduce: reproduceLine(spec, opts),
    };
    plan.push({ spec, result, priorRuns: prior?.runs.length ?? 0, missing, recorded: prior !== undefined });
  };
  for (const n of opts.n) {
    for (const codec of codecs) {
      for (const phase of codecPhases) {
        add({
          codec: codec.name,
          phase,
          n,
          seed: opts.seed,
          file: join(workDir, `${codec.name}-${n}.${codec.extension}`),
          expect: expectFor(n),
          codecModules: opts.codecModules,
        });
      }
    }
    for (const variant of cloneVariants) add({ codec: variant, phase: 'clone', n, seed: opts.seed, file: '/dev/null', expect: expectFor(n), codecModules: [] });
  }
  return plan;
}

/** A promise with its resolve function. */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A load's input for one (codec, n): the first verified dump file, else one written by a prepare child. Written once. */
interface InputFile {
  path: string;
  sha256?: string;
  /** Tasks (load runs, sizes) still to read it; removed when none is left. */
  users: number;
}

/** Sum of wall-clock intervals, overlaps counted once: what is left of the run's wall time is idle orchestration. */
class BusyIntervals {
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

function sumTimings(runs: readonly RunResult[], prepareInputMs: number): NonNullable<CaseResult['timing']> {
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

export async function runSuite(opts: SuiteOptions & ResumeOptions): Promise<SuiteResult> {
  const wallStart = monotonicMs();
  const loadAverageStart = loadavg().map((x) => Math.round(x * 100) / 100);
  const progress = opts.onProgress ?? (() => {});
  const jobs = Math.max(1, opts.jobs ?? 1);
  const codecs: Codec[] = [];
  for (const name of opts.codecs) codecs.push(await resolveCodec(name, opts.codecModules));
  const outDir = dirname(opts.outFile);
  mkdirp(outDir);
  const flags = childFlags(opts);

  const report = newReport({ ...opts, jobs }, codecs, flags);
  continueReport(report, opts.resumeFrom);
  report.config.jobs = jobs;
  // data files live inside the output folder, in a folder unique to this run, removed at the end
  const workDir = join(outDir, `.work-${basename(opts.outFile).replace(/\.json$/i, '')}-${process.pid}`);
  mkdirSync(workDir);

  const busy = new BusyIntervals();
  const totals = {
    expectedChecksumMs: 0,
    prepareInputsMs: 0,
    sizesMs: 0,
    throughputMs: 0,
    sizeofMs: 0,
    verifiedFresh: 0,
    verifiedByIdentity: 0,
    sizesMeasured: 0,
    sizesReused: 0,
  };
  // the expected checksum per n: the generator streamed once in the parent, handed to every child
  const expects = new Map<number, string>();
  const memory = opts.memory !== false;
  if (memory) {
    for (const n of opts.n) {
      const t0 = monotonicMs();
      expects.set(n, checksumTuples(iterateTuples(n, opts.seed)));
      busy.add(t0, monotonicMs());
      totals.expectedChecksumMs += monotonicMs() - t0;
    }
  }
  const plan = planCases(opts, codecs, (n) => expects.get(n) ?? '', workDir);
  const priorCases = (opts.resumeFrom?.cases ?? []).filter((c) => !plan.some((p) => p.result === c));
  const save = (): void => {
    report.cases = [...priorCases, ...plan.filter((p) => p.recorded).map((p) => p.result)];
    writeJsonAtomic(opts.outFile, report);
    for (const sink of opts.sinks ?? []) sink.save?.(report, opts.outFile);
  };
  save();

  let sideFailures = 0; // parts of the run other than cases that failed (throughput)
  const total = plan.length;
  let done = plan.filter((p) => p.missing === 0).length; // kept from the interrupted run (--resume)
  const tracker = new ProgressTracker(plan, jobs, wallStart, done);
  const status = (): void => opts.onStatus?.(tracker.status());
  // data heap per n from the dump runs (and, when resuming, from the earlier run's)
  const dataHeap = new Map<number, number[]>(opts.n.map((n) => [n, priorDataHeap(opts.resumeFrom, n)]));

  // --- dump files, load inputs and verification by identity ---
  const inputs = new Map<
    string,
    {
      ready: ReturnType<typeof deferred<InputFile | null>>;
      file: InputFile | null;
      settled: boolean;
      pendingDumps: number;
      users: number;
      prepared?: Promise<InputFile | string>;
    }
  >();
  const inputKey = (codec: string, n: number): string => `${codec}\u0000${n}`;
  const inputOf = (codec: string, n: number) => {
    const k = inputKey(codec, n);
    let e = inputs.get(k);
    if (!e) {
      e = { ready: deferred<InputFile | null>(), file: null, settled: false, pendingDumps: 0, users: 0 };
      inputs.set(k, e);
    }
    return e;
  };
  const releaseInput = (codec: string, n: number): void => {
    const e = inputOf(codec, n);
    if (e.file && --e.file.users <= 0) rmSync(e.file.path, { force: true });
  };
  /** sha256 (per n) -> the run whose byte-identical file a fresh verifier judged exact, or a verification under way. */
  const identities = new Map<string, { sameAs?: { codec: string; n: number; run: number }; pending?: Promise<void> }>();

  /** Measure run `r` (0-based, this sitting) of a case and record it; throws Interrupted. */
  const measureRun = async (pc: PlannedCase, r: number, file: string): Promise<ChildOutcome> => {
    const spec: ChildSpec = { ...pc.spec, file };
    const runNumber = pc.priorRuns + r + 1;
    const label = `${spec.codec} ${spec.phase} run ${runNumber}/${opts.repeats}`;
    let owned: { key: string; done: () => void } | undefined;
    const onFileHash = async (sha256: string): Promise<{ codec: string; n: number; run: number } | undefined> => {
      const key = `${spec.n}:${spec.seed}:${sha256}`;
      for (;;) {
        const e = identities.get(key);
        if (!e) {
          const d = deferred<void>();
          identities.set(key, { pending: d.promise });
          owned = { key, done: () => d.resolve() };
          return undefined; // this run's fresh verifier judges the file
        }
        if (e.sameAs) return e.sameAs;
        await e.pending; // a byte-identical file is being verified right now: wait for its verdict
      }
    };
    tracker.runStarted(label, pc);
    status();
    let got: RepeatOutcome;
    try {
      got = await runRepeat(spec, opts, flags, runNumber, spec.phase === 'dump' ? { onFileHash } : {});
    } finally {
      tracker.runFinished(label, pc);
    }
    const outcome = got.outcome;
    if (outcome.spawnedMs !== undefined && outcome.closedMs !== undefined) busy.add(outcome.spawnedMs, outcome.closedMs);
    if (owned) {
      const e = identities.get(owned.key)!;
      const f = outcome.kind === 'result' ? outcome.figures : undefined;
      if (f?.verified && f.verification?.method === 'fresh-process') e.sameAs = { codec: spec.codec, n: spec.n, run: runNumber };
      else identities.delete(owned.key); // not judged exact: the next identical file gets its own fresh verifier
      delete e.pending;
      owned.done();
    }
    if (outcome.kind === 'interrupted') throw new Interrupted();
    if (got.failure) return got.failure;
    if (got.run) {
      const run = got.run;
      if (run.timing) tracker.measured(pc, run.timing.totalMs);
      if (run.verification?.method === 'fresh-process') totals.verifiedFresh++;
      if (run.verification?.method === 'identity') totals.verifiedByIdentity++;
      slotsOf(pc)[r] = run;
      pc.result.runs = [...pc.result.runs.slice(0, pc.priorRuns), ...slotsOf(pc).filter((x): x is RunResult => x !== undefined)];
      if (got.verifyError && !pc.result.error) pc.result.error = `run ${runNumber}: ${got.verifyError}`;
      // the data's heap comes from the dump runs (a clone child measures it too, after a different history)
      if (spec.phase === 'dump' && run.dataHeapBytes !== undefined) dataHeap.set(spec.n, [...(dataHeap.get(spec.n) ?? []), run.dataHeapBytes]);
      // save after every run: an interrupted case keeps what it measured, marked incomplete
      pc.result.state = caseState(pc.result.runs, undefined);
      pc.result.summary = summarize(pc.result.runs);
      pc.result.incomplete = true;
      pc.recorded = true;
      const size = report.data.find((d) => d.n === spec.n);
      const heaps = dataHeap.get(spec.n);
      if (size && heaps && heaps.length > 0) size.heapBytes = median(heaps);
      save();
    }
    return outcome;
  };

  const slots = new Map<PlannedCase, (RunResult | undefined)[]>();
  const slotsOf = (pc: PlannedCase): (RunResult | undefined)[] => {
    let s = slots.get(pc);
    if (!s) {
      s = [];
      slots.set(pc, s);
    }
    return s;
  };
  const failures = new Map<PlannedCase, ChildOutcome>();
  const prepareMs = new Map<PlannedCase, number>();
  const finishedRuns = new Map<PlannedCase, number>();
  /** A run of the case ended (measured, failed or skipped): finish the case after its last. */
  const runEnded = async (pc: PlannedCase): Promise<void> => {
    if (opts.signal?.aborted) return; // interrupted: the case stays as its measured runs left it (incomplete)
    const k = (finishedRuns.get(pc) ?? 0) + 1;
    finishedRuns.set(pc, k);
    if (k < pc.missing) return;
    const result = finishCase(pc.result, failures.get(pc));
    delete result.incomplete;
    if (opts.explain && result.state === 'ok') {
      // extra, unmeasured children with the sampling heap profiler (bench/explain/run.ts); interrupted, the measured case is still kept.
      // A load's input left with its last measured run: the explain children read one written again, then removed.
      const { samplingIntervalBytes } = opts.explain;
      const inputFailure = pc.spec.phase === 'load' ? await prepareInput(pc.spec, opts, flags) : undefined;
      const explain = inputFailure
        ? { samplingIntervalBytes, errors: [`no input file for the explain children: ${describeFailure(inputFailure)}`] }
        : await explainCase(pc.spec, result, { ...childOpts(opts, flags), outDir: opts.explain.outDir, resultsDir: outDir, samplingIntervalBytes });
      if (pc.spec.phase === 'load') rmSync(pc.spec.file, { force: true });
      if (!opts.signal?.aborted) result.explain = explain;
    }
    result.timing = sumTimings(result.runs, (pc.result.timing?.prepareInputMs ?? 0) + (prepareMs.get(pc) ?? 0));
    pc.recorded = true;
    save();
    done++;
    tracker.caseDone();
    opts.onCaseDone?.(done, total, result);
    status();
  };

  /** The input file of (codec, n): the first verified dump file of this sitting, else written once by a prepare child. */
  const loadInput = async (pc: PlannedCase, codec: Codec): Promise<InputFile | string> => {
    const e = inputOf(codec.name, pc.spec.n);
    const fromDump = await e.ready.promise;
    if (fromDump) return fromDump;
    e.prepared ??= (async (): Promise<InputFile | string> => {
      // a load's input is written by a separate, unmeasured process
      const path = join(workDir, `${codec.name}-${pc.spec.n}.${codec.extension}`);
      const t0 = monotonicMs();
      const failure = await prepareInput({ ...pc.spec, file: path }, opts, flags).finally(() => {
        busy.add(t0, monotonicMs());
        totals.prepareInputsMs += monotonicMs() - t0;
        prepareMs.set(pc, (prepareMs.get(pc) ?? 0) + (monotonicMs() - t0));
      });
      if (failure)
        return failure.kind === 'result' || failure.kind === 'verify' || failure.kind === 'prepared' ? 'could not write the input file' : failure.error;
      e.file = { path, users: e.users };
      return e.file;
    })();
    return e.prepared;
  };

  // --- the task list: every run of every case, in report order, plus each codec's sizes ---
  type Task = () => Promise<void>;
  const tasks: Task[] = [];
  // with jobs > 1 the sizes go to a background lane (nice 19) instead of taking a job slot; with --jobs 1 nothing overlaps
  const background = jobs > 1;
  const sizesTasks: Task[] = background ? [] : tasks;
  let laneHalted = false;
  const sizesBySha = new Map<string, Promise<SizeRow | undefined>>();
  // sizes an earlier sitting measured (--resume) count as measured for byte-identical files too
  for (const row of report.sizes ?? []) if (row.sha256 && !row.sameFileAs) sizesBySha.set(`${row.n}:${row.sha256}`, Promise.resolve(row));
  for (const n of opts.n) {
    for (const codec of codecs) {
      const mine = plan.filter((p) => p.spec.n === n && p.spec.codec === codec.name && p.spec.phase !== 'clone');
      const dump = mine.find((p) => p.spec.phase === 'dump');
      const load = mine.find((p) => p.spec.phase === 'load');
      const e = inputOf(codec.name, n);
      e.pendingDumps = dump?.missing ?? 0;
      // sizes of the file a verified dump wrote, this sitting or (--resume) an earlier one whose sizes were not measured
      const verifiedEarlier = dump?.result.runs.slice(0, dump.priorRuns).find((x) => x.verified && x.fileSha256)?.fileSha256;
      const wantSizes =
        opts.sizes !== false &&
        dump !== undefined &&
        (dump.missing > 0 || verifiedEarlier !== undefined) &&
        !(report.sizes ?? []).some((s) => s.codec === codec.name && s.n === n);
      const users = (load?.missing ?? 0) + (wantSizes ? 1 : 0);
      e.users = users;
      const settleIfLast = (): void => {
        if (--e.pendingDumps <= 0 && !e.settled) {
          e.settled = true;
          e.ready.resolve(null);
        }
      };
      if (!dump || dump.missing === 0) {
        e.settled = true;
        e.ready.resolve(null);
      }
      for (let r = 0; dump && r < dump.missing; r++) {
        tasks.push(async () => {
          try {
            if (failures.has(dump)) return; // a failed run ends its case's remaining runs
            const file = join(workDir, `${codec.name}-${n}-run${dump.priorRuns + r + 1}.${codec.extension}`);
            const outcome = await measureRun(dump, r, file);
            const f = outcome.kind === 'result' ? outcome.figures : undefined;
            if (outcome.kind !== 'result' || f?.unjudged) failures.set(dump, outcome);
            if (f && !f.unjudged && f.verified && !e.settled && users > 0) {
              // the first verified dump file is the load's input and the file whose sizes are measured
              e.file = { path: file, users, ...(f.fileSha256 ? { sha256: f.fileSha256 } : {}) };
              e.settled = true;
              e.ready.resolve(e.file);
            } else rmSync(file, { force: true });
          } finally {
            settleIfLast();
            await runEnded(dump);
          }
        });
      }
      for (let r = 0; load && r < load.missing; r++) {
        tasks.push(async () => {
          try {
            if (failures.has(load)) return;
            const input = await loadInput(load, codec);
            if (typeof input === 'string') {
              failures.set(load, { kind: 'failed', error: input, exitCode: null, exitSignal: null, stderrTail: '' });
              return;
            }
            try {
              const outcome = await measureRun(load, r, input.path);
              if (outcome.kind !== 'result' || outcome.figures.unjudged) failures.set(load, outcome);
            } finally {
              releaseInput(codec.name, n);
            }
          } finally {
            await runEnded(load);
          }
        });
      }
      if (wantSizes) {
        sizesTasks.push(async () => {
          try {
            let input = await e.ready.promise;
            if (laneHalted) return;
            if (!input) {
              // no verified dump file in this sitting: the dumps were measured before an interruption (--resume).
              // Write the file once more and measure it only if it is byte-identical to a file verified then.
              if (!verifiedEarlier || !dump) return;
              const prepared = await loadInput(dump, codec);
              if (typeof prepared === 'string') {
                progress(`      ${codec.name} n=${n.toLocaleString('en-US')}: compressed sizes failed: ${prepared}`);
                sideFailures++;
                return;
              }
              prepared.sha256 ??= await sha256File(prepared.path);
              if (prepared.sha256 !== verifiedEarlier) {
                progress(
                  `      ${codec.name} n=${n.toLocaleString('en-US')}: compressed sizes not measured: the file written again differs from the verified dump file (SHA-256)`,
                );
                sideFailures++;
                return;
              }
              input = prepared;
            }
            const t0 = monotonicMs();
            const key = input.sha256 ? `${n}:${input.sha256}` : undefined;
            const earlier = key ? sizesBySha.get(key) : undefined;
            if (earlier) {
              const row = await earlier;
              if (row) {
                report.sizes = [...(report.sizes ?? []), { ...row, codec: codec.name, n, sameFileAs: row.codec }];
                totals.sizesReused++;
                progress(
                  `      ${codec.name} n=${n.toLocaleString('en-US')}: byte-identical to ${row.codec}'s file (SHA-256): sizes reused, not compressed again`,
                );
                return;
              }
            }
            const label = `${codec.name} sizes`;
            tracker.sideStarted(label);
            const measured = addSizes(report, codec.name, n, input.path, input.sha256, opts, progress, background).finally(() => tracker.sideFinished(label));
            if (key) sizesBySha.set(key, measured);
            const row = await measured;
            busy.add(t0, monotonicMs());
            totals.sizesMs += monotonicMs() - t0;
            if (!row) sideFailures++;
            else totals.sizesMeasured++;
          } finally {
            releaseInput(codec.name, n);
            save();
          }
        });
      }
    }
    for (const pc of plan.filter((p) => p.spec.n === n && p.spec.phase === 'clone')) {
      for (let r = 0; r < pc.missing; r++) {
        tasks.push(async () => {
          try {
            if (failures.has(pc)) return;
            const outcome = await measureRun(pc, r, '/dev/null');
            if (outcome.kind !== 'result' || outcome.figures.unjudged) failures.set(pc, outcome);
          } finally {
            await runEnded(pc);
          }
        });
      }
    }
  }

  /** Workers take a queue's tasks in order; more can join later (the sizes lane, once the measured children are done). */
  const queue = (list: Task[]) => {
    let next = 0;
    let stop = false;
    const running: Promise<void>[] = [];
    const worker = async (): Promise<void> => {
      while (!stop && next < list.length) {
        if (opts.signal?.aborted) throw new Interrupted();
        const task = list[next++]!;
        try {
          await task();
        } catch (err) {
          stop = true;
          throw err;
        }
      }
    };
    return {
      /** No task starts after this; those running finish. */
      stop(): void {
        stop = true;
      },
      add(workers: number): void {
        for (let i = 0; i < workers; i++) running.push(worker());
      },
      async finished(): Promise<void> {
        const settled = await Promise.allSettled(running);
        const errors = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
        const real = errors.find((e) => !(e instanceof Interrupted));
        if (real) throw real;
        if (errors.length > 0) throw new Interrupted();
      },
    };
  };
  /** `jobs` workers take the tasks in order (a load waits for its input, which an earlier task is producing); one worker takes the sizes lane. */
  const runTasks = async (): Promise<void> => {
    const measured = queue(tasks);
    const lane = queue(background ? sizesTasks : []);
    measured.add(jobs);
    lane.add(1);
    try {
      await measured.finished();
    } catch (err) {
      // stopped (interrupt or error): no dump will produce an input any more, so a sizes task waiting for one is let go
      laneHalted = true;
      lane.stop();
      for (const e of inputs.values()) if (!e.settled) (e.settled = true), e.ready.resolve(null);
      await lane.finished().catch(() => {});
      throw err;
    }
    // the measured children are done: what is left of the sizes takes every slot, at the same low priority
    lane.add(jobs - 1);
    await lane.finished();
  };

  try {
    status();
    const ticker = opts.onStatus ? setInterval(status, 1000) : undefined;
    ticker?.unref();
    try {
      await runTasks();
    } finally {
      if (ticker) clearInterval(ticker);
    }
    if (opts.signal?.aborted) throw new Interrupted();
    // throughput after every memory case, alone: its timings must not compete with other children
    let t0 = monotonicMs();
    if (!(await addThroughput(report, opts, progress))) sideFailures++;
    busy.add(t0, monotonicMs());
    totals.throughputMs += monotonicMs() - t0;
    if (opts.signal?.aborted) throw new Interrupted();
    save();
    t0 = monotonicMs();
    if (opts.sizeof !== false && !(await addSizeof(report, opts, workDir, progress))) sideFailures++;
    busy.add(t0, monotonicMs());
    totals.sizeofMs += monotonicMs() - t0;
    if (opts.signal?.aborted) throw new Interrupted();
    report.finishedAt = new Date().toISOString();
  } catch (err) {
    if (!(err instanceof Interrupted)) throw err;
    report.interrupted = true;
  } finally {
    report.timing = breakdown(plan, jobs, monotonicMs() - wallStart, busy.total(), totals, loadAverageStart);
    save();
    rmSync(workDir, { recursive: true, force: true });
  }
  // the HTML report (charts) once at the end: vega takes a second to load, too slow to redo after every case
  for (const sink of opts.sinks ?? []) await sink.finish?.(report, opts.outFile);
  const throughputOk = (report.throughput?.rows ?? []).every((r) => r.state === 'ok' || r.state === 'lossy'); // lossy: a finding, not timed
  return {
    report,
    allOk: !report.interrupted && sideFailures === 0 && throughputOk && report.cases.every((c) => (c.state === 'ok' || c.state === 'lossy') && !c.incomplete),
  };
}

/** The run's time breakdown: the children of this sitting summed by part, side measurements, and the idle rest. */
function breakdown(
  plan: readonly PlannedCase[],
  jobs: number,
  wallMs: number,
  busyMs: number,
  totals: Omit<RunBreakdown, 'jobs' | 'wallMs' | 'idleMs' | 'loadAverageStart' | 'loadAverageEnd' | (typeof TIMING_PARTS)[number]>,
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

/** Thrown when the run's signal aborted: the run ends as interrupted, every measured run kept. */
export class Interrupted extends Error {}

/** Raw and compressed sizes of a codec's (verified) file, measured while it still exists. */
export async function addSizes(
  report: Report,
  codec: string,
  n: number,
  file: string,
  sha256: string | undefined,
  opts: SuiteOptions,
  progress: (l: string) => void,
  lowPriority = false,
): Promise<SizeRow | undefined> {
  let sizes: CompressedSizes;
  try {
    // on the Node under test (--node, matrix): its zlib, and zstd where that version has it
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = execFile(
        opts.nodeBinary,
        [SIZES_CHILD_SCRIPT, file],
        { timeout: opts.timeoutMs, ...(opts.signal ? { signal: opts.signal } : {}) },
        (err, out, errOut) => (err ? reject(Object.assign(err, { stderr: errOut })) : resolve(out)),
      );
      if (lowPriority && child.pid !== undefined) {
        try {
          setPriority(child.pid, 19); // beside measured children: only their idle CPU time
        } catch {
          // not permitted here: it still runs, at normal priority
        }
      }
    });
    sizes = JSON.parse(stdout.trim().split('\n').pop() ?? '') as CompressedSizes;
  } catch (err) {
    if (opts.signal?.aborted) throw new Interrupted();
    const e = err as { stderr?: string; message?: string };
    progress(`      ${codec} n=${n}: compressed sizes failed: ${(e.stderr?.trim() || e.message || String(err)).split('\n').pop()}`);
    return undefined;
  }
  const row: SizeRow = { codec, n, ...sizes, ...(sha256 ? { sha256 } : {}) };
  report.sizes = [...(report.sizes ?? []), row];
  progress(
    `      ${codec} n=${n.toLocaleString('en-US')}: file ${sizes.rawBytes} B, gzip ${sizes.gzip.bytes} B, brotli ${sizes.brotli.bytes} B, zstd ${sizes.zstd === 'n/a' ? 'n/a' : `${sizes.zstd.bytes} B`}`,
  );
  return row;
}

/** In-process throughput of every codec, in one fresh child on the suite's Node binary. */
export async function addThroughput(report: Report, opts: SuiteOptions, progress: (l: string) => void): Promise<boolean> {
  if (!opts.throughput) return true;
  const { runThroughputChild } = await import('../throughput/run-child.js');
  const builtIn = opts.codecs.filter((c) => CODECS.some((x) => x.name === c));
  progress(`throughput (in-process, warmed JIT, tinybench): ${opts.throughput.batch} tuples per operation`);
  try {
    report.throughput = await runThroughputChild({
      nodeBinary: opts.nodeBinary,
      codecs: builtIn,
      codecModules: opts.codecModules,
      seed: opts.seed,
      ...opts.throughput,
      onProgress: (l) => progress(`      ${l}`),
      // one child measures every codec: give it the per-child wall limit per codec
      signal: AbortSignal.any([...(opts.signal ? [opts.signal] : []), AbortSignal.timeout(opts.timeoutMs * Math.max(1, opts.codecs.length))]),
    });
    return true;
  } catch (err) {
    if (opts.signal?.aborted) throw new Interrupted();
    progress(`throughput failed: ${errorMessage(err)}`);
    return false;
  }
}

/**
 * The sizeof table for the children's Node binary, and its per-tuple model
 * set against the data heap the dump children measured at the largest N.
 * A failure here loses no figures; it makes the run's exit code 1.
 */
export async function addSizeof(report: Report, opts: SuiteOptions, snapshotDir: string, progress: (l: string) => void): Promise<boolean> {
  // not where the heap is not V8's (Bun: no V8 heap snapshot); the report's capability table says so
  if (!canMeasureSizeof(report.environment.runtime)) return true;
  const { measureSizeof, withMeasurement } = await import('../sizeof/measure.js');
  try {
    const sizeof = await measureSizeof({ nodeBinary: opts.nodeBinary, tupleN: 0, snapshotDir });
    const measured = [...report.data].reverse().find((d) => d.heapBytes !== null && d.n > 0);
    if (sizeof.tupleModel && measured?.heapBytes) {
      sizeof.tupleModel = withMeasurement(sizeof.tupleModel, {
        n: measured.n,
        seed: opts.seed,
        heapGrowthBytes: measured.heapBytes,
        bytesPerTuple: measured.heapBytes / measured.n,
      });
    }
    report.sizeof = sizeof;
    return true;
  } catch (err) {
    // the cases are kept; the run's exit code says something failed
    progress(`sizeof table failed: ${errorMessage(err)}`);
    return false;
  }
}

function childOpts(opts: SuiteOptions, flags: string[]): Parameters<typeof runChild>[1] {
  return { nodeBinary: opts.nodeBinary, flags, timeoutMs: opts.timeoutMs, ...(opts.signal ? { signal: opts.signal } : {}) };
}

/** Dumps run before loads, so a load can read the file its codec's dump wrote. */
export function orderPhases(phases: readonly Phase[]): Phase[] {
  return PHASES.filter((p) => phases.includes(p)); // PHASES is in that order
}
