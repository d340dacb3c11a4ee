/**
 * Which cases to run, in what order, and where results go. Measurement
 * itself happens in the child (bench/measure/child.ts); presentation in
 * bench/report/. The results file is rewritten atomically after every run,
 * so a crash or Ctrl-C keeps everything measured so far (an interrupted case
 * keeps its measured runs, marked incomplete).
 *
 * `jobs` measured children run at once: peak RSS is per process, and the
 * children run --single-threaded-gc --no-concurrent-recompilation (GC and
 * optimizing compiles on their one thread; bench/run/flags.ts), so their memory figures do not depend on
 * what else runs (docs/speed.md shows the comparison); their wall times do,
 * and the report records `jobs`. A codec's compressed sizes take a job slot
 * like a measured child. Throughput runs alone at the end.
 */
import { hostname, loadavg } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { bindCodec, isUnsupported, unsupportedText } from '../codecs/bind.js';
import { declaredReturns } from '../codecs/returns.js';
import { resolveCodec } from '../codecs/resolve.js';
import { helperFlags } from '../measure/heap-limit.js';
import type { ChildSpec } from '../measure/protocol.js';
import { monotonicMs, readerSpec, specToArgs } from '../measure/protocol.js';
import type { DatasetDefinition } from '../data/dataset.js';
import { INTRINSIC_BYTES_PER_TUPLE } from '../data/datasets/tuples.js';
import { DEFAULT_DATASET, datasetRef, getDataset, getDefinition, readerDatasetOf } from '../data/registry.js';
import { datasetInfo } from '../results/datasets.js';
import type { CaseResult, Codec, DatasetInfo, Phase, Report, SuiteOptions, Unsupported } from '../types.js';
import { CLONE_VARIANTS, PHASES, SCHEMA_VERSION } from '../types.js';
import { Interrupted } from './case.js';
import { ReportOutput, runSitting, suiteOk } from './core.js';
import { collectEnvironment } from './environment.js';
import { childFlags } from './flags.js';
import { childScriptForDisplay } from './paths.js';
import { continueReport, priorCase, type ResumeOptions } from './resume.js';
import { MIN_RUNS_PER_MODE, maxRunsFor, needsMoreRuns } from './mode-repeats.js';
import { type CaseId, dataFileStem, datasetPrefix, type PlannedCase } from './planned-case.js';
import { Scheduler } from './scheduler.js';
import { inShard, ownsSingletons, throughputOptions } from './shard.js';
import { addSizeof, addThroughput } from './side-measurements.js';
import { BusyIntervals, breakdown, newTotals } from './timing.js';

// test/speed.test.ts and older callers import runTiming from here
export { runTiming } from './timing.js';

/** The markdown report's path for a results JSON path. */
export function markdownPathFor(outFile: string): string {
  return `${outFile.replace(/\.json$/i, '')}.md`;
}

/** The HTML report's path for a results JSON path. */
export function htmlPathFor(outFile: string): string {
  return `${outFile.replace(/\.json$/i, '')}.html`;
}

/** One shell line that re-runs a measurement from the project root and prints its figures. */
export function reproduceLine(spec: ChildSpec, opts: Pick<SuiteOptions, 'nodeBinary' | 'maxOldSpaceSizeMb' | 'concurrentGc' | 'concurrentJit'>): string {
  const node = opts.nodeBinary === process.execPath ? 'node' : opts.nodeBinary;
  const q = (a: string): string => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  const file = `/tmp/footprint-${dataFileStem(spec.dataset ?? DEFAULT_DATASET, spec.codec, spec.n)}.data`;
  const measured = { ...spec, file, expect: undefined } as ChildSpec;
  delete measured.expect;
  const run = (s: ChildSpec, flags: string[]): string => [node, ...flags, childScriptForDisplay(), ...specToArgs(s)].map(q).join(' ');
  const flags = childFlags(opts);
  if (spec.phase === 'clone') return run({ ...measured, file: '/dev/null' }, flags);
  if (spec.phase === 'load') return `${run({ ...measured, phase: 'prepare' }, helperFlags(flags))} && ${run(measured, flags)}`;
  return run(measured, flags);
}

/**
 * A report with no cases yet: environment (probed on `opts.nodeBinary`), configuration, codecs, the
 * datasets (`infos`, by name) and their data sizes (`intrinsicBytes` of each (dataset, n), from the
 * parent's expect pass; without one, N × the dataset's bytes per record).
 */
export function newReport(
  opts: SuiteOptions,
  codecs: readonly Codec[],
  flags: string[],
  infos: Record<string, DatasetInfo>,
  intrinsicBytes?: (dataset: string, n: number) => number | undefined,
): Report {
  return {
    schemaVersion: SCHEMA_VERSION,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    interrupted: false,
    environment: collectEnvironment({ nodeBinary: opts.nodeBinary, nodeFlags: flags, codecs, command: process.argv.slice(1).join(' ') }),
    config: {
      n: opts.n,
      datasets: opts.datasets.map((d) => ({ name: d.name, n: [...d.n] })),
      seed: opts.seed,
      repeats: opts.repeats,
      codecs: opts.codecs,
      phases: opts.phases,
      maxOldSpaceSizeMb: opts.maxOldSpaceSizeMb,
      timeoutMs: opts.timeoutMs,
      sampleMs: opts.sampleMs,
      jobs: Math.max(1, opts.jobs ?? 1),
      modeRepeats: { minPerMode: MIN_RUNS_PER_MODE, maxRuns: maxRunsFor(opts.repeats) },
      sides: { sizes: opts.memory !== false && opts.sizes !== false, throughput: opts.throughput !== undefined, memory: opts.memory !== false },
    },
    codecs: Object.fromEntries(
      codecs.map((c) => [c.name, { kind: c.kind, description: c.description, returns: declaredReturns(c), ...(c.dumpBy ? { dumpBy: c.dumpBy } : {}) }]),
    ),
    datasets: infos,
    data: opts.datasets.flatMap((d) =>
      d.n.map((n) => ({
        dataset: d.name,
        n,
        intrinsicBytes: intrinsicBytes?.(d.name, n) ?? Math.round(n * (infos[d.name]?.intrinsicBytesPerRecord ?? 0)),
        heapBytes: null,
      })),
    ),
    cases: [],
  };
}

export interface SuiteResult {
  report: Report;
  /** True if every case is 'ok' or 'lossy' (a finding, not a failure of the run), nothing else failed and the run was not interrupted. */
  allOk: boolean;
}

/** What the plan knows of one dataset: whether each codec carries it (`Unsupported`: why not). */
export interface DatasetBinding {
  name: string;
  /** Codec name -> why it cannot carry the dataset; absent: it can. */
  unsupported: ReadonlyMap<string, Unsupported>;
}

/**
 * Bind every codec to every dataset of the run, in the parent (`forDataset` is pure and cheap): a
 * codec that cannot carry a dataset gets `n/a` cases for it, with no child spawned.
 */
export function bindDatasets(definitions: readonly DatasetDefinition[], codecs: readonly Codec[]): DatasetBinding[] {
  return definitions.map((def) => {
    const ref = datasetRef(def);
    const unsupported = new Map<string, Unsupported>();
    for (const codec of codecs) {
      const bound = bindCodec(codec, ref);
      if (isUnsupported(bound)) unsupported.set(codec.name, bound);
    }
    return { name: def.name, unsupported };
  });
}

/**
 * The cases of a run, in report order: per dataset, per N, each codec's dump then
 * load, then the clone variants. A case an earlier sitting completed is planned with
 * nothing missing; an incomplete one (interrupted between runs) with only its
 * missing runs; a codec that cannot carry the dataset (`bindings`) with none, as
 * an `n/a` case with the reason. `expectFor` gives the expected checksum of (dataset, n).
 */
export function planCases(
  opts: SuiteOptions & ResumeOptions,
  codecs: readonly Codec[],
  expectFor: (dataset: string, n: number) => string,
  workDir: string,
  bindings: readonly DatasetBinding[] = opts.datasets.map((d) => ({ name: d.name, unsupported: new Map() })),
): PlannedCase[] {
  const memory = opts.memory !== false;
  const codecPhases = memory ? orderPhases(opts.phases).filter((p) => p !== 'clone') : [];
  const cloneVariants = memory && opts.phases.includes('clone') ? [...CLONE_VARIANTS] : [];
  const plan: PlannedCase[] = [];
  const add = (spec: ChildSpec & { dataset: string }, na?: Unsupported): void => {
    const id: CaseId = { dataset: spec.dataset, codec: spec.codec, phase: spec.phase as Phase, n: spec.n };
    if (!inShard(opts.shard, id)) return; // another shard's case (--shard)
    if (na) {
      // no child: the format cannot carry the dataset (fine for the exit code, never ranked)
      const result: CaseResult = { ...id, state: 'n/a', error: unsupportedText(na), runs: [], summary: {}, reproduce: '' };
      plan.push({ spec, result, priorRuns: 0, missing: 0, recorded: true });
      return;
    }
    const prior = priorCase(opts.resumeFrom, id);
    const missing = prior ? (prior.incomplete ? Math.max(0, opts.repeats - prior.runs.length) : 0) : opts.repeats;
    if (prior?.incomplete && missing === 0) delete prior.incomplete; // it has all its runs after all
    const result: CaseResult = prior ?? { ...id, state: 'ok', runs: [], summary: {}, reproduce: reproduceLine(spec, opts) };
    plan.push({ spec, result, priorRuns: prior?.runs.length ?? 0, missing, recorded: prior !== undefined });
  };
  for (const { name: dataset, n: ns } of opts.datasets) {
    const unsupported = bindings.find((b) => b.name === dataset)?.unsupported;
    for (const n of ns) {
      for (const codec of codecs) {
        for (const phase of casePhases(codec, codecPhases)) {
          add(
            {
              codec: codec.name,
              phase,
              n,
              seed: opts.seed,
              file: join(workDir, `${dataFileStem(dataset, codec.name, n)}.${codec.extension}`),
              expect: expectFor(dataset, n),
              codecModules: opts.codecModules,
              dataset,
              ...readerSpec(readerDatasetOf(dataset)?.source),
            },
            unsupported?.get(codec.name),
          );
        }
      }
      for (const variant of cloneVariants)
        add({
          codec: variant,
          phase: 'clone',
          n,
          seed: opts.seed,
          file: '/dev/null',
          expect: expectFor(dataset, n),
          codecModules: [],
          dataset,
          ...readerSpec(readerDatasetOf(dataset)?.source),
        });
    }
  }
  return plan;
}

/**
 * The run's datasets: each one's definition (the registry's), its description for the report, and
 * the expected checksum and intrinsic bytes of each of its N (one streaming pass in the parent, handed to every child that verifies).
 */
async function prepareDatasets(
  opts: SuiteOptions,
  timed: (f: () => void) => void,
): Promise<{ definitions: DatasetDefinition[]; infos: Record<string, DatasetInfo>; expects: Map<string, { checksum: string; intrinsicBytes: number }> }> {
  const definitions: DatasetDefinition[] = [];
  const infos: Record<string, DatasetInfo> = {};
  const expects = new Map<string, { checksum: string; intrinsicBytes: number }>();
  for (const { name, n: ns } of opts.datasets) {
    const def = await getDefinition(name);
    definitions.push(def);
    const reader = readerDatasetOf(name); // a reader's dataset: the report records its file and notes
    infos[name] = {
      ...datasetInfo(def, Math.min(...ns), opts.seed),
      ...(reader ? { source: reader.source, ...(reader.notes.length > 0 ? { notes: [...reader.notes] } : {}) } : {}),
    };
    if (opts.memory === false) continue;
    const ds = await getDataset(name);
    for (const n of ns) {
      timed(() => {
        // the tuples' records are all INTRINSIC_BYTES_PER_TUPLE bytes (the generator's strings are 20 one-byte
        // letters): their checksum pass alone, as before datasets (summing each record's size costs 1.1 s at 1e6 here)
        if (name === DEFAULT_DATASET) {
          expects.set(expectKey(name, n), { checksum: ds.expectedChecksum(n, opts.seed), intrinsicBytes: n * INTRINSIC_BYTES_PER_TUPLE });
          return;
        }
        const e = ds.expect(n, opts.seed);
        expects.set(expectKey(name, n), { checksum: e.checksum, intrinsicBytes: e.intrinsicBytes });
      });
    }
  }
  return { definitions, infos, expects };
}

const expectKey = (dataset: string, n: number): string => `${dataset} ${n}`;

/**
 * The suite: plan the cases, run their tasks (`jobs` at once, bench/run/scheduler.ts), then the
 * side measurements that must run alone (throughput, sizeof), then the sinks. The report is saved
 * after every run; interrupted (the signal), it is saved as far as it got and marked so.
 */
export async function runSuite(opts: SuiteOptions & ResumeOptions): Promise<SuiteResult> {
  const wallStart = monotonicMs();
  const loadAverageStart = loadavg().map((x) => Math.round(x * 100) / 100);
  const progress = opts.onProgress ?? (() => {});
  const jobs = Math.max(1, opts.jobs ?? 1);
  const codecs: Codec[] = [];
  for (const name of opts.codecs) codecs.push(await resolveCodec(name, opts.codecModules));
  const outDir = dirname(opts.outFile);
  const flags = childFlags(opts);

  const busy = new BusyIntervals();
  const totals = newTotals();
  const { definitions, infos, expects } = await prepareDatasets(opts, (f) => {
    const t0 = monotonicMs();
    f();
    busy.add(t0, monotonicMs());
    totals.expectedChecksumMs += monotonicMs() - t0;
  });
  const report = newReport({ ...opts, jobs }, codecs, flags, infos, (d, n) => expects.get(expectKey(d, n))?.intrinsicBytes);
  continueReport(report, opts.resumeFrom);
  report.config.jobs = jobs;
  if (opts.shard) report.shard = { ...opts.shard, host: hostname() };
  // data files live inside the output folder, in a folder unique to this run, removed at the end
  const workDir = join(outDir, `.work-${basename(opts.outFile).replace(/\.json$/i, '')}-${process.pid}`);

  const bindings = bindDatasets(definitions, codecs);
  const plan = planCases(opts, codecs, (d, n) => expects.get(expectKey(d, n))?.checksum ?? '', workDir, bindings);
  for (const b of bindings) {
    if (b.unsupported.size > 0) progress(`${b.name}: n/a for ${[...b.unsupported.keys()].join(', ')} (the format cannot carry it; no child runs)`);
  }
  const priorCases = (opts.resumeFrom?.cases ?? []).filter((c) => !plan.some((p) => p.result === c));
  const output = new ReportOutput(report, opts.outFile, opts.sinks, (r) => {
    r.cases = [...priorCases, ...plan.filter((p) => p.recorded).map((p) => p.result)];
  });
  const save = output.save.bind(output); // the scheduler saves straight through the output (its beforeSave assembles the cases)

  const scheduler = new Scheduler({ opts, flags, report, plan, codecs, workDir, outDir, jobs, wallStart, busy, totals, save, progress });
  await runSitting(
    [output],
    workDir,
    async () => {
      scheduler.status();
      const ticker = opts.onStatus ? setInterval(() => scheduler.status(), 1000) : undefined;
      ticker?.unref();
      try {
        await scheduler.run();
      } finally {
        if (ticker) clearInterval(ticker);
      }
      if (opts.signal?.aborted) throw new Interrupted();
      await addModeRepeats(plan, { opts, flags, report, codecs, workDir, outDir, jobs, wallStart, busy, totals, save, progress });
      // throughput after every memory case, alone: its timings must not compete with other children
      let t0 = monotonicMs();
      if (!(await addThroughput(report, throughputOptions(opts), progress))) scheduler.sideFailures++; // a shard: its share of the codecs
      busy.add(t0, monotonicMs());
      totals.throughputMs += monotonicMs() - t0;
      if (opts.signal?.aborted) throw new Interrupted();
      save();
      t0 = monotonicMs();
      if (opts.sizeof !== false && ownsSingletons(opts.shard) && !(await addSizeof(report, opts, workDir, progress))) scheduler.sideFailures++;
      busy.add(t0, monotonicMs());
      totals.sizeofMs += monotonicMs() - t0;
      if (opts.signal?.aborted) throw new Interrupted();
    },
    () => {
      report.timing = breakdown(plan, jobs, monotonicMs() - wallStart, busy.total(), totals, loadAverageStart);
    },
  );
  return { report, allOk: suiteOk(report, scheduler.sideFailures) };
}

/**
 * A case whose memory figure fell in modes with too few runs in one gets more (bench/run/mode-repeats.ts): a plan of just
 * those runs, run like a --resume's (a load's input written again by a prepare child, a dump's file judged by a verifier).
 */
async function addModeRepeats(plan: readonly PlannedCase[], ctx: Omit<ConstructorParameters<typeof Scheduler>[0], 'plan'>): Promise<void> {
  const { opts, report, jobs, save, progress } = ctx;
  const maxRuns = report.config.modeRepeats!.maxRuns;
  for (;;) {
    const more = plan.filter((p) => (p.result.state === 'ok' || p.result.state === 'lossy') && needsMoreRuns(p.result.runs, maxRuns));
    if (more.length === 0) break;
    progress(
      `modes: ${more.map((p) => `${datasetPrefix(p.spec.dataset ?? DEFAULT_DATASET)}${p.spec.codec} ${p.spec.phase}`).join(', ')}: a memory figure fell in modes with fewer than ${MIN_RUNS_PER_MODE} runs in one; adding runs (at most ${maxRuns} in all)`,
    );
    const before = more.map((p) => p.result.runs.length);
    const extension = more.map((p) => ({ ...p, priorRuns: p.result.runs.length, missing: Math.min(jobs, maxRuns - p.result.runs.length) }));
    const { explain: _explain, ...noExplain } = opts; // a case's explain children ran with its first runs
    await new Scheduler({ ...ctx, opts: noExplain, plan: extension }).run();
    if (opts.signal?.aborted) throw new Interrupted();
    const added = more.map((p, i) => p.result.runs.length - before[i]!);
    more.forEach((p, i) => {
      if (added[i]! > 0) p.result.addedRuns = (p.result.addedRuns ?? 0) + added[i]!;
    });
    save();
    if (added.every((k) => k === 0)) break; // nothing measured (every run failed): no point asking again
  }
}

/** The phases a codec has a case in: all of `phases`, but no dump for a codec whose files another codec's dump writes (`dumpBy`). */
export function casePhases(codec: Pick<Codec, 'dumpBy'>, phases: readonly Phase[]): Phase[] {
  return codec.dumpBy ? phases.filter((p) => p !== 'dump') : [...phases];
}

/** Dumps run before loads, so a load can read the file its codec's dump wrote. */
export function orderPhases(phases: readonly Phase[]): Phase[] {
  return PHASES.filter((p) => phases.includes(p)); // PHASES is in that order
}
