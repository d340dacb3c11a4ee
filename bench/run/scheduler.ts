/**
 * The memory cases' runs as a list of tasks, and `jobs` workers that take them in order.
 *
 * The list is in report order: per N, per codec, its dump runs, its load runs (the first right
 * after the first `jobs` dump runs: it judges their file), the loads of codecs whose files it
 * writes (dumpBy) and the sizes of its file; with more than one worker, staggered codec by codec
 * (the next codec's first dumps before this one's loads, its loads before this one's sizes), so
 * that a worker rarely waits for a file or a verdict; then the clone runs,
 * with, after the first of them, one task measuring what importing each codec costs (several
 * small children that mostly wait). Every other task is one child (or, for sizes, one compression child), so with `jobs`
 * workers at most `jobs` measured children run at once. (Sizes in a background
 * lane at nice 19 beside `jobs` measured children were tried: the run took longer, because the
 * measured children slowed by about 20%; docs/speed.md.) Order matters because of the
 * dependencies between tasks, which are waits, not barriers:
 * - a load reads its codec's input file (bench/run/inputs.ts): it waits for the first dump
 *   file, which an earlier task in the list is producing;
 * - the sizes are measured once the file was judged exact, by a load run earlier in the list.
 * Since every wait is on a task earlier in the list, and workers take tasks in list order, the
 * task waited for has always started: no deadlock with any number of workers. A dump run's
 * verdict comes later than its child's end (bench/run/inputs.ts: by identity, or from the load
 * run that reads its file): its task ends without waiting for it, so no worker waits on a later
 * task, and the run is recorded when the verdict arrives; `run()` waits for those too.
 *
 * After every run the case is recorded and the report saved (the caller's `save`), so an
 * interruption keeps every measured run (a dump run once its verdict is in); a case is finished
 * (state, summary, timing) when its last run of this sitting ended.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ownModuleOf } from '../codecs/resolve.js';
import { explainCase } from './explain.js';
import { sha256File } from '../measure/file-hash.js';
import type { ChildSpec } from '../measure/protocol.js';
import { monotonicMs } from '../measure/protocol.js';
import { summarize } from '../results/summary.js';
import { dataExternalBytes } from '../results/datasets.js';
import type { Codec, Report, RunResult, SizeRow, SuiteOptions } from '../types.js';
import { caseState, childOpts, describeFailure, finishCase, Interrupted, prepareInput, type RepeatOutcome, runRepeat, verifyInChild } from './case.js';
import { type DumpRun, type InputFile, InputFiles, type Judgement } from './inputs.js';
import { dataFileStem, datasetOf, datasetPrefix, type PlannedCase } from './planned-case.js';
import { ProgressTracker } from './progress.js';
import { DataHeaps } from './recorder.js';
import { priorDataHeap, type ResumeOptions } from './resume.js';
import { addSizeRow, addSizes, measureImport } from './side-measurements.js';
import { type ChildOutcome, type ChildRunner, runChild } from './spawn.js';
import { type BusyIntervals, type RunTotals, sumTimings } from './timing.js';

/** Import-cost children run at once in their one task (bench/measure/import-child.ts). */
const IMPORT_CHILDREN = 4;

/** One unit of work for a worker: a measured run, or a codec's compressed sizes. Throws Interrupted when the run's signal aborted. */
export type Task = () => Promise<void>;

/**
 * Each codec's work in stages, as one list: stage s of the i-th codec at place i + s × lag, earlier stages first
 * at the same place. With lag 1 the next codec's first stage comes before this codec's second, and so on; with lag
 * 0, codec after codec. A codec's own items keep their order, so every wait stays on an earlier item.
 */
export function staggered<T>(byCodec: readonly (readonly (readonly T[])[])[], lag: number): T[] {
  const placed = byCodec.flatMap((stages, i) => stages.map((items, s) => ({ at: i + s * lag, s, items })));
  placed.sort((a, b) => a.at - b.at || a.s - b.s);
  return placed.flatMap((x) => x.items);
}

/**
 * `jobs` workers take the tasks in list order, each one task at a time. A task that throws stops
 * every worker before its next task (the ones running finish); the first error that is not
 * Interrupted is rethrown (a bug must not be reported as an interruption), else Interrupted.
 */
export async function runWorkers(tasks: readonly Task[], jobs: number, signal?: AbortSignal): Promise<void> {
  let next = 0;
  let stopped = false;
  const worker = async (): Promise<void> => {
    while (!stopped && next < tasks.length) {
      if (signal?.aborted) throw new Interrupted();
      const task = tasks[next++]!;
      try {
        await task();
      } catch (err) {
        stopped = true;
        throw err;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: jobs }, worker));
  const errors = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  const real = errors.find((e) => !(e instanceof Interrupted));
  if (real) throw real;
  if (errors.length > 0) throw new Interrupted();
}

/** What the scheduler needs from runSuite: the run's settings and report, and where its time and results go. */
export interface SchedulerContext {
  opts: SuiteOptions & ResumeOptions;
  /** The measured children's Node flags. */
  flags: string[];
  report: Report;
  plan: readonly PlannedCase[];
  codecs: readonly Codec[];
  /** This run's folder of data files, removed by the caller at the end. */
  workDir: string;
  /** The results file's folder (explain's outputs are linked relative to it). */
  outDir: string;
  jobs: number;
  /** monotonicMs() at the start of the run, for the progress estimate. */
  wallStart: number;
  busy: BusyIntervals;
  totals: RunTotals;
  /** Write the report and hand it to the sinks: after every run, so an interruption loses nothing measured. */
  save: () => void;
  progress: (line: string) => void;
  /** What runs the measured, prepare and verifier children: run/spawn.ts's runChild unless a test hands in a stand-in. */
  runChild?: ChildRunner;
}

/** The state of one run's memory cases while their tasks run: which runs ended, failed, and where each case's input file is. */
export class Scheduler {
  /** Compressed sizes that failed (a side measurement: no case lost); runSuite adds throughput's and sizeof's. */
  sideFailures = 0;
  private readonly tracker: ProgressTracker;
  private casesDone: number;
  /** Each dataset's files (dump files, their verdicts, the loads' inputs), data heaps and sizes (nothing is shared between datasets: other data, other files). */
  private readonly byDataset = new Map<string, DatasetState>();
  /** Each case to run: its dataset's state, label and file stem, found once. */
  private readonly running = new Map<PlannedCase, RunningCase>();
  /** Dump runs waiting for their verdict, to be recorded when it comes (see run()). */
  private readonly later: Promise<void>[] = [];
  /** Case ends with explain children that came outside any task: run after the tasks, one at a time. */
  private readonly afterTasks: (() => Promise<void>)[] = [];
  /** Runs of this sitting by index, so runs that end out of order (jobs > 1) are recorded in run order. */
  private readonly slots = new Map<PlannedCase, (RunResult | undefined)[]>();
  /** The failure that ends a case: its remaining runs are skipped. */
  private readonly failures = new Map<PlannedCase, ChildOutcome>();
  /** Time of the unmeasured children that wrote a case's input. */
  private readonly prepareMs = new Map<PlannedCase, number>();
  /** Runs of this sitting that ended (measured, failed or skipped), per case. */
  private readonly finishedRuns = new Map<PlannedCase, number>();

  private readonly runner: ChildRunner;

  constructor(private readonly ctx: SchedulerContext) {
    this.runner = ctx.runChild ?? runChild;
    const { opts, plan, report } = ctx;
    this.casesDone = plan.filter((p) => p.missing === 0).length; // kept from the interrupted run (--resume)
    this.tracker = new ProgressTracker(plan, ctx.jobs, ctx.wallStart, this.casesDone);
    for (const ds of opts.datasets) {
      const state: DatasetState = {
        inputs: new InputFiles(),
        dataHeap: new DataHeaps(new Map(ds.n.map((n) => [n, priorDataHeap(opts.resumeFrom, ds.name, n)]))),
        sizesBySha: new Map(),
      };
      // sizes an earlier sitting measured (--resume) count as measured for byte-identical files too
      for (const row of report.sizes ?? [])
        if (row.dataset === ds.name && row.sha256 && !row.sameFileAs) state.sizesBySha.set(`${row.n}:${row.sha256}`, Promise.resolve(row));
      this.byDataset.set(ds.name, state);
    }
    for (const pc of plan) {
      if (pc.missing === 0) continue;
      const dataset = datasetOf(pc.spec);
      const { codec, phase, n } = pc.spec;
      this.running.set(pc, { dataset, state: this.of(dataset), label: `${datasetPrefix(dataset)}${codec} ${phase}`, stem: dataFileStem(dataset, codec, n) });
    }
  }

  /** The state of one dataset's cases. */
  private of(dataset: string): DatasetState {
    const state = this.byDataset.get(dataset);
    if (!state) throw new Error(`bug: dataset ${dataset} is not in the run's datasets`);
    return state;
  }

  /** Hand the live progress to the caller's status line. */
  status(): void {
    this.ctx.opts.onStatus?.(this.tracker.status());
  }

  /** Run every task with `jobs` workers, then record the dump runs whose verdict came last (and their explain children). Throws Interrupted, or a bug. */
  async run(): Promise<void> {
    let failure: unknown;
    try {
      await runWorkers(this.tasks(), this.ctx.jobs, this.ctx.opts.signal);
    } catch (err) {
      failure = err;
    }
    // every task ended: a verdict still open will not come (interrupted: those dump runs are not kept)
    for (const state of this.byDataset.values()) state.inputs.close(failure instanceof Interrupted || this.ctx.opts.signal?.aborted === true);
    const later = await Promise.allSettled(this.later);
    if (failure) throw failure;
    const rejected = later.find((x): x is PromiseRejectedResult => x.status === 'rejected');
    if (rejected) throw rejected.reason;
    for (const caseEnd of this.afterTasks) await caseEnd(); // interrupted meanwhile: the case is kept as measured, the caller stops
  }

  /** Every run of every case still missing, in report order, plus each codec's sizes (see the module comment). */
  tasks(): Task[] {
    const { opts, plan, report, codecs } = this.ctx;
    const tasks: Task[] = [];
    let firstClone = -1;
    for (const { name: dataset, n: ns } of opts.datasets) {
      const { inputs } = this.of(dataset);
      const caseOf = (codec: string, n: number, phase: 'dump' | 'load'): PlannedCase | undefined =>
        plan.find((p) => p.spec.n === n && p.spec.codec === codec && p.spec.phase === phase && datasetOf(p.spec) === dataset);
      for (const n of ns)
        this.tasksAt(dataset, n, inputs, caseOf, tasks, () => {
          if (firstClone < 0) firstClone = tasks.length;
        });
    }
    // What importing each codec costs a fresh process, once a run: beside a clone run if there is one (a
    // synchronous copy, whose figures no process beside it can move), else last. Its children start and
    // wait rather than compute, several at a time.
    // (a shard: the codecs of its cases; merge takes each codec's from its shard)
    const imports = codecs.filter(
      (c) => !report.codecs[c.name]?.importCost && (!opts.shard || plan.some((p) => p.spec.codec === c.name && p.result.state !== 'n/a')),
    );
    if (opts.memory !== false && imports.length > 0) {
      const at = firstClone >= 0 ? firstClone + 1 : tasks.length;
      tasks.splice(at, 0, () => this.importsTask(imports));
    }
    return tasks;
  }

  /** The tasks of one dataset at one N, appended to `tasks`: each codec's dumps, loads and sizes, then the clone variants. */
  private tasksAt(
    dataset: string,
    n: number,
    inputs: InputFiles,
    caseOf: (codec: string, n: number, phase: 'dump' | 'load') => PlannedCase | undefined,
    tasks: Task[],
    beforeClone: () => void,
  ): void {
    const { opts, plan, report, codecs } = this.ctx;
    // each codec's tasks in three stages (its first dumps; its loads and other dumps; its sizes), stage s of the i-th
    // codec placed at i + s: the next codec's first dumps come before this codec's loads, and its loads before this
    // codec's sizes, so a worker rarely waits for a file or a verdict (with one run a case, a load right after its
    // dump left the other worker waiting for the whole dump: about a third of `--datasets all` was idle). One worker
    // waits for nothing: codec by codec, so each dump run is recorded as soon as possible.
    const byCodec: Task[][][] = [];
    for (const codec of codecs) {
      if (this.fileCodec(codec) !== codec.name) continue; // its loads follow the tasks of the codec whose dump writes its files
      const dump = caseOf(codec.name, n, 'dump');
      const load = caseOf(codec.name, n, 'load');
      // codecs whose files this codec's dump writes (dumpBy): their loads read its input too, right after its own tasks
      const readers = codecs
        .filter((c) => c !== codec && this.fileCodec(c) === codec.name)
        .flatMap((c) => {
          const pc = caseOf(c.name, n, 'load');
          return pc ? [{ codec: c, load: pc }] : [];
        });
      // sizes of the file a verified dump wrote, this sitting or (--resume) an earlier one whose sizes were not measured
      const verifiedEarlier = dump?.result.runs.slice(0, dump.priorRuns).find((x) => x.verified && x.fileSha256)?.fileSha256;
      const wantSizes =
        opts.sizes !== false &&
        dump !== undefined &&
        (dump.missing > 0 || verifiedEarlier !== undefined) &&
        !(report.sizes ?? []).some((s) => s.dataset === dataset && s.codec === codec.name && s.n === n);
      const readerLoads = readers.reduce((k, x) => k + x.load.missing, 0);
      inputs.expect(codec.name, n, dump?.missing ?? 0, load?.missing ?? 0, (wantSizes ? 1 : 0) + readerLoads);
      const dumps: Task[] = Array.from({ length: dump?.missing ?? 0 }, (_, r) => () => this.dumpTask(dump!, r, codec));
      const loads: Task[] = Array.from({ length: load?.missing ?? 0 }, (_, r) => () => this.loadTask(load!, r, codec));
      // the first load run right after the first `jobs` dump runs: it judges the first dump file, and the dump runs
      // waiting for that verdict are recorded (saved) that much sooner; any earlier, a worker would wait for the file
      const head = Math.min(this.ctx.jobs, dumps.length);
      const readerTasks: Task[] = readers.flatMap((x) => Array.from({ length: x.load.missing }, (_, r) => () => this.loadTask(x.load, r, x.codec)));
      const sizes: Task[] = wantSizes ? [() => this.sizesTask(codec, dataset, n, dump, verifiedEarlier)] : [];
      byCodec.push([dumps.slice(0, head), [...loads.slice(0, 1), ...dumps.slice(head), ...loads.slice(1), ...readerTasks], sizes]);
    }
    tasks.push(...staggered(byCodec, this.ctx.jobs > 1 ? 1 : 0));
    for (const pc of plan.filter((p) => p.spec.n === n && p.spec.phase === 'clone' && datasetOf(p.spec) === dataset)) {
      for (let r = 0; r < pc.missing; r++) {
        beforeClone();
        tasks.push(() => this.cloneTask(pc, r));
      }
    }
  }

  /**
   * Dump run `r`: its own file, judged by the orchestrator (bench/run/inputs.ts): by identity, by
   * the load run that reads it (the first file of the codec becomes the load's input), or by a
   * verifier child right here. The run is recorded when its verdict is in.
   */
  private async dumpTask(dump: PlannedCase, r: number, codec: Codec): Promise<void> {
    const { state, stem } = this.running.get(dump)!;
    const files = state.inputs;
    const n = dump.spec.n;
    const runNumber = dump.priorRuns + r + 1;
    let judged: Promise<void> | undefined;
    let recorded = false;
    try {
      if (this.failures.has(dump)) return; // a failed run ends its case's remaining runs
      const path = join(this.ctx.workDir, `${stem}-run${runNumber}.${codec.extension}`);
      const file: DumpRun = {
        id: { codec: codec.name, n, run: runNumber },
        seed: dump.spec.seed,
        path,
        verify: () => this.verifyFile({ ...dump.spec, file: path }),
      };
      // the child's hash goes straight to the files (bound, as the report's save is)
      const got = await this.measureRun(dump, r, path, files.onHash.bind(files, file)).catch((err: unknown) => {
        files.abandon(file);
        throw err;
      });
      const run = got.run;
      const sha256 = run?.fileSha256;
      if (!run || !sha256 || !got.verdictFromParent) {
        await files.failed(file);
        const outcome = this.recordOutcome(dump, r, got);
        recorded = got.run !== undefined;
        if (outcome.kind !== 'result' || outcome.figures.unjudged) {
          this.failures.set(dump, outcome);
          files.noMoreDumps(codec.name, n); // the runs it skips may be after the first load run in the list: it must not wait for them
        }
        return;
      }
      const { judgement, verifierMs } = await files.measured(file, sha256);
      if (verifierMs !== undefined) addTime(run, verifierMs); // the verifier's time is this run's verification
      judged = judgement.then((j) => this.runEnded(dump, { recorded: this.recordJudged(dump, r, runNumber, run, j), inTask: false }));
      this.later.push(judged);
    } finally {
      files.dumpEnded(codec.name, n);
      if (!judged) await this.runEnded(dump, { recorded });
    }
  }

  /**
   * A dump run with its verdict: recorded (true), or the failure that ends its case: the file could not
   * be read back, or no verdict came (interrupted: the run is not kept, no failure).
   */
  private recordJudged(dump: PlannedCase, r: number, runNumber: number, run: RunResult, j: Judgement | undefined): boolean {
    if (!j) {
      // not interrupted, yet no verdict: the run that wrote these bytes first failed and its file changed after the hash
      if (!this.ctx.opts.signal?.aborted)
        this.failures.set(dump, failed(`run ${runNumber}: no verdict on its file: the run that wrote the same bytes first failed before they could be judged`));
      return false;
    }
    const { verified, error, uint64, unjudged, verification } = j;
    if (unjudged) {
      this.failures.set(dump, failed(`run ${runNumber}: ${error ?? 'verification failed'}`));
      return false;
    }
    run.verified = verified;
    if (uint64) run.uint64 = uint64;
    else delete run.uint64;
    run.verification = verification;
    this.record(dump, r, runNumber, run, error);
    return true;
  }

  /** A fresh verifier child's verdict on `spec.file`: a dump's file that no load run judged. */
  private async verifyFile(spec: ChildSpec): Promise<Judgement> {
    const { opts, flags, busy } = this.ctx;
    const t0 = monotonicMs();
    const v = await verifyInChild(spec, opts, flags, this.runner).finally(() => busy.add(t0, monotonicMs()));
    return { ...v, verification: { method: 'fresh-process' } };
  }

  /**
   * The codec whose dump writes `codec`'s input files: its `dumpBy` when that codec is in this run
   * (its loads then read that codec's dump file), else itself (a prepare child writes its input
   * with its own dump, which is that codec's).
   */
  private fileCodec(codec: Codec): string {
    return codec.dumpBy !== undefined && this.ctx.codecs.some((c) => c.name === codec.dumpBy) ? codec.dumpBy : codec.name;
  }

  /** Load run `r`: reads its codec's input file (waiting for it), released after the run; the first of its own codec to read a dump's file judges it. */
  private async loadTask(load: PlannedCase, r: number, codec: Codec): Promise<void> {
    const fileCodec = this.fileCodec(codec);
    let recorded = false;
    try {
      if (this.failures.has(load)) return;
      const input = await this.loadInput(load, codec);
      if (typeof input === 'string') {
        this.failures.set(load, failed(input));
        return;
      }
      try {
        const got = await this.measureRun(load, r, input.path);
        const outcome = this.recordOutcome(load, r, got);
        recorded = got.run !== undefined;
        if (outcome.kind !== 'result' || outcome.figures.unjudged) this.failures.set(load, outcome);
        // only a load of the codec that wrote the file judges it: a verdict is about the bytes and the decoder that read them
        const owed = fileCodec === codec.name ? InputFiles.takeOwed(input) : undefined;
        if (owed) {
          // this run read the dump's file in a fresh process and compared it with the generator's data: its verdict is the dump's.
          // A load that could not (failed, out of memory) leaves it to a verifier child, which has the helpers' heap limit.
          const runNumber = load.priorRuns + r + 1;
          if (got.run)
            owed({
              verified: got.run.verified,
              ...(got.verifyError ? { error: got.verifyError } : {}),
              ...(got.run.uint64 ? { uint64: got.run.uint64 } : {}),
              verification: { method: 'fresh-process', loadRun: runNumber },
            });
          else
            owed(
              await this.verifyFile({ ...load.spec, file: input.path }).catch((err: unknown) => {
                owed(undefined); // interrupted: the dump runs waiting for it are not kept, and the sizes stop waiting
                throw err;
              }),
            );
        }
      } finally {
        if (fileCodec === codec.name) InputFiles.takeOwed(input)?.(undefined); // still owed: this run threw (interrupted) before judging; the sizes waiting for it must not wait forever
        this.running.get(load)!.state.inputs.release(fileCodec, load.spec.n);
      }
    } finally {
      await this.runEnded(load, { recorded });
    }
  }

  /** Clone run `r`: no file. */
  private async cloneTask(pc: PlannedCase, r: number): Promise<void> {
    let recorded = false;
    try {
      if (this.failures.has(pc)) return;
      const got = await this.measureRun(pc, r, '/dev/null');
      const outcome = this.recordOutcome(pc, r, got);
      recorded = got.run !== undefined;
      if (outcome.kind !== 'result' || outcome.figures.unjudged) this.failures.set(pc, outcome);
    } finally {
      await this.runEnded(pc, { recorded });
    }
  }

  /**
   * Raw and compressed sizes of the codec's verified file, while it exists; a file byte-identical
   * to one already measured (another codec's, same n) reuses that row instead of compressing again.
   */
  private async sizesTask(codec: Codec, dataset: string, n: number, dump: PlannedCase | undefined, verifiedEarlier: string | undefined): Promise<void> {
    const { report, opts, progress, busy, totals } = this.ctx;
    const { inputs, sizesBySha } = this.of(dataset);
    const at = `${datasetPrefix(dataset)}${codec.name} n=${n.toLocaleString('en-US')}`;
    try {
      let input = await inputs.fromDump(codec.name, n);
      if (input) {
        // sizes of a file known to round-trip: wait for its verdict. A verdict owed with the file is the load runs' (they are
        // earlier in the list; the first to end judges it, or its verifier if it failed; interrupted, it is settled as none):
        // taking it here would start a verifier while the load run that reads the file anyway is still measured (--repeats 1)
        if (!(await input.judgement)?.verified) return;
      } else {
        // no dump file in this sitting: the dumps were measured before an interruption (--resume).
        // Write the file once more and measure it only if it is byte-identical to a file verified then.
        if (!verifiedEarlier || !dump) return;
        const prepared = await this.loadInput(dump, codec);
        if (typeof prepared === 'string') {
          progress(`      ${at}: compressed sizes failed: ${prepared}`);
          this.sideFailures++;
          return;
        }
        prepared.sha256 ??= await sha256File(prepared.path);
        if (prepared.sha256 !== verifiedEarlier) {
          progress(
            `      ${codec.name} n=${n.toLocaleString('en-US')}: compressed sizes not measured: the file written again differs from the verified dump file (SHA-256)`,
          );
          this.sideFailures++;
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
          addSizeRow(report, { ...row, dataset, codec: codec.name, n, sameFileAs: row.codec });
          totals.sizesReused++;
          progress(`      ${at}: byte-identical to ${row.codec}'s file (SHA-256): sizes reused, not compressed again`);
          this.readerSizes(codec, dataset, n, row);
          return;
        }
      }
      const label = `${codec.name} sizes`;
      this.tracker.sideStarted(label);
      const measured = addSizes(report, { dataset, codec: codec.name, n }, input.path, input.sha256, opts, progress).finally(() =>
        this.tracker.sideFinished(label),
      );
      if (key) sizesBySha.set(key, measured);
      const row = await measured;
      busy.add(t0, monotonicMs());
      totals.sizesMs += monotonicMs() - t0;
      if (!row) this.sideFailures++;
      else {
        totals.sizesMeasured++;
        this.readerSizes(codec, dataset, n, row);
      }
    } finally {
      inputs.release(codec.name, n);
      this.ctx.save();
    }
  }

  /**
   * What importing each of `codecs` costs a fresh process, into the report's codecs section (a side
   * measurement: a failure loses no case). IMPORT_CHILDREN children at a time: each spends most of its
   * half second waiting for its memory to stop moving, so one slot holds several.
   */
  private async importsTask(codecs: readonly Codec[]): Promise<void> {
    const { opts, flags, report, progress, busy, totals } = this.ctx;
    const label = 'import costs';
    const t0 = monotonicMs();
    this.tracker.sideStarted(label);
    try {
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < codecs.length) {
          const codec = codecs[next++]!;
          const cost = await measureImport(codec.name, await ownModuleOf(codec.name, opts.codecModules), flags, opts, progress);
          const info = report.codecs[codec.name];
          if (cost && info) info.importCost = cost;
          else this.sideFailures++;
        }
      };
      await Promise.all(Array.from({ length: Math.min(IMPORT_CHILDREN, codecs.length) }, worker));
    } finally {
      this.tracker.sideFinished(label);
      busy.add(t0, monotonicMs());
      totals.importsMs = (totals.importsMs ?? 0) + monotonicMs() - t0;
      this.ctx.save();
    }
  }

  /** The sizes rows of the codecs whose files `codec`'s dump writes (dumpBy): its file's sizes, said to be its file. */
  private readerSizes(codec: Codec, dataset: string, n: number, row: SizeRow): void {
    for (const reader of this.ctx.codecs.filter((c) => c !== codec && this.fileCodec(c) === codec.name)) {
      addSizeRow(this.ctx.report, { ...row, dataset, codec: reader.name, n, sameFileAs: codec.name });
      this.ctx.totals.sizesReused++;
    }
  }

  /** The input file of (codec, n): the claimed (or first) dump file of this sitting, else written once by a prepare child. */
  private loadInput(pc: PlannedCase, codec: Codec): Promise<InputFile | string> {
    const { opts, flags, busy, totals } = this.ctx;
    const fileCodec = this.fileCodec(codec);
    const dataset = datasetOf(pc.spec);
    const path = join(this.ctx.workDir, `${dataFileStem(dataset, fileCodec, pc.spec.n)}.${codec.extension}`);
    return this.of(dataset).inputs.get(fileCodec, pc.spec.n, path, async () => {
      // a load's input is written by a separate, unmeasured process
      const t0 = monotonicMs();
      const failure = await prepareInput({ ...pc.spec, file: path }, opts, flags, this.runner).finally(() => {
        busy.add(t0, monotonicMs());
        totals.prepareInputsMs += monotonicMs() - t0;
        this.prepareMs.set(pc, (this.prepareMs.get(pc) ?? 0) + (monotonicMs() - t0));
      });
      if (!failure) return undefined;
      return failure.kind === 'result' || failure.kind === 'verify' || failure.kind === 'prepared' ? 'could not write the input file' : failure.error;
    });
  }

  /** Measure run `r` (0-based, this sitting) of a case; throws Interrupted. A dump's `onFileHash` says whether this orchestrator judges its file. */
  private async measureRun(pc: PlannedCase, r: number, file: string, onFileHash?: (sha256: string) => boolean): Promise<RepeatOutcome> {
    const { opts, flags, busy } = this.ctx;
    const runNumber = pc.priorRuns + r + 1;
    const label = `${this.running.get(pc)!.label} run ${runNumber}/${opts.repeats}`;
    opts.onStatus?.(this.tracker.runStarted(label, pc));
    let got: RepeatOutcome | undefined;
    try {
      got = await runRepeat({ ...pc.spec, file }, opts, flags, runNumber, onFileHash ? { onFileHash } : {}, this.runner);
    } finally {
      // its measured wall time (spawn to exit) is the basis of the estimate
      this.tracker.runFinished(label, pc, got?.run?.timing?.totalMs);
    }
    const outcome = got.outcome;
    if (outcome.spawnedMs !== undefined && outcome.closedMs !== undefined) busy.add(outcome.spawnedMs, outcome.closedMs);
    if (outcome.kind === 'interrupted') throw new Interrupted();
    return got;
  }

  /** Record a measured run (or return the failure that ends its case); the outcome to judge the case by. */
  private recordOutcome(pc: PlannedCase, r: number, got: RepeatOutcome): ChildOutcome {
    if (got.failure) return got.failure;
    if (got.run) this.record(pc, r, pc.priorRuns + r + 1, got.run, got.verifyError);
    return got.outcome;
  }

  /** Record a measured run in its case (in run order), marked incomplete; runEnded, which follows, sets its state and saves. */
  private record(pc: PlannedCase, r: number, runNumber: number, run: RunResult, verifyError: string | undefined): void {
    const { report, totals } = this.ctx;
    const n = pc.spec.n;
    const { dataset, state } = this.running.get(pc)!;
    if (run.verification?.method === 'fresh-process') totals.verifiedFresh++;
    if (run.verification?.method === 'fresh-process' && run.verification.loadRun !== undefined) totals.verifiedByLoadRun = (totals.verifiedByLoadRun ?? 0) + 1;
    if (run.verification?.method === 'identity') totals.verifiedByIdentity++;
    const slots = this.slots.get(pc) ?? [];
    this.slots.set(pc, slots);
    slots[r] = run;
    pc.result.runs = [...pc.result.runs.slice(0, pc.priorRuns), ...slots.filter((x): x is RunResult => x !== undefined)];
    if (verifyError && !pc.result.error) pc.result.error = `run ${runNumber}: ${verifyError}`;
    pc.result.incomplete = true;
    pc.recorded = true;
    state.dataHeap.add(pc.result.phase, n, run);
    state.dataHeap.apply(report, dataset, n);
    const size = report.data.find((d) => d.dataset === dataset && d.n === n);
    const external = size && pc.spec.phase === 'dump' ? dataExternalBytes(report, dataset, n) : null;
    if (size && external !== null) size.externalBytes = external;
  }

  /**
   * A run of the case ended (measured, failed or skipped). One it `recorded`: the case's state so
   * far, saved, so that an interrupted case keeps what it measured. After its last run: the case
   * finished. `inTask`: false for a dump run whose verdict came outside any task.
   */
  private async runEnded(pc: PlannedCase, { recorded = false, inTask = true }: { recorded?: boolean; inTask?: boolean } = {}): Promise<void> {
    const { opts, flags, outDir, plan } = this.ctx;
    if (recorded) {
      pc.result.state = caseState(pc.result.runs, undefined);
      pc.result.summary = summarize(pc.result.runs);
      this.ctx.save();
    }
    if (opts.signal?.aborted) return; // interrupted: the case stays as its measured runs left it (incomplete)
    const k = (this.finishedRuns.get(pc) ?? 0) + 1;
    this.finishedRuns.set(pc, k);
    if (k < pc.missing) return;
    // a dump case whose last verdict came outside any task: its explain children wait for the tasks' end, so that no more than `jobs` children run
    if (!inTask && opts.explain) {
      this.afterTasks.push(() => this.runEnded(pc));
      this.finishedRuns.set(pc, k - 1);
      return;
    }
    const result = finishCase(pc.result, this.failures.get(pc));
    delete result.incomplete;
    if (opts.explain && result.state === 'ok') {
      // extra, unmeasured children with the sampling heap profiler (bench/run/explain.ts); interrupted, the measured case is still kept.
      // A load's input left with its last measured run: the explain children read one written again, then removed.
      const { samplingIntervalBytes } = opts.explain;
      const inputFailure = pc.spec.phase === 'load' ? await prepareInput(pc.spec, opts, flags, this.runner) : undefined;
      const explain = inputFailure
        ? { samplingIntervalBytes, errors: [`no input file for the explain children: ${describeFailure(inputFailure)}`] }
        : await explainCase(pc.spec, result, { ...childOpts(opts, flags), outDir: opts.explain.outDir, resultsDir: outDir, samplingIntervalBytes });
      if (pc.spec.phase === 'load') rmSync(pc.spec.file, { force: true });
      if (!opts.signal?.aborted) result.explain = explain;
    }
    result.timing = sumTimings(result.runs, (pc.result.timing?.prepareInputMs ?? 0) + (this.prepareMs.get(pc) ?? 0));
    pc.recorded = true;
    this.ctx.save();
    this.casesDone++;
    this.tracker.caseDone();
    opts.onCaseDone?.(this.casesDone, plan.length, result);
    this.status();
  }
}

/** What the scheduler keeps per dataset. */
interface DatasetState {
  /** Its dump files from hash to verdict, and the loads' input files. */
  inputs: InputFiles;
  /** The data's heap per n from the dump runs (and, when resuming, from the earlier sitting's). */
  dataHeap: DataHeaps;
  /** `${n}:${sha256}` -> the sizes of that file (measured or being measured): byte-identical files are compressed once. */
  sizesBySha: Map<string, Promise<SizeRow | undefined>>;
}

/** A case to run, with what every one of its runs needs, found once. */
interface RunningCase {
  dataset: string;
  state: DatasetState;
  /** `logs-json dump`: its runs' label, less the run number. */
  label: string;
  /** The stem of its data files (`json-1000`, `logs-json-1000`). */
  stem: string;
}

/** A failure the scheduler found (no child's exit to report). */
function failed(error: string): ChildOutcome {
  return { kind: 'failed', error, exitCode: null, exitSignal: null, stderrTail: '' };
}

/** Add a verifier child's time to the run's verification time (and its total). */
function addTime(run: RunResult, ms: number): void {
  if (!run.timing) return;
  run.timing.verificationMs = Math.round((run.timing.verificationMs + ms) * 10) / 10;
  run.timing.totalMs = Math.round((run.timing.totalMs + ms) * 10) / 10;
}
