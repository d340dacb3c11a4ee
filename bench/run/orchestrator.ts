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
import { INTRINSIC_BYTES_PER_TUPLE } from '../data/datasets/tuples.js';
import { declaredReturns } from '../codecs/returns.js';
import { resolveCodec } from '../codecs/resolve.js';
import { helperFlags } from '../measure/heap-limit.js';
import type { ChildSpec } from '../measure/protocol.js';
import { monotonicMs, specToArgs } from '../measure/protocol.js';
import type { CaseResult, Codec, Phase, Report, SuiteOptions } from '../types.js';
import { CLONE_VARIANTS, PHASES, SCHEMA_VERSION } from '../types.js';
import { Interrupted } from './case.js';
import { expectedChecksum, ReportOutput, runSitting, suiteOk } from './core.js';
import { collectEnvironment } from './environment.js';
import { childFlags } from './flags.js';
import { childScriptForDisplay } from './paths.js';
import { continueReport, priorCase, type ResumeOptions } from './resume.js';
import { MIN_RUNS_PER_MODE, maxRunsFor, needsMoreRuns } from './mode-repeats.js';
import type { PlannedCase } from './planned-case.js';
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
  const file = `/tmp/footprint-${spec.codec}-${spec.n}.data`;
  const measured = { ...spec, file, expect: undefined } as ChildSpec;
  delete measured.expect;
  const run = (s: ChildSpec, flags: string[]): string => [node, ...flags, childScriptForDisplay(), ...specToArgs(s)].map(q).join(' ');
  const flags = childFlags(opts);
  if (spec.phase === 'clone') return run({ ...measured, file: '/dev/null' }, flags);
  if (spec.phase === 'load') return `${run({ ...measured, phase: 'prepare' }, helperFlags(flags))} && ${run(measured, flags)}`;
  return run(measured, flags);
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
      modeRepeats: { minPerMode: MIN_RUNS_PER_MODE, maxRuns: maxRunsFor(opts.repeats) },
      sides: { sizes: opts.memory !== false && opts.sizes !== false, throughput: opts.throughput !== undefined, memory: opts.memory !== false },
    },
    codecs: Object.fromEntries(
      codecs.map((c) => [c.name, { kind: c.kind, description: c.description, returns: declaredReturns(c), ...(c.dumpBy ? { dumpBy: c.dumpBy } : {}) }]),
    ),
    data: opts.n.map((n) => ({ n, intrinsicBytes: n * INTRINSIC_BYTES_PER_TUPLE, heapBytes: null })),
    cases: [],
  };
}

export interface SuiteResult {
  report: Report;
  /** True if every case is 'ok' or 'lossy' (a finding, not a failure of the run), nothing else failed and the run was not interrupted. */
  allOk: boolean;
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
    if (!inShard(opts.shard, { codec: spec.codec, phase: spec.phase as Phase, n: spec.n })) return; // another shard's case (--shard)
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
      for (const phase of casePhases(codec, codecPhases)) {
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

  const report = newReport({ ...opts, jobs }, codecs, flags);
  continueReport(report, opts.resumeFrom);
  report.config.jobs = jobs;
  if (opts.shard) report.shard = { ...opts.shard, host: hostname() };
  // data files live inside the output folder, in a folder unique to this run, removed at the end
  const workDir = join(outDir, `.work-${basename(opts.outFile).replace(/\.json$/i, '')}-${process.pid}`);

  const busy = new BusyIntervals();
  const totals = newTotals();
  // the expected checksum per n: the generator streamed once in the parent, handed to every child
  const expects = new Map<number, string>();
  const memory = opts.memory !== false;
  if (memory) {
    for (const n of opts.n) {
      const t0 = monotonicMs();
      expects.set(n, expectedChecksum(n, opts.seed));
      busy.add(t0, monotonicMs());
      totals.expectedChecksumMs += monotonicMs() - t0;
    }
  }
  const plan = planCases(opts, codecs, (n) => expects.get(n) ?? '', workDir);
  const priorCases = (opts.resumeFrom?.cases ?? []).filter((c) => !plan.some((p) => p.result === c));
  const output = new ReportOutput(report, opts.outFile, opts.sinks, (r) => {
    r.cases = [...priorCases, ...plan.filter((p) => p.recorded).map((p) => p.result)];
  });
  const save = (): void => output.save();

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
      `modes: ${more.map((p) => `${p.spec.codec} ${p.spec.phase}`).join(', ')}: a memory figure fell in modes with fewer than ${MIN_RUNS_PER_MODE} runs in one; adding runs (at most ${maxRuns} in all)`,
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
