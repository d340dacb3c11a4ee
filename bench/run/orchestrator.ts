/**
 * Which cases to run, in what order, and where results go. Measurement
 * itself happens in the child (bench/measure/child.ts); presentation in
 * bench/report/. The results file is rewritten atomically after every case,
 * so a crash or Ctrl-C keeps everything measured so far.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { mkdirp } from '../results/mkdirp.js';
import { basename, dirname, join } from 'node:path';
import { checksumTuples } from '../checksum.js';
import { CODECS } from '../codecs/index.js';
import { resolveCodec } from '../codecs/resolve.js';
import { SERIES_MAX_POINTS } from '../constants.js';
import { childFlags } from './flags.js';
import { caseUint64 } from '../verify-diff.js';
import { startSampler, toMemorySeries, type SamplerResult } from '../measure/sampler.js';
import { INTRINSIC_BYTES_PER_TUPLE, iterateTuples } from '../../fixtures/generate.js';
import type { ChildSpec } from '../measure/protocol.js';
import { specToArgs } from '../measure/protocol.js';
import { renderMarkdown } from '../report/markdown.js';
import { formatMiB, formatMs } from '../report/units.js';
import { median, summarize } from '../results/summary.js';
import { writeFileAtomic, writeJsonAtomic } from '../results/io.js';
import type { CaseResult, CaseState, Codec, Phase, Report, RunResult, SuiteOptions } from '../types.js';
import { PHASES } from '../types.js';
import { CLONE_VARIANTS, SCHEMA_VERSION } from '../types.js';
import { collectEnvironment } from './environment.js';
import { canMeasureSizeof } from '../runtimes/capabilities.js';
import type { CompressedSizes } from '../types.js';
import { childScriptForDisplay, SIZES_CHILD_SCRIPT } from './paths.js';
import { helperFlags } from '../measure/heap-limit.js';
import { continueReport, isCompleted, priorDataHeap, type ResumeOptions } from './resume.js';
import { runChild, type ChildOutcome } from './spawn.js';
import { errorMessage } from '../errors.js';
import { explainCase } from '../explain/run.js';

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
  if (failure && failure.kind !== 'result' && failure.kind !== 'verify' && failure.kind !== 'interrupted') return failure.kind;
  if (runs.some((r) => !r.verified)) return 'lossy';
  return 'ok';
}

function describeFailure(o: ChildOutcome): string {
  if (o.kind === 'result' || o.kind === 'verify') return '';
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
    },
    codecs: Object.fromEntries(codecs.map((c) => [c.name, { kind: c.kind, description: c.description }])),
    data: opts.n.map((n) => ({ n, intrinsicBytes: n * INTRINSIC_BYTES_PER_TUPLE, heapBytes: null })),
    cases: [],
  };
}

/** What one measured child gave: a run (with the verifier's complaint, if any), or the failure that ends its case. */
export type RepeatOutcome = { run: RunResult; verifyError?: string } | { failure: ChildOutcome };

/**
 * One measured child of `spec` on `nodeBinary`, with the parent's RSS sampler when sampling is on
 * (the memory-over-time picture; the headline peak stays the child's own VmHWM). Throws
 * Interrupted when the run was stopped.
 */
export async function runRepeat(spec: ChildSpec, opts: SuiteOptions, flags: string[], repeat: number): Promise<RepeatOutcome> {
  let sampled: SamplerResult | undefined;
  const onSpawn =
    opts.sampleMs > 0
      ? (pid: number, spawnedAt: number) => {
          const s = startSampler(pid, opts.sampleMs, spawnedAt);
          return () => {
            sampled = s.stop();
          };
        }
      : undefined;
  const outcome = await runChild(spec, { ...childOpts(opts, flags), ...(onSpawn ? { onSpawn } : {}) });
  if (outcome.kind === 'interrupted') throw new Interrupted();
  if (outcome.kind !== 'result') return { failure: outcome };
  const { verifyError, verifyFailed, ...figures } = outcome.figures;
  if (verifyFailed) {
    return { failure: { kind: 'failed', error: `run ${repeat + 1}: ${verifyError ?? 'verification failed'}`, exitCode: null, exitSignal: null, stderrTail: '' } };
  }
  const run: RunResult = figures;
  if (sampled) run.series = toMemorySeries(sampled, opts.sampleMs, outcome.markers, SERIES_MAX_POINTS);
  return verifyError ? { run, verifyError } : { run };
}

/** A case's state, error and summary from its runs and the failure that ended it (if any). */
export function finishCase(result: CaseResult, failure: ChildOutcome | undefined): CaseResult {
  result.state = caseState(result.runs, failure);
  // a child that failed, ran out of memory or timed out: its exit code and signal, besides the prose in `error`
  if (failure && failure.kind !== 'result' && failure.kind !== 'verify') Object.assign(result, { error: describeFailure(failure), exitCode: failure.exitCode, exitSignal: failure.exitSignal });
  const uint64 = caseUint64(result.runs, result.error);
  if (uint64 && result.phase !== 'clone') result.uint64 = uint64;
  result.summary = summarize(result.runs);
  return result;
}

/** Write a load's input file in a separate, unmeasured process; the failure that ends the case, if it cannot. */
export async function prepareInput(spec: ChildSpec, opts: SuiteOptions, flags: string[]): Promise<ChildOutcome | undefined> {
  const prep = await runChild({ ...spec, phase: 'prepare' }, childOpts(opts, helperFlags(flags)));
  if (prep.kind === 'interrupted') throw new Interrupted();
  if (prep.kind !== 'verify') return { ...prep, error: `could not write the input file: ${prep.kind === 'result' ? '' : prep.error}` } as ChildOutcome;
  return undefined;
}

export interface SuiteResult {
  report: Report;
  /** True if every case is 'ok' and the run was not interrupted. */
  allOk: boolean;
}

export async function runSuite(opts: SuiteOptions & ResumeOptions): Promise<SuiteResult> {
  const progress = opts.onProgress ?? (() => {});
  const codecs: Codec[] = [];
  for (const name of opts.codecs) codecs.push(await resolveCodec(name, opts.codecModules));
  const outDir = dirname(opts.outFile);
  mkdirp(outDir);
  const flags = childFlags(opts);
  const report = newReport(opts, codecs, flags);
  continueReport(report, opts.resumeFrom); // refuses another provenance before anything is written
  // data files live inside the output folder, in a folder unique to this run, removed at the end
  const workDir = join(outDir, `.work-${basename(opts.outFile).replace(/\.json$/i, '')}-${process.pid}`);
  mkdirSync(workDir);
  const save = (): void => {
    writeJsonAtomic(opts.outFile, report);
    writeFileAtomic(markdownPathFor(opts.outFile), renderMarkdown(report));
  };
  save();

  const memory = opts.memory !== false;
  let sideFailures = 0; // parts of the run other than cases that failed (throughput)
  const codecPhases = memory ? orderPhases(opts.phases).filter((p) => p !== 'clone') : [];
  const cloneVariants = memory && opts.phases.includes('clone') ? [...CLONE_VARIANTS] : [];
  const total = opts.n.length * (codecs.length * codecPhases.length + cloneVariants.length);
  let done = 0;
  // data heap per n from the dump runs (and, when resuming, from the earlier run's)
  const dataHeap = new Map<number, number[]>(opts.n.map((n) => [n, priorDataHeap(opts.resumeFrom, n)]));
  /** Run the repeats of one case, record it, save, report progress. */
  const runCase = async (spec: ChildSpec, prepare: boolean): Promise<CaseResult> => {
    const result: CaseResult = { codec: spec.codec, phase: spec.phase as Phase, n: spec.n, state: 'ok', runs: [], summary: {}, reproduce: reproduceLine(spec, opts) };
    let failure: ChildOutcome | undefined;
    if (prepare) failure = await prepareInput(spec, opts, flags);
    for (let r = 0; r < opts.repeats && !failure; r++) {
      const got = await runRepeat(spec, opts, flags, r);
      if ('failure' in got) {
        failure = got.failure;
        break;
      }
      result.runs.push(got.run);
      if (got.verifyError && !result.error) result.error = `run ${r + 1}: ${got.verifyError}`;
      if (spec.phase === 'dump' && got.run.dataHeapBytes !== undefined) dataHeap.set(spec.n, [...(dataHeap.get(spec.n) ?? []), got.run.dataHeapBytes]);
    }
    finishCase(result, failure);
    if (opts.explain && result.state === 'ok') {
      // extra, unmeasured children with the sampling heap profiler (bench/explain/run.ts); interrupted, the measured case is still kept
      const explain = await explainCase(spec, result, { ...childOpts(opts, flags), outDir: opts.explain.outDir, resultsDir: outDir, samplingIntervalBytes: opts.explain.samplingIntervalBytes });
      if (!opts.signal?.aborted) result.explain = explain;
    }
    report.cases.push(result);
    const size = report.data.find((d) => d.n === spec.n);
    const heaps = dataHeap.get(spec.n);
    if (size && heaps && heaps.length > 0) size.heapBytes = median(heaps);
    save();
    done++;
    progress(progressLine(done, total, result));
    return result;
  };

  try {
    for (const n of opts.n) {
      const expect = checksumTuples(iterateTuples(n, opts.seed));
      for (const codec of codecs) {
        const file = join(workDir, `${codec.name}-${n}.${codec.extension}`);
        let fileReady = false;
        for (const phase of codecPhases) {
          if (opts.signal?.aborted) throw new Interrupted();
          if (isCompleted(opts.resumeFrom, codec.name, phase, n)) {
            done++; // kept from the interrupted run (--resume)
            continue;
          }
          const spec: ChildSpec = { codec: codec.name, phase, n, seed: opts.seed, file, expect, codecModules: opts.codecModules };
          const result = await runCase(spec, phase === 'load' && !fileReady);
          if (phase === 'dump' && result.runs.length > 0 && result.runs.every((x) => x.verified)) fileReady = true;
        }
        if (opts.sizes !== false && fileReady && !(await addSizes(report, codec.name, n, file, opts, progress))) sideFailures++;
        save();
        rmSync(file, { force: true });
      }
      for (const variant of cloneVariants) {
        if (opts.signal?.aborted) throw new Interrupted();
        if (isCompleted(opts.resumeFrom, variant, 'clone', n)) {
          done++; // kept from the interrupted run (--resume)
          continue;
        }
        await runCase({ codec: variant, phase: 'clone', n, seed: opts.seed, file: '/dev/null', expect, codecModules: [] }, false);
      }
    }
    if (!(await addThroughput(report, opts, progress))) sideFailures++;
    if (opts.signal?.aborted) throw new Interrupted();
    save();
    if (opts.sizeof !== false && !(await addSizeof(report, opts, workDir))) sideFailures++;
    if (opts.signal?.aborted) throw new Interrupted();
    report.finishedAt = new Date().toISOString();
  } catch (err) {
    if (!(err instanceof Interrupted)) throw err;
    report.interrupted = true;
  } finally {
    save();
    rmSync(workDir, { recursive: true, force: true });
  }
  // the HTML report (charts) once at the end: vega takes a second to load, too slow to redo after every case
  const { renderHtml } = await import('../report/html.js');
  writeFileAtomic(htmlPathFor(opts.outFile), await renderHtml(report));
  const throughputOk = (report.throughput?.rows ?? []).every((r) => r.state === 'ok');
  return { report, allOk: !report.interrupted && sideFailures === 0 && throughputOk && report.cases.every((c) => c.state === 'ok') };
}

/** Thrown when the run's signal aborted: the case in progress is not recorded, the run ends as interrupted. */
export class Interrupted extends Error {}

/** Raw and compressed sizes of a codec's (verified) file, measured while it still exists. */
export async function addSizes(report: Report, codec: string, n: number, file: string, opts: SuiteOptions, progress: (l: string) => void): Promise<boolean> {
  let sizes: CompressedSizes;
  try {
    // on the Node under test (--node, matrix): its zlib, and zstd where that version has it
    const { stdout } = await promisify(execFile)(opts.nodeBinary, [SIZES_CHILD_SCRIPT, file], {
      timeout: opts.timeoutMs,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    sizes = JSON.parse(stdout.trim().split('\n').pop() ?? '') as CompressedSizes;
  } catch (err) {
    if (opts.signal?.aborted) throw new Interrupted();
    const e = err as { stderr?: string; message?: string };
    progress(`      ${codec} n=${n}: compressed sizes failed: ${(e.stderr?.trim() || e.message || String(err)).split('\n').pop()}`);
    return false;
  }
  (report.sizes ??= []).push({ codec, n, ...sizes });
  progress(`      ${codec} n=${n.toLocaleString('en-US')}: file ${sizes.rawBytes} B, gzip ${sizes.gzip.bytes} B, brotli ${sizes.brotli.bytes} B, zstd ${sizes.zstd === 'n/a' ? 'n/a' : `${sizes.zstd.bytes} B`}`);
  return true;
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
export async function addSizeof(report: Report, opts: SuiteOptions, snapshotDir: string): Promise<boolean> {
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
    process.stderr.write(`footprint: sizeof table failed: ${errorMessage(err)}\n`);
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

export function progressLine(done: number, total: number, c: CaseResult): string {
  const head = `[${done}/${total}] ${c.codec} ${c.phase} n=${c.n.toLocaleString('en-US')}`;
  const s = c.summary.peakRssIncrementBytes;
  const t = c.summary.wallMs;
  const figures = s && t ? `: peak RSS ${formatMiB(s.median, { signed: true })}, ${formatMs(t.median)} (median of ${c.runs.length})` : '';
  return `${head}${figures} ${c.state}${c.state !== 'ok' && c.error ? ` (${c.error.split('\n')[0]})` : ''}`;
}
