/**
 * `footprint run --resume <results.json>`: continue an interrupted run. The
 * configuration comes from the file; a flag given again must agree with it
 * (a case measured under other settings would not be comparable). Completed
 * cases are kept as they are and skipped; an incomplete case (interrupted
 * between its runs) keeps its runs and gets only the missing ones; the rest
 * are measured and appended.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { measuresAsToday } from '../results/migrate.js';
import { loadReport } from '../results/validate.js';
import type { CaseResult, Report, RunConfig, SuiteOptions } from '../types.js';
import { SCHEMA_VERSION } from '../types.js';
import { childFlags } from './flags.js';
import { type CaseId, isCase } from './planned-case.js';
import { gitCommit, packageVersion } from './environment.js';
import { InputError } from '../errors.js';

/** A `--resume` file that cannot be continued here (other configuration, code, Node or schema). */
export class ResumeError extends InputError {
  override name = 'ResumeError';
}

/** What runSuite needs, besides SuiteOptions, to continue a run. */
export interface ResumeOptions {
  /** The interrupted report: its cases are kept and not run again. */
  resumeFrom?: Report;
}

/** Config fields that must match, with the flag that sets each. */
const CHECKED: ReadonlyArray<[keyof RunConfig, string]> = [
  ['datasets', 'datasets'],
  ['n', 'n'],
  ['seed', 'seed'],
  ['repeats', 'repeats'],
  ['codecs', 'codecs'],
  ['phases', 'phases'],
  ['maxOldSpaceSizeMb', 'max-old-space-size'],
  ['timeoutMs', 'timeout'],
];

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const show = (v: unknown): string => (Array.isArray(v) ? v.join(',') : String(v));

/** Read and check a results file to resume; every problem is a ResumeError naming the file. */
export function readResumable(path: string): Report {
  const where = `--resume ${path}`;
  if (!existsSync(path)) throw new ResumeError(`${where}: no such file`);
  let report: Report;
  try {
    report = loadReport(path); // the same schema-checked reader as compare and report
  } catch (err) {
    throw new ResumeError(`${where}: ${err instanceof Error ? err.message.replace(`${path}: `, '') : String(err)}`);
  }
  // a schema-1 report's runs lack figures this version measures: the two halves would not compare
  // (a schema-2 report measured the tuples as this version does: it continues)
  if (!measuresAsToday(report)) {
    throw new ResumeError(`${where}: written with results schema ${report.migratedFrom}, this footprint writes ${SCHEMA_VERSION}; start a new run`);
  }
  if (report.finishedAt && !report.interrupted) throw new ResumeError(`${where}: that run finished at ${report.finishedAt}; nothing to resume`);
  return report;
}

/**
 * Suite options for continuing `path`: its configuration, each flag in `given`
 * (flag names without dashes) checked against it. `nodeVersion` is the version
 * of the binary that will run the children; it must be the one the file was measured with.
 */
export function resumeOptions<T extends SuiteOptions>(
  path: string,
  parsed: T,
  given: ReadonlySet<string>,
  nodeVersion: string,
  validCodecs: readonly string[],
): T & { resumeFrom: Report; outFile: string } {
  const from = readResumable(path);
  const where = `--resume ${path}`;
  const config: Partial<RunConfig> = {};
  for (const [key, flag] of CHECKED) {
    const theirs = from.config[key];
    if (theirs === undefined) throw new ResumeError(`${where}: the file has no config.${key}`);
    // --datasets names the datasets (their N is --n's): the names must agree
    const view = (v: unknown): unknown => (key === 'datasets' ? (v as RunConfig['datasets']).map((d) => d.name) : v);
    if (given.has(flag) && !same(view(parsed[key]), view(theirs))) {
      throw new ResumeError(
        `${where}: --${flag} ${show(view(parsed[key]))} differs from the interrupted run's ${show(view(theirs))}; a resumed run keeps its configuration (leave the flag out)`,
      );
    }
    (config as Record<string, unknown>)[key] = theirs;
  }
  // Sampling interval: recorded since schema 1 reports gained config.sampleMs; older files keep the flag's value.
  const theirSample = from.config.sampleMs;
  if (theirSample !== undefined) {
    if (given.has('sample-ms') && parsed.sampleMs !== theirSample) {
      throw new ResumeError(
        `${where}: --sample-ms ${parsed.sampleMs} differs from the interrupted run's ${theirSample}; a resumed run keeps its configuration (leave the flag out)`,
      );
    }
    config.sampleMs = theirSample;
  }
  // The children's flags (--concurrent-gc, --concurrent-jit, heap limit) must be the ones the
  // report's environment.nodeFlags records, or the resumed cases would be measured differently.
  const flags = childFlags({
    maxOldSpaceSizeMb: config.maxOldSpaceSizeMb ?? parsed.maxOldSpaceSizeMb,
    concurrentGc: parsed.concurrentGc,
    concurrentJit: parsed.concurrentJit,
  });
  const theirFlags = from.environment?.nodeFlags;
  if (Array.isArray(theirFlags) && !same(flags, theirFlags)) {
    throw new ResumeError(
      `${where}: the measured children would run with ${flags.join(' ')}, the interrupted run used ${theirFlags.join(' ')}; give the same --concurrent-gc and --concurrent-jit settings`,
    );
  }
  const unknown = (config.codecs ?? []).filter((c) => !validCodecs.includes(c));
  if (unknown.length > 0) throw new ResumeError(`${where}: codec ${unknown.join(', ')} of that run is unknown here; give its --codec-module again`);
  if (from.environment?.node && from.environment.node !== nodeVersion) {
    throw new ResumeError(`${where}: measured with Node ${from.environment.node}, this run would use ${nodeVersion}; resume with the same Node (--node)`);
  }
  // the same code and libraries, or the two halves of the report would not compare
  const now = { gitCommit: gitCommit(), packages: Object.fromEntries(Object.keys(from.environment.packages).map((p) => [p, packageVersion(p)])) };
  const differences = provenanceDifferences(now, from.environment);
  if (differences.length > 0) {
    throw new ResumeError(
      `${where}: the interrupted run was measured by other code: ${differences.join('; ')}; resume from the same commit and packages, or start a new run`,
    );
  }
  const sides = resumedSides(from.config, parsed, given, where);
  const outFile = resolve(path);
  if (given.has('out') && resolve(parsed.outFile) !== outFile) throw new ResumeError(`${where}: --out must be left out (the resumed file is the output)`);
  return { ...parsed, ...sides, ...config, outFile, resumeFrom: from };
}

/**
 * The memory cases, the sizes and the throughput as the interrupted run had them (recorded in its
 * config since this version; older files keep the flags'): resuming a --memory-only run must not add
 * the throughput, nor a --time-only one the memory cases, nor --time-only drop a run's missing cases.
 */
function resumedSides(
  theirs: Partial<RunConfig>,
  parsed: Pick<SuiteOptions, 'memory' | 'sizes' | 'throughput'>,
  given: ReadonlySet<string>,
  where: string,
): Pick<SuiteOptions, 'memory' | 'sizes' | 'throughput'> {
  const out: Pick<SuiteOptions, 'memory' | 'sizes' | 'throughput'> = { memory: parsed.memory, sizes: parsed.sizes, throughput: parsed.throughput };
  const differs = (flag: string, had: string): never => {
    throw new ResumeError(`${where}: --${flag} differs from the interrupted run, which ${had}; a resumed run keeps its configuration (leave the flag out)`);
  };
  if (theirs.sides === undefined) return out;
  // --time-only would skip the memory cases still to run and mark the run finished without them;
  // without it, a --time-only run would gain memory cases (memory: recorded since it was; else the flag's)
  // (a run that measured the sizes measured the memory cases: sizes come from the dumps' files)
  const theirMemory = theirs.sides.memory ?? (theirs.sides.sizes ? true : undefined);
  if (theirMemory !== undefined) {
    if (given.has('time-only') && theirMemory) differs('time-only', 'measured the memory cases');
    out.memory = theirMemory;
  }
  if (given.has('no-sizes') && theirs.sides.sizes) differs('no-sizes', 'measured the compressed sizes');
  if (given.has('memory-only') && theirs.sides.throughput) differs('memory-only', 'measured the throughput');
  out.sizes = theirs.sides.sizes;
  if (!theirs.sides.throughput) out.throughput = undefined;
  return out;
}

/** The earlier sitting's case (complete, or incomplete with the runs it measured before the interruption). */
export function priorCase(from: Report | undefined, id: CaseId): CaseResult | undefined {
  return from?.cases.find((c) => isCase(c, id));
}

/** Data-heap figures the earlier dumps of `dataset` at `n` measured, so the resumed report's median covers all runs. */
export function priorDataHeap(from: Report | undefined, dataset: string, n: number): number[] {
  if (!from) return [];
  return from.cases
    .filter((c) => c.dataset === dataset && c.n === n && c.phase === 'dump')
    .flatMap((c) => c.runs.flatMap((r) => (r.dataHeapBytes === undefined ? [] : [r.dataHeapBytes])));
}

/**
 * Why the code or libraries measuring now differ from those that measured `from` (empty when they
 * are the same): a resumed report must come from one provenance, or its cases would not compare.
 * A tree with uncommitted changes (`-dirty`) cannot be told apart from another dirty tree: that is
 * allowed, and compare warns about a resumed dirty report (see `environmentWarnings`).
 */
export function provenanceDifferences(
  now: Pick<Report['environment'], 'gitCommit' | 'packages'>,
  from: Pick<Report['environment'], 'gitCommit' | 'packages'>,
): string[] {
  const out: string[] = [];
  if (now.gitCommit !== from.gitCommit) out.push(`git commit ${from.gitCommit ?? 'unknown'} then, ${now.gitCommit ?? 'unknown'} now`);
  const names = [...new Set([...Object.keys(now.packages), ...Object.keys(from.packages)])].sort();
  const pkgs = names.filter((p) => now.packages[p] !== from.packages[p]).map((p) => `${p} ${from.packages[p] ?? 'absent'} → ${now.packages[p] ?? 'absent'}`);
  if (pkgs.length > 0) out.push(`package versions differ: ${pkgs.join(', ')}`);
  return out;
}

/** Turn a fresh report into the continuation of `from`: its start, environment, data sizes and cases, not interrupted. */
export function continueReport(report: Report, from: Report | undefined): void {
  if (!from) return;
  const r = report;
  r.startedAt = from.startedAt;
  r.environment = from.environment;
  r.cases = [...from.cases];
  if (from.sizes) r.sizes = [...from.sizes]; // the files of completed codecs are gone: keep their sizes
  r.data = report.data.map((d) => from.data.find((x) => x.dataset === d.dataset && x.n === d.n) ?? d);
  r.interrupted = false;
  r.finishedAt = null;
  r.resumedAt = [...(from.resumedAt ?? []), new Date().toISOString()];
}
