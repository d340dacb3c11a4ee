/**
 * Several variants of the suite (Node binaries, for `footprint matrix`) measured in interleaved
 * rounds: for each case, one run on each variant in turn, in an order shuffled per case and round
 * (seeded, the seed recorded in `Report.interleaving`; a fixed A B A B ... lets anything periodic
 * line up with one variant), so that drift of the machine between sittings (the same build's phase times moved -14% to +30% from one hour to the
 * next here) lands on every variant instead of becoming a "version effect". Each variant gets its
 * own report, as `runSuite` would write it, marked with the shared schedule (`Report.interleaving`)
 * and each run with its position in it (`RunResult.sequence`) and its round (`RunResult.round`):
 * compare pairs the runs of one round. A case whose memory figure fell in modes gets more rounds
 * (bench/run/mode-repeats.ts).
 *
 * The side measurements that are not fresh-process memory runs (compressed sizes, throughput,
 * sizeof) run per variant, as in `runSuite`: they are in-process or deterministic and compared
 * within one report.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { resolveCodec } from '../codecs/resolve.js';
import { DEFAULT_DATASET, getDefinition } from '../data/registry.js';
import { errorMessage, InputError } from '../errors.js';
import type { ChildSpec } from '../measure/protocol.js';
import { datasetInfo } from '../results/datasets.js';
import { shuffled } from '../shuffle.js';
import type { CaseResult, Codec, Phase, SuiteOptions, ThroughputSection } from '../types.js';
import { CLONE_VARIANTS } from '../types.js';
import { Interrupted, prepareInput, runRepeat } from './case.js';
import { expectedChecksum, ReportOutput, runSitting, suiteOk } from './core.js';
import { childFlags } from './flags.js';
import { maxRunsFor, needsMoreRuns } from './mode-repeats.js';
import { casePhases, newReport, orderPhases, reproduceLine, type SuiteResult } from './orchestrator.js';
import { CaseRecorder, DataHeaps, dumpFileReady } from './recorder.js';
import { inShard, ownsSingletons, throughputOptions } from './shard.js';
import { addSizeof, addSizes, batchText, setThroughput, throughputProcess } from './side-measurements.js';

/** One side of the schedule: a label (e.g. `node v22.23.3`), the binary that runs its children, its results file. */
export interface Variant {
  label: string;
  nodeBinary: string;
  outFile: string;
}

/** One variant's part of the sitting: its options (its binary, its file), its report being written, its data heaps. */
interface Side {
  variant: Variant;
  opts: SuiteOptions;
  output: ReportOutput;
  heaps: DataHeaps;
  sideFailures: number;
}

/** What the sitting measures: the codecs and their phases, the clone variants; the tuples only (the interleaved schedule knows one dataset). */
interface InterleavedPlan {
  dataset: string;
  codecs: Codec[];
  codecPhases: Phase[];
  cloneVariants: string[];
  flags: string[];
  seed: number;
  workDir: string;
}

/**
 * Run the suite for every variant, interleaved run by run. `opts.nodeBinary` and `opts.outFile`
 * are taken from each variant. Returns one result per variant, in the variants' order.
 */
export async function runInterleaved(variants: readonly Variant[], opts: SuiteOptions): Promise<SuiteResult[]> {
  if (variants.length === 0) return [];
  const plan = await interleavedPlan(variants, opts);
  const sides = await newSides(variants, opts, plan);
  const run = new InterleavedRun(sides, opts, plan);
  await runSitting(
    sides.map((side) => side.output),
    plan.workDir,
    () => run.measure(),
  );
  return sides.map((side) => ({ report: side.output.report, allOk: suiteOk(side.output.report, side.sideFailures) }));
}

/** The codecs (resolved), phases, child flags, schedule seed and work folder; refuses a dataset other than the tuples. */
async function interleavedPlan(variants: readonly Variant[], opts: SuiteOptions): Promise<InterleavedPlan> {
  const codecs: Codec[] = [];
  for (const name of opts.codecs) codecs.push(await resolveCodec(name, opts.codecModules));
  // the matrix measures the tuples (the interleaved schedule knows one dataset)
  const dataset = DEFAULT_DATASET;
  const others = (opts.datasets ?? []).filter((d) => d.name !== dataset);
  if (others.length > 0) throw new InputError(`--datasets: the matrix measures the tuples only, not ${others.map((d) => d.name).join(', ')}`);
  const memory = opts.memory !== false;
  const first = variants[0]!;
  return {
    dataset,
    codecs,
    codecPhases: memory ? orderPhases(opts.phases).filter((p) => p !== 'clone') : [],
    cloneVariants: memory && opts.phases.includes('clone') ? [...CLONE_VARIANTS] : [],
    flags: childFlags(opts),
    seed: randomInt(2 ** 31),
    workDir: join(dirname(first.outFile), `.work-interleaved-${basename(first.outFile).replace(/\.json$/i, '')}-${process.pid}`),
  };
}

/** Each variant's report, as `runSuite` would start it, marked with the shared schedule (`Report.interleaving`). */
async function newSides(variants: readonly Variant[], opts: SuiteOptions, plan: InterleavedPlan): Promise<Side[]> {
  const { dataset, codecs, flags, seed } = plan;
  const id = randomUUID();
  const order = variants.map((v) => v.label);
  const infos = { [dataset]: datasetInfo(await getDefinition(dataset), Math.min(...opts.n), opts.seed) };
  return variants.map((variant) => {
    const vopts: SuiteOptions = { ...opts, datasets: [{ name: dataset, n: [...opts.n] }], nodeBinary: variant.nodeBinary, outFile: variant.outFile };
    const report = newReport(vopts, codecs, flags, infos);
    report.interleaving = { id, order, label: variant.label, seed };
    if (opts.shard) report.shard = { ...opts.shard, host: hostname() };
    return { variant, opts: vopts, output: new ReportOutput(report, variant.outFile, opts.sinks), heaps: new DataHeaps(), sideFailures: 0 };
  });
}

/** The interleaved sitting: its cases one after another, each run on every side in turn, then the side measurements per variant. */
class InterleavedRun {
  /** Each run's position in the shared schedule (`RunResult.sequence`). */
  private sequence = 0;
  private cases = 0;
  private done = 0;
  private readonly total: number;
  private readonly progress: (line: string) => void;

  constructor(
    private readonly sides: readonly Side[],
    private readonly opts: SuiteOptions,
    private readonly plan: InterleavedPlan,
  ) {
    this.progress = opts.onProgress ?? (() => {});
    const { codecs, codecPhases, cloneVariants } = plan;
    this.total = opts.n.reduce(
      (sum, n) =>
        sum +
        codecs.reduce((k, c) => k + casePhases(c, codecPhases).filter((p) => this.mine(c.name, n, p)).length, 0) +
        cloneVariants.filter((v) => this.mine(v, n, 'clone')).length,
      0,
    );
  }

  /** --shard: every variant of a case stays in one shard (bench/run/shard.ts), so a whole codec at one N is in or out. */
  private mine(codec: string, n: number, phase: Phase): boolean {
    return inShard(this.opts.shard, { dataset: this.plan.dataset, codec, phase, n });
  }

  /** The body of the sitting: every N's codecs and clone variants, then throughput and sizeof. */
  async measure(): Promise<void> {
    const { opts, plan, sides } = this;
    for (const n of opts.n) {
      const expect = expectedChecksum(n, opts.seed);
      for (const codec of plan.codecs)
        if (casePhases(codec, plan.codecPhases).some((p) => this.mine(codec.name, n, p))) await this.codecCases(codec, n, expect);
      for (const variant of plan.cloneVariants) {
        if (!this.mine(variant, n, 'clone')) continue;
        if (opts.signal?.aborted) throw new Interrupted();
        await this.runCase(
          sides.map(() => ({ codec: variant, phase: 'clone', n, seed: opts.seed, file: '/dev/null', expect, codecModules: [] })),
          sides.map(() => false),
        );
      }
    }
    await interleavedThroughput(sides, opts, plan.seed, this.progress);
    for (const side of sides) {
      const log = (l: string): void => this.progress(`[${side.variant.label}] ${l}`);
      if (ownsSingletons(opts.shard) && !(await addSizeof(side.output.report, side.opts, plan.workDir, log))) side.sideFailures++;
      if (opts.signal?.aborted) throw new Interrupted();
      side.output.save();
    }
  }

  /** A codec's cases at one N: its dump, then its load (reading the dump's file where every dump run verified it), then its sizes. */
  private async codecCases(codec: Codec, n: number, expect: string): Promise<void> {
    const { opts, plan, sides } = this;
    // one input file per variant: a V8 file is only ever read back by the Node that wrote it
    const files = sides.map((_, i) => join(plan.workDir, `${codec.name}-${n}-v${i}.${codec.extension}`));
    const ready = sides.map(() => false);
    for (const phase of casePhases(codec, plan.codecPhases)) {
      if (opts.signal?.aborted) throw new Interrupted();
      const specs = files.map((file): ChildSpec => ({ codec: codec.name, phase, n, seed: opts.seed, file, expect, codecModules: opts.codecModules }));
      const results = await this.runCase(
        specs,
        ready.map((r) => phase === 'load' && !r),
      );
      if (phase === 'dump') for (const [i, res] of results.entries()) ready[i] = dumpFileReady(res);
    }
    for (const [i, side] of sides.entries()) {
      const at = { dataset: plan.dataset, codec: codec.name, n };
      if (opts.sizes !== false && ready[i] && !(await addSizes(side.output.report, at, files[i]!, undefined, side.opts, this.progress))) side.sideFailures++;
      side.output.save();
      rmSync(files[i]!, { force: true });
    }
  }

  /** One case on every side, the repeats interleaved (more rounds for a memory figure in modes); returns each side's result. */
  private async runCase(specs: ChildSpec[], prepare: boolean[]): Promise<CaseResult[]> {
    const { opts, plan, sides } = this;
    const recorders = sides.map((side, i) => {
      const spec = specs[i]!;
      const start = { dataset: plan.dataset, codec: spec.codec, phase: spec.phase as Phase, n: spec.n, reproduce: reproduceLine(spec, side.opts) };
      return new CaseRecorder(start, side.output, side.heaps);
    });
    for (const [i, recorder] of recorders.entries()) if (prepare[i]) recorder.failBefore(await prepareInput(specs[i]!, sides[i]!.opts, plan.flags));
    const caseIndex = this.cases++;
    for (let r = 0; r < opts.repeats; r++) await this.round(recorders, specs, caseIndex, r);
    // a side whose memory figure fell in modes with too few runs in one: more rounds, on every side so the rounds stay pairs
    const maxRuns = maxRunsFor(opts.repeats);
    const more = (): boolean => recorders.some((c) => !c.ended && needsMoreRuns(c.result.runs, maxRuns));
    for (let r = opts.repeats; r < maxRuns && more(); r++) {
      await this.round(recorders, specs, caseIndex, r);
      for (const c of recorders) if (!c.ended) c.result.addedRuns = (c.result.addedRuns ?? 0) + 1;
    }
    this.done++;
    return recorders.map((recorder, i) => {
      const result = recorder.finish();
      opts.onCaseDone?.(this.done, this.total, result, sides[i]!.variant.label);
      return result;
    });
  }

  /** Round r: one run on every side, in an order drawn from (seed, case, round), so nothing periodic lines up with one variant. */
  private async round(recorders: readonly CaseRecorder[], specs: readonly ChildSpec[], caseIndex: number, r: number): Promise<void> {
    const order = shuffled(
      this.sides.map((_, k) => k),
      this.plan.seed,
      caseIndex * 1_000_003 + r,
    );
    for (const i of order) {
      const recorder = recorders[i]!;
      if (recorder.ended) continue;
      const run = recorder.record(await runRepeat(specs[i]!, this.sides[i]!.opts, this.plan.flags, r + 1), r + 1);
      if (!run) continue;
      run.sequence = this.sequence++;
      run.round = r;
    }
  }
}

/**
 * The throughput processes of every variant, interleaved like the memory runs: process k of each
 * variant in an order drawn from (seed, k), so that compare can judge throughput between them. A
 * variant whose process fails keeps no throughput section (its run is not ok); the others go on.
 */
async function interleavedThroughput(sides: readonly Side[], allOpts: SuiteOptions, seed: number, progress: (l: string) => void): Promise<void> {
  const opts = throughputOptions(allOpts); // a shard times its share of the codecs
  if (!opts.throughput) return;
  const orderSeed = randomInt(2 ** 31);
  const sections: ThroughputSection[][] = sides.map(() => []);
  const failed = sides.map(() => false);
  progress(
    `throughput (in-process, warmed JIT, tinybench): ${await batchText(opts)} per operation, ${opts.throughput.processes} fresh processes per variant, interleaved`,
  );
  for (let k = 0; k < opts.throughput.processes; k++) {
    for (const i of shuffled(
      sides.map((_, j) => j),
      seed,
      2_000_000_000 + k,
    )) {
      if (failed[i]) continue;
      const side = sides[i]!;
      try {
        sections[i]!.push(await throughputProcess(throughputOptions(side.opts), k, orderSeed, (l) => progress(`[${side.variant.label}] ${l}`)));
      } catch (err) {
        if (err instanceof Interrupted) throw err;
        progress(`[${side.variant.label}] throughput failed: ${errorMessage(err)}`);
        failed[i] = true;
        side.sideFailures++;
      }
    }
  }
  for (const [i, side] of sides.entries()) if (!failed[i]) await setThroughput(side.output.report, throughputOptions(side.opts), sections[i]!, orderSeed);
}
