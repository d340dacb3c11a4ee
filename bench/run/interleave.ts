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
import type { ChildSpec } from '../measure/protocol.js';
import { median } from '../results/summary.js';
import type { CaseResult, Codec, Phase, Report, SuiteOptions, ThroughputSection } from '../types.js';
import { CLONE_VARIANTS } from '../types.js';
import { finishCase, Interrupted, prepareInput, runRepeat } from './case.js';
import { DEFAULT_DATASET, getDefinition } from '../data/registry.js';
import { InputError } from '../errors.js';
import { datasetInfo } from '../results/datasets.js';
import { expectedChecksum, ReportOutput, runSitting, suiteOk } from './core.js';
import { casePhases, newReport, orderPhases, reproduceLine, type SuiteResult } from './orchestrator.js';
import { addSizeof, addSizes, batchText, setThroughput, throughputProcess } from './side-measurements.js';
import type { ChildOutcome } from './spawn.js';
import { childFlags } from './flags.js';
import { errorMessage } from '../errors.js';
import { maxRunsFor, needsMoreRuns } from './mode-repeats.js';
import { shuffled } from '../shuffle.js';
import { inShard, ownsSingletons, throughputOptions } from './shard.js';

/** One side of the schedule: a label (e.g. `node v22.23.3`), the binary that runs its children, its results file. */
export interface Variant {
  label: string;
  nodeBinary: string;
  outFile: string;
}

interface Side {
  variant: Variant;
  opts: SuiteOptions;
  report: Report;
  output: ReportOutput;
  dataHeap: Map<number, number[]>;
  sideFailures: number;
}

function save(side: Side): void {
  side.output.save();
}

/**
 * Run the suite for every variant, interleaved run by run. `opts.nodeBinary` and `opts.outFile`
 * are taken from each variant. Returns one result per variant, in the variants' order.
 */
export async function runInterleaved(variants: readonly Variant[], opts: SuiteOptions): Promise<SuiteResult[]> {
  if (variants.length === 0) return [];
  const progress = opts.onProgress ?? (() => {});
  const codecs: Codec[] = [];
  for (const name of opts.codecs) codecs.push(await resolveCodec(name, opts.codecModules));
  const flags = childFlags(opts);
  const id = randomUUID();
  const order = variants.map((v) => v.label);
  const seed = randomInt(2 ** 31);
  // the matrix measures the tuples (the interleaved schedule knows one dataset)
  const dataset = DEFAULT_DATASET;
  const others = (opts.datasets ?? []).filter((d) => d.name !== dataset);
  if (others.length > 0) throw new InputError(`--datasets: the matrix measures the tuples only, not ${others.map((d) => d.name).join(', ')}`);
  const definition = await getDefinition(dataset);
  const infos = { [dataset]: datasetInfo(definition, Math.min(...opts.n), opts.seed) };
  const sides: Side[] = variants.map((variant) => {
    const vopts: SuiteOptions = { ...opts, datasets: [{ name: dataset, n: [...opts.n] }], nodeBinary: variant.nodeBinary, outFile: variant.outFile };
    const report = newReport(vopts, codecs, flags, infos);
    report.interleaving = { id, order, label: variant.label, seed };
    if (opts.shard) report.shard = { ...opts.shard, host: hostname() };
    return { variant, opts: vopts, report, output: new ReportOutput(report, variant.outFile, opts.sinks), dataHeap: new Map(), sideFailures: 0 };
  });
  const first = variants[0]!;
  const workDir = join(dirname(first.outFile), `.work-interleaved-${basename(first.outFile).replace(/\.json$/i, '')}-${process.pid}`);

  const memory = opts.memory !== false;
  const codecPhases = memory ? orderPhases(opts.phases).filter((p) => p !== 'clone') : [];
  const cloneVariants = memory && opts.phases.includes('clone') ? [...CLONE_VARIANTS] : [];
  // --shard: every variant of a case stays in one shard (bench/run/shard.ts), so a whole codec at one N is in or out
  const mine = (codec: string, n: number, phase: Phase): boolean => inShard(opts.shard, { dataset, codec, phase, n });
  const total = opts.n.reduce(
    (sum, n) =>
      sum +
      codecs.reduce((k, c) => k + casePhases(c, codecPhases).filter((p) => mine(c.name, n, p)).length, 0) +
      cloneVariants.filter((v) => mine(v, n, 'clone')).length,
    0,
  );
  let done = 0;
  let sequence = 0;
  let cases = 0;

  /** One case on every side, the repeats interleaved; returns each side's result. */
  const runCase = async (specs: ChildSpec[], prepare: boolean[]): Promise<CaseResult[]> => {
    const results = sides.map((side, i): CaseResult => {
      const spec = specs[i]!;
      return {
        dataset,
        codec: spec.codec,
        phase: spec.phase as Phase,
        n: spec.n,
        state: 'ok',
        runs: [],
        summary: {},
        reproduce: reproduceLine(spec, side.opts),
      };
    });
    const failures: (ChildOutcome | undefined)[] = sides.map(() => undefined);
    for (let i = 0; i < sides.length; i++) if (prepare[i]) failures[i] = await prepareInput(specs[i]!, sides[i]!.opts, flags);
    const caseIndex = cases++;
    /** Round r: one run on every side, in an order drawn from (seed, case, round), so nothing periodic lines up with one variant. */
    const round = async (r: number): Promise<void> => {
      for (const i of shuffled(
        sides.map((_, k) => k),
        seed,
        caseIndex * 1_000_003 + r,
      )) {
        if (failures[i]) continue;
        const side = sides[i]!;
        const spec = specs[i]!;
        const got = await runRepeat(spec, side.opts, flags, r + 1);
        if (got.outcome.kind === 'interrupted') throw new Interrupted();
        if (got.failure || !got.run) {
          failures[i] = got.failure ?? got.outcome;
          continue;
        }
        const run = got.run;
        run.sequence = sequence++;
        run.round = r;
        results[i]!.runs.push(run);
        if (got.verifyError && !results[i]!.error) results[i]!.error = `run ${r + 1}: ${got.verifyError}`;
        if (spec.phase === 'dump' && run.dataHeapBytes !== undefined) side.dataHeap.set(spec.n, [...(side.dataHeap.get(spec.n) ?? []), run.dataHeapBytes]);
      }
    };
    for (let r = 0; r < opts.repeats; r++) await round(r);
    // a side whose memory figure fell in modes with too few runs in one: more rounds, on every side so the rounds stay pairs
    const maxRuns = maxRunsFor(opts.repeats);
    for (let r = opts.repeats; r < maxRuns && sides.some((_, i) => !failures[i] && needsMoreRuns(results[i]!.runs, maxRuns)); r++) {
      await round(r);
      for (const [i, res] of results.entries()) if (!failures[i]) res.addedRuns = (res.addedRuns ?? 0) + 1;
    }
    done++;
    sides.forEach((side, i) => {
      const result = finishCase(results[i]!, failures[i]);
      side.report.cases.push(result);
      const size = side.report.data.find((d) => d.dataset === dataset && d.n === result.n);
      const heaps = side.dataHeap.get(result.n);
      if (size && heaps && heaps.length > 0) size.heapBytes = median(heaps);
      save(side);
      opts.onCaseDone?.(done, total, result, side.variant.label);
    });
    return results;
  };

  await runSitting(
    sides.map((side) => side.output),
    workDir,
    async () => {
      for (const n of opts.n) {
        const expect = expectedChecksum(n, opts.seed);
        for (const codec of codecs) {
          if (!casePhases(codec, codecPhases).some((p) => mine(codec.name, n, p))) continue;
          // one input file per variant: a V8 file is only ever read back by the Node that wrote it
          const files = sides.map((_, i) => join(workDir, `${codec.name}-${n}-v${i}.${codec.extension}`));
          const ready = sides.map(() => false);
          for (const phase of casePhases(codec, codecPhases)) {
            if (opts.signal?.aborted) throw new Interrupted();
            const specs = files.map((file): ChildSpec => ({ codec: codec.name, phase, n, seed: opts.seed, file, expect, codecModules: opts.codecModules }));
            const results = await runCase(
              specs,
              ready.map((r) => phase === 'load' && !r),
            );
            if (phase === 'dump') for (const [i, res] of results.entries()) ready[i] = res.runs.length > 0 && res.runs.every((x) => x.verified);
          }
          for (let i = 0; i < sides.length; i++) {
            const side = sides[i]!;
            if (
              opts.sizes !== false &&
              ready[i] &&
              !(await addSizes(side.report, { dataset, codec: codec.name, n }, files[i]!, undefined, side.opts, progress))
            )
              side.sideFailures++;
            save(side);
            rmSync(files[i]!, { force: true });
          }
        }
        for (const variant of cloneVariants) {
          if (!mine(variant, n, 'clone')) continue;
          if (opts.signal?.aborted) throw new Interrupted();
          await runCase(
            sides.map(() => ({ codec: variant, phase: 'clone', n, seed: opts.seed, file: '/dev/null', expect, codecModules: [] })),
            sides.map(() => false),
          );
        }
      }
      await interleavedThroughput(sides, opts, seed, progress);
      for (const side of sides) {
        if (ownsSingletons(opts.shard) && !(await addSizeof(side.report, side.opts, workDir, (l) => progress(`[${side.variant.label}] ${l}`))))
          side.sideFailures++;
        if (opts.signal?.aborted) throw new Interrupted();
        save(side);
      }
    },
  );
  return sides.map((side) => ({ report: side.report, allOk: suiteOk(side.report, side.sideFailures) }));
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
  for (const [i, side] of sides.entries()) if (!failed[i]) await setThroughput(side.report, throughputOptions(side.opts), sections[i]!, orderSeed);
}
