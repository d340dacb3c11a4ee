/** `footprint run`: measure codecs and phases in fresh processes; write results JSON + markdown. */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { mkdirp } from '../results/mkdirp.js';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { codecNames } from '../codecs/index.js';
import { DEFAULT_CODECS } from '../codecs/index.js';
import { importCodecModule } from '../codecs/resolve.js';
import {
  DEFAULT_MAX_OLD_SPACE_MB,
  DEFAULT_N,
  DEFAULT_PHASES,
  DEFAULT_REPEATS,
  DEFAULT_SAMPLE_MS,
  DEFAULT_SEED,
  DEFAULT_TIMEOUT_MS,
} from '../constants.js';
import { probeBinary } from '../run/environment.js';
import { htmlPathFor, markdownPathFor, runSuite } from '../run/orchestrator.js';
import { renderCaseTable } from '../report/markdown.js';
import type { Phase, SuiteOptions } from '../types.js';
import { parseCount, parseCountList, parseInteger, parseList } from './args.js';
import { EXIT, UsageError } from './errors.js';
import { finishRun, parseRunExtras, RUN_EXTRA_HELP, RUN_EXTRA_OPTIONS, type RunExtras } from './run-extras.js';

export const RUN_HELP = `usage: footprint run [flags]

Measures dump and load of N seeded tuples per format, each (format, phase,
repeat) in a fresh child process, and writes a results JSON and a markdown
report (also printed).

  --n LIST              tuples; a comma list runs a sweep (1e6 notation ok)   [${DEFAULT_N}]
  --seed INT            data seed                                              [${DEFAULT_SEED}]
  --repeats INT         fresh processes per case                               [${DEFAULT_REPEATS}]
  --codecs LIST         formats to run (${'<see below>'})                      [default set]
  --phases LIST         dump, load, clone (deep copy, then drop the original)  [${DEFAULT_PHASES.join(',')}]
  --out FILE            results JSON; markdown goes next to it (.md)           [results/<time>-node<version>.json]
  --max-old-space-size MiB   heap limit of each child                          [${DEFAULT_MAX_OLD_SPACE_MB}]
  --timeout SECONDS     wall-time limit of each child                          [${DEFAULT_TIMEOUT_MS / 1000}]
  --sample-ms MS        RSS sampling interval for memory-over-time; 0 = off    [${DEFAULT_SAMPLE_MS}]
  --codec-module PATH   measure your own codec module too (repeatable)
  --node BINARY         run the measured children with this Node binary        [this one]
${RUN_EXTRA_HELP}  --help                this text

Exit codes: 0 all cases ok; 1 a case failed, was lossy, or the run was interrupted; 2 bad flags.
`;

const PHASES: readonly Phase[] = ['dump', 'load', 'clone'];

function timestamp(d = new Date()): string {
  return d.toISOString().replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
}

/** `--n -5` would read as two flags; make it `--n=-5` so the value check can say what is wrong with it. */
function joinNegativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    if (a.startsWith('--') && !a.includes('=') && next !== undefined && /^-\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** Parse `footprint run` flags into suite options (also used by `footprint matrix`). */
export async function parseRunFlags(argv: string[]): Promise<SuiteOptions & { help: boolean; extras: RunExtras }> {
  let values;
  try {
    ({ values } = parseArgs({
      args: joinNegativeValues(argv),
      strict: true,
      allowPositionals: false,
      options: {
        n: { type: 'string' },
        seed: { type: 'string' },
        repeats: { type: 'string' },
        codecs: { type: 'string' },
        phases: { type: 'string' },
        out: { type: 'string' },
        'max-old-space-size': { type: 'string' },
        timeout: { type: 'string' },
        'sample-ms': { type: 'string' },
        'codec-module': { type: 'string', multiple: true },
        node: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        ...RUN_EXTRA_OPTIONS,
      },
    }));
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)} (footprint run --help lists the flags)`);
  }
  const codecModules = (values['codec-module'] ?? []).map((p) => {
    if (!existsSync(p)) throw new UsageError(`--codec-module ${p}: no such file`);
    return resolve(p);
  });
  const external: string[] = [];
  for (const m of codecModules) {
    try {
      external.push((await importCodecModule(m)).name);
    } catch (err) {
      throw new UsageError(`--codec-module ${m}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const valid = [...codecNames(), ...external];
  const codecs = values.codecs ? parseList('codecs', values.codecs) : [...DEFAULT_CODECS, ...external];
  for (const c of codecs) if (!valid.includes(c)) throw new UsageError(`--codecs: unknown codec '${c}'; valid codecs: ${valid.join(', ')}`);
  const phases = values.phases ? parseList('phases', values.phases) : [...DEFAULT_PHASES];
  for (const p of phases) if (!PHASES.includes(p as Phase)) throw new UsageError(`--phases: unknown phase '${p}'; valid phases: ${PHASES.join(', ')}`);
  const nodeBinary = values.node ? resolve(values.node) : process.execPath;
  if (values.node && !existsSync(nodeBinary)) throw new UsageError(`--node ${values.node}: no such file`);
  let outFile = values.out;
  if (!outFile) {
    const version = nodeBinary === process.execPath ? process.version : probeBinary(nodeBinary).node;
    outFile = join('results', `${timestamp()}-node${version.replace(/^v/, '')}.json`);
  }
  return {
    help: values.help ?? false,
    extras: parseRunExtras(values),
    n: values.n ? parseCountList('n', values.n) : [DEFAULT_N],
    seed: values.seed ? parseInteger('seed', values.seed) : DEFAULT_SEED,
    repeats: values.repeats ? parseCount('repeats', values.repeats) : DEFAULT_REPEATS,
    codecs: [...new Set(codecs)],
    phases: phases as Phase[],
    outFile: resolve(outFile),
    maxOldSpaceSizeMb: values['max-old-space-size'] ? parseCount('max-old-space-size', values['max-old-space-size'], { min: 16 }) : DEFAULT_MAX_OLD_SPACE_MB,
    timeoutMs: values.timeout ? parseCount('timeout', values.timeout) * 1000 : DEFAULT_TIMEOUT_MS,
    sampleMs: values['sample-ms'] !== undefined ? parseCount('sample-ms', values['sample-ms'], { min: 0 }) : DEFAULT_SAMPLE_MS,
    codecModules,
    nodeBinary,
  };
}

/** Refuse an --out we cannot write before measuring anything. */
export function checkWritable(outFile: string): void {
  const dir = dirname(outFile);
  try {
    mkdirp(dir);
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    accessSync(dir, constants.W_OK);
    if (existsSync(outFile)) accessSync(outFile, constants.W_OK);
  } catch (err) {
    throw new UsageError(`--out ${outFile}: cannot write there (${err instanceof Error ? err.message : String(err)})`);
  }
}

export async function runCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(RUN_HELP.replace('<see below>', codecNames().join(', ')));
    return EXIT.ok;
  }
  const opts = await parseRunFlags(argv);
  checkWritable(opts.outFile);
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => {
    process.stderr.write(`\nfootprint: ${sig} received: stopping the running child; completed cases stay in ${opts.outFile}\n`);
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const perN = opts.codecs.length * opts.phases.filter((p) => p !== 'clone').length + (opts.phases.includes('clone') ? 2 : 0);
  const cases = opts.n.length * perN;
  process.stderr.write(`footprint: ${cases} cases × ${opts.repeats} repeats, N = ${opts.n.join(', ')}, results in ${opts.outFile}\n`);
  try {
    const { report, allOk } = await runSuite({ ...opts, signal: controller.signal, onProgress: (line) => process.stderr.write(`${line}\n`) });
    process.stdout.write(`\n${renderCaseTable(report)}\n\nresults: ${opts.outFile}\nmarkdown: ${markdownPathFor(opts.outFile)}\nhtml: ${htmlPathFor(opts.outFile)}\n`);
    const post = finishRun(report, opts.extras);
    process.stderr.write(post.message);
    if (report.interrupted) return 130;
    return allOk && post.exitCode === EXIT.ok ? EXIT.ok : EXIT.failed;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
