/**
 * The matrix's orchestration (`footprint matrix`): install each Node version or runtime, run the
 * JavaScript ones in interleaved rounds (bench/run/interleave.ts), the Python peer group after them,
 * pick the baseline (or fall back to the first that ran), compare, and write the comparison files
 * from the text the CLI's reporter makes of the result (bench/report/matrix.ts): this layer knows
 * no reporter. A version that fails to install or to run is reported and the others still run.
 */
import { join } from 'node:path';
import { type Comparison, compareReports, type LabelledReport } from '../compare/compare.js';
import { errorMessage } from '../errors.js';
import { findPython as realFindPython, PYTHON_FORMATS, runPythonPeer as realRunPythonPeer, type PeerOptions, type PythonInfo } from '../peer/python/peer.js';
import { writeFileAtomic } from '../results/io.js';
import { runInterleaved as realRunInterleaved, type Variant } from '../run/interleave.js';
import type { SuiteResult } from '../run/orchestrator.js';
import type { CaseResult, Report, ReportSink, SuiteOptions } from '../types.js';
import { installNode as realInstallNode, type InstalledNode } from './install.js';
import { installRuntime as realInstallRuntime, type InstalledRuntime, type RuntimeSpec } from './runtimes.js';

export interface MatrixDeps {
  installNode: (major: number, cacheDir: string, log: (line: string) => void) => Promise<InstalledNode>;
  /** Bun and Deno (--runtime). */
  installRuntime?: (spec: RuntimeSpec, cacheDir: string, log: (line: string) => void) => Promise<InstalledRuntime>;
  findPython?: (binary: string) => Promise<{ ok: true; python: PythonInfo } | { ok: false; reason: string }>;
  runPythonPeer?: (opts: PeerOptions) => Promise<{ report: Report; allOk: boolean }>;
  runInterleaved: (variants: readonly Variant[], opts: SuiteOptions) => Promise<SuiteResult[]>;
  log: (line: string) => void;
}

export const MATRIX_DEPS: MatrixDeps = {
  installNode: realInstallNode,
  installRuntime: realInstallRuntime,
  findPython: realFindPython,
  runPythonPeer: realRunPythonPeer,
  runInterleaved: realRunInterleaved,
  log: (line) => process.stderr.write(`${line}\n`),
};

/** What to run: the runtimes in order, the baseline's label, where things go. */
export interface MatrixPlan {
  runtimes: RuntimeSpec[];
  /** Label of the baseline runtime (`node@20`, `bun@1.4`). */
  baselineLabel: string;
  /** True when given as --runtime (a runtime matrix, with the runtime sections). */
  byRuntime: boolean;
  /** The Python peer's interpreter. */
  python: string;
  outDir: string;
  cacheDir: string;
}

/** How the suite runs under each version, as the CLI set it up (its reporters are sinks, its progress lines callbacks). */
export interface MatrixRun {
  suite: Omit<SuiteOptions, 'signal' | 'sinks' | 'onProgress' | 'onCaseDone'>;
  signal: AbortSignal;
  sinks: readonly ReportSink[];
  /** The Python peer's sinks (its markdown). */
  peerSinks: readonly ReportSink[];
  onCaseDone?: (done: number, total: number, c: CaseResult, variant?: string) => void;
  /** A version's budget check (exit code 1 = exceeded); absent when no --budget was given. */
  checkBudget?: (report: Report) => { exitCode: number; message: string };
}

export interface VersionOutcome {
  spec: RuntimeSpec;
  /** Node major (node runtimes only). */
  major: number;
  /** Installed binary, when the install worked (for python: the interpreter). */
  node?: InstalledNode;
  outFile: string;
  result?: SuiteResult;
  /** Why this version has no report (install or run failure). */
  error?: string;
  /** The Python peer could not run (no python3, too old): reported as skipped. */
  skipped?: string;
  /** Budget check of this version's report (exit code 1 = exceeded). */
  budget?: { exitCode: number; message: string };
}

export interface MatrixResult {
  plan: MatrixPlan;
  outcomes: VersionOutcome[];
  /** The JavaScript runtimes that produced a report. */
  ran: VersionOutcome[];
  python?: VersionOutcome;
  /** The reports compared, baseline first, and their comparison (two or more ran). */
  compared?: { labelled: LabelledReport[]; comparison: Comparison };
  /** The baseline's fallback, when it has no report. */
  notes: string[];
  /** Why nothing was compared (fewer than two reports). */
  uncompared?: string;
  /** Every version ran, every case is ok, no budget exceeded (a skipped peer measured nothing: never ok). */
  allOk: boolean;
}

/** The matrix's text files, made by the CLI's reporter from the result. */
export interface MatrixRendering {
  markdown: string;
  html?: string;
}

/** `node 20`, `bun 1.4`, `python`: how a runtime is named in the status lines. */
export function statusName(spec: RuntimeSpec): string {
  return spec.name === 'python' ? 'python' : `${spec.name} ${spec.version}`;
}

/** The comparison's label of a report: `node v22.1.0`, `bun 1.4.5`. */
export function reportLabel(o: VersionOutcome): string {
  return o.spec.name === 'node' ? `node ${o.node!.version}` : `${o.spec.name} ${o.node!.version}`;
}

/** Report file of a runtime: node20.json (as before --runtime), bun1.4.json, deno2.9.json, python.json. */
export function outFileName(spec: RuntimeSpec): string {
  return `${spec.name}${spec.version}.json`;
}

/** Install, run interleaved, run the peer, compare. */
export async function runMatrix(plan: MatrixPlan, run: MatrixRun, deps: MatrixDeps): Promise<MatrixResult> {
  const outcomes: VersionOutcome[] = plan.runtimes.map((spec) => ({
    spec,
    major: spec.name === 'node' ? Number(spec.version) : 0,
    outFile: join(plan.outDir, outFileName(spec)),
  }));
  const js = outcomes.filter((o) => o.spec.name !== 'python');
  await install(js, plan, deps);
  const installed = js.filter((o) => o.node);
  if (run.signal.aborted) {
    for (const o of installed) o.error = 'not run: interrupted';
  } else if (installed.length > 0) {
    await runInterleavedVersions(installed, run, deps);
  }
  for (const outcome of outcomes.filter((o) => o.spec.name === 'python')) {
    if (run.signal.aborted) outcome.error = 'not run: interrupted';
    else await runPeer(outcome, plan, run, deps);
  }

  const ran = js.filter((o) => o.result);
  const notes: string[] = [];
  let baseline = ran.find((o) => o.spec.label === plan.baselineLabel);
  if (!baseline && ran.length > 0) {
    baseline = ran[0]!;
    notes.push(
      `baseline ${statusName(plan.runtimes.find((r) => r.label === plan.baselineLabel)!)} has no report; comparing against ${statusName(baseline.spec)} instead`,
    );
  }
  let compared: MatrixResult['compared'];
  let uncompared: string | undefined;
  if (baseline && ran.length >= 2) {
    const labelled: LabelledReport[] = [baseline, ...ran.filter((o) => o !== baseline)].map((o) => ({
      label: reportLabel(o),
      report: o.result!.report,
      source: o.outFile,
    }));
    compared = { labelled, comparison: compareReports(labelled) };
  } else {
    uncompared = `only ${ran.length} ${plan.byRuntime ? 'JavaScript runtime' : 'version'}${ran.length === 1 ? '' : 's'} produced a report: nothing to compare`;
  }
  const python = outcomes.find((o) => o.spec.name === 'python');
  const allOk = outcomes.every((o) => o.result?.allOk === true && (o.budget?.exitCode ?? 0) === 0);
  return { plan, outcomes, ran, ...(python ? { python } : {}), ...(compared ? { compared } : {}), notes, ...(uncompared ? { uncompared } : {}), allOk };
}

/** Write the comparison files next to the reports: comparison.md, and comparison.html when there is one. */
export function writeMatrixFiles(outDir: string, text: MatrixRendering): { markdown: string; html?: string } {
  const markdown = join(outDir, 'comparison.md');
  writeFileAtomic(markdown, text.markdown);
  if (text.html === undefined) return { markdown };
  const html = join(outDir, 'comparison.html');
  writeFileAtomic(html, text.html);
  return { markdown, html };
}

async function install(js: readonly VersionOutcome[], plan: MatrixPlan, deps: MatrixDeps): Promise<void> {
  for (const outcome of js) {
    const { spec } = outcome;
    try {
      if (spec.name === 'node') {
        outcome.node = await deps.installNode(outcome.major, plan.cacheDir, deps.log);
      } else {
        if (!deps.installRuntime) throw new Error(`no installer for ${spec.name}`);
        const rt = await deps.installRuntime(spec, plan.cacheDir, deps.log);
        outcome.node = { version: rt.version, binary: rt.binary, installed: rt.installed };
      }
    } catch (err: unknown) {
      outcome.error = `install: ${errorMessage(err)}`;
      deps.log(`${statusName(spec)}: ${outcome.error}`);
    }
  }
}

async function runInterleavedVersions(installed: readonly VersionOutcome[], run: MatrixRun, deps: MatrixDeps): Promise<void> {
  const variants: Variant[] = installed.map((o) => ({ label: reportLabel(o), nodeBinary: o.node!.binary, outFile: o.outFile }));
  deps.log(`running ${variants.map((v) => v.label).join(', ')} in interleaved rounds`);
  try {
    const results = await deps.runInterleaved(variants, {
      ...run.suite,
      signal: run.signal,
      sinks: run.sinks,
      onProgress: (line) => deps.log(line),
      ...(run.onCaseDone ? { onCaseDone: run.onCaseDone } : {}),
    });
    installed.forEach((o, i) => {
      o.result = results[i]!;
      if (run.checkBudget) o.budget = run.checkBudget(o.result.report);
    });
  } catch (err: unknown) {
    for (const o of installed) o.error = `run: ${errorMessage(err)}`;
    deps.log(`run: ${errorMessage(err)}`);
  }
}

/** The Python peer group with the run's N, seed, repeats, phases, timeout and sampling; skipped without a usable python3. */
async function runPeer(outcome: VersionOutcome, plan: MatrixPlan, run: MatrixRun, deps: MatrixDeps): Promise<void> {
  if (!deps.findPython || !deps.runPythonPeer) {
    outcome.skipped = 'no Python peer runner';
    return;
  }
  const found = await deps.findPython(plan.python);
  if (!found.ok) {
    outcome.skipped = found.reason;
    deps.log(`python: SKIPPED: ${found.reason}`);
    return;
  }
  const suite = run.suite;
  const phases = suite.phases.filter((p): p is 'dump' | 'load' => p === 'dump' || p === 'load');
  if (phases.length === 0) {
    outcome.skipped = `the Python peer runs dump and load; --phases ${suite.phases.join(',')} has neither`;
    return;
  }
  deps.log(
    `python: running the peer group with ${found.python.binary} (Python ${found.python.version}); formats ${PYTHON_FORMATS.join(', ')} whatever --codecs says`,
  );
  try {
    const r = await deps.runPythonPeer({
      python: found.python,
      n: suite.n,
      seed: suite.seed,
      repeats: suite.repeats,
      formats: [...PYTHON_FORMATS],
      phases,
      timeoutMs: suite.timeoutMs,
      sampleMs: suite.sampleMs,
      outFile: outcome.outFile,
      sinks: run.peerSinks,
      signal: run.signal,
      onProgress: (line) => deps.log(`[python] ${line}`),
    });
    outcome.node = { version: `Python ${found.python.version}`, binary: found.python.binary, installed: false };
    outcome.result = { report: r.report, allOk: r.allOk };
  } catch (err: unknown) {
    outcome.error = `run: ${errorMessage(err)}`;
    deps.log(`python: ${outcome.error}`);
  }
}
