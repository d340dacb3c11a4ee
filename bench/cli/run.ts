/** `footprint run`: measure codecs and phases in fresh processes; write results JSON + markdown. */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { mkdirp } from '../results/mkdirp.js';
import { dirname, join, resolve } from 'node:path';
import { CODEC_NAMES, CODECS, DEFAULT_CODECS, describeCodecGroups, expandCodecList } from '../codecs/index.js';
import { loadCodecModules } from '../codecs/external.js';
import { DEFAULT_JOBS, DEFAULT_MAX_OLD_SPACE_MB, DEFAULT_PHASES, DEFAULT_REPEATS, DEFAULT_SAMPLE_MS, DEFAULT_SEED, DEFAULT_TIMEOUT_MS } from '../constants.js';
import { claimUniquePath } from '../results/claim.js';
import { lockOutput } from '../results/lock.js';
import { probeBinary } from '../run/environment.js';
import { resumeOptions, type ResumeOptions } from '../run/resume.js';
import { casePhases, htmlPathFor, markdownPathFor, orderPhases, runSuite } from '../run/orchestrator.js';
import { renderSummaryAndTable } from '../report/markdown.js';
import { renderExplainMarkdown } from '../report/explain.js';
import { DEFAULT_SAMPLING_INTERVAL_BYTES } from '../run/explain.js';
import { renderBreakdownLine, renderDatasetTimeLine } from '../report/timing.js';
import { statusSink } from './status-line.js';
import { REPORT_SINKS } from './sinks.js';
import { progressLine } from '../report/progress-line.js';
import { CLONE_VARIANTS, type Phase, type SuiteOptions, PHASES } from '../types.js';
import { parseCount, parseFlags, parseInteger, parseList, timestamp } from './args.js';
import {
  allDatasetsPreset,
  DATASET_HELP,
  datasetRuns,
  describeRuns,
  loadReaderModules,
  loadReaderSample,
  parseDatasetList,
  unionOfN,
} from './dataset-flags.js';
import { THROUGHPUT_DEFAULTS, THROUGHPUT_PROCESSES } from '../throughput/throughput.js';
import { EXIT, UsageError } from './errors.js';
import { errorMessage } from '../errors.js';
import { SHARD_HELP, SHARD_OPTIONS, shardLine, withShard } from './shard-flags.js';
import { finishRun, parseRunExtras, RUN_EXTRA_HELP, RUN_EXTRA_OPTIONS, type RunExtras } from './run-extras.js';

export const summary = 'measure codecs and phases in fresh processes and write a report (default)';

export const help = `usage: footprint run [flags]

Measures dump and load of N seeded records per format and dataset (the tuples by
default), each (dataset, format, phase, repeat) in a fresh child process, and
writes a results JSON and a markdown report (also printed).

${DATASET_HELP}  --seed INT            data seed                                              [${DEFAULT_SEED}]
  --repeats INT         fresh processes per case                               [${DEFAULT_REPEATS}]
  --codecs LIST         formats and groups of formats to run (listed below)    [all]
  --phases LIST         dump, load, clone (deep copy, then drop the original;  [${DEFAULT_PHASES.join(',')}]
                        clone runs its two copy methods whatever --codecs says)
  --out FILE            results JSON; markdown goes next to it (.md)           [results/<time>-node<version>.json]
  --max-old-space-size MiB   heap limit of each child                          [${DEFAULT_MAX_OLD_SPACE_MB}]
  --timeout SECONDS     wall-time limit of each child                          [${DEFAULT_TIMEOUT_MS / 1000}]
  --sample-ms MS        RSS sampling interval for memory-over-time, from the baseline to the
                        phase's end (5× as long before and after it); 0 = off  [${DEFAULT_SAMPLE_MS}]
  --codec-module PATH   measure your own codec module too (repeatable)
  --node BINARY         run the measured children with this Node binary        [this one]
  --jobs N              measured children at once; memory figures are per process   [${DEFAULT_JOBS}]
                        and do not change, phase wall times do (the report records jobs)
  --concurrent-gc       let V8 collect on background threads in the measured children (its
                        default); without it they run --single-threaded-gc, whose peaks repeat
  --concurrent-jit      let V8 compile optimized code on a background thread in the measured
                        children (its default); without it they run --no-concurrent-recompilation,
                        so where their GCs fall does not depend on how busy the cores are (I/O aside)
  --memory-only         skip the in-process throughput measurement
  --time-only           only the throughput measurement (no memory cases, no sizes)
  --no-sizes            skip the compressed sizes (gzip + brotli of a 1M file: ~5 s of CPU)
  --no-brotli, --brotli compressed sizes without brotli (two thirds of their time) or with it
                        (the default, but for --datasets all)
  --batch N             throughput: tuples per operation                       [${THROUGHPUT_DEFAULTS.batch}]
  --bench-time MS       throughput: minimum measured time per task             [${THROUGHPUT_DEFAULTS.timeMs}]
  --bench-iterations N  throughput: minimum measured iterations per task       [${THROUGHPUT_DEFAULTS.iterations}]
  --warmup-time MS      throughput: warm-up time per task                      [${THROUGHPUT_DEFAULTS.warmupTimeMs}]
  --warmup-iterations N throughput: minimum warm-up iterations per task        [${THROUGHPUT_DEFAULTS.warmupIterations}]
  --throughput-processes N  throughput: fresh processes, each timing every codec [${THROUGHPUT_PROCESSES}]
  --explain             after each ok case, extra unmeasured children with V8's sampling heap
                        profiler: what the heap held and allocated, by call stack (docs/explain.md)
  --explain-out DIR     where the .heapprofile files go                        [<results>-explain/]
  --sampling-interval BYTES  mean bytes between heap samples (--explain)        [${DEFAULT_SAMPLING_INTERVAL_BYTES}]
  --peer python         run the seed experiment in CPython instead (pickle, flat text, json): its own
                        flags, see footprint run --peer python --help
  --resume FILE         continue the interrupted run in FILE (its results JSON): measured runs
                        are kept, only the missing ones measured; its configuration is used, flags must agree
${SHARD_HELP}${RUN_EXTRA_HELP}  --help                this text

Formats: <codec list>
Groups (--codecs mission,floor): <group list>

Exit codes: 0 every case ok or lossy (a lossy format is a finding, reported and never ranked, not a failure
of the run: bson is lossy by design); 1 a case failed, ran out of memory or timed out, the sizes,
throughput or sizeof measurement failed, or a --budget was exceeded; 2 bad flags or
bad --resume file (nothing run); 130 interrupted (SIGINT/SIGTERM: every measured run kept, see --resume).
`;

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
export async function parseRunFlags(
  argv: string[],
): Promise<
  SuiteOptions & ResumeOptions & { help: boolean; outDefaulted: boolean; extras: RunExtras; presetLine?: string; dumpBy: Readonly<Record<string, string>> }
> {
  const { values } = parseFlags('run', {
    args: joinNegativeValues(argv),
    strict: true,
    allowPositionals: false,
    options: {
      n: { type: 'string' },
      datasets: { type: 'string' },
      'dataset-module': { type: 'string', multiple: true },
      data: { type: 'string', multiple: true },
      uint64: { type: 'string', multiple: true },
      'data-schema': { type: 'string' },
      seed: { type: 'string' },
      repeats: { type: 'string' },
      codecs: { type: 'string' },
      phases: { type: 'string' },
      out: { type: 'string' },
      'max-old-space-size': { type: 'string' },
      timeout: { type: 'string' },
      'sample-ms': { type: 'string' },
      jobs: { type: 'string' },
      'codec-module': { type: 'string', multiple: true },
      node: { type: 'string' },
      resume: { type: 'string' },
      'time-only': { type: 'boolean' },
      'concurrent-gc': { type: 'boolean' },
      'concurrent-jit': { type: 'boolean' },
      'memory-only': { type: 'boolean' },
      'no-sizes': { type: 'boolean' },
      brotli: { type: 'boolean' },
      'no-brotli': { type: 'boolean' },
      batch: { type: 'string' },
      'bench-time': { type: 'string' },
      'bench-iterations': { type: 'string' },
      'warmup-time': { type: 'string' },
      'warmup-iterations': { type: 'string' },
      'throughput-processes': { type: 'string' },
      explain: { type: 'boolean' },
      'explain-out': { type: 'string' },
      'sampling-interval': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      ...RUN_EXTRA_OPTIONS,
      ...SHARD_OPTIONS,
    },
  });
  const codecModules = (values['codec-module'] ?? []).map((p) => {
    if (!existsSync(p)) throw new UsageError(`--codec-module ${p}: no such file`);
    return resolve(p);
  });
  // loadCodecModules refuses with one line naming the module and each missing member (a UsageError: exit 2)
  const externalCodecs = await loadCodecModules(codecModules);
  const external = externalCodecs.map((c) => c.name);
  let codecs: string[];
  try {
    codecs = values.codecs ? expandCodecList(parseList('codecs', values.codecs), externalCodecs) : [...DEFAULT_CODECS, ...external];
  } catch (err) {
    throw new UsageError(`--codecs: ${errorMessage(err)}`);
  }
  const seedForCheck = values.seed === undefined ? 42 : Number(values.seed);
  const readers = await loadReaderModules(values['dataset-module'] ?? [], Number.isSafeInteger(seedForCheck) ? seedForCheck : 42);
  const sample = await loadReaderSample(values, readers);
  if (sample) readers.push(sample.definition.name);
  const datasets = await datasetRuns(parseDatasetList(values.datasets, readers), values.n);
  const preset = allDatasetsPreset(values.datasets, new Set(Object.keys(values)));
  // what the inference made of the sample, once, before anything runs (at the largest N the run measures it)
  const sampleRun = datasets.find((d) => d.name === sample?.definition.name);
  if (sample && sampleRun) process.stderr.write(`${sample.describe(Math.max(...sampleRun.n)).join('\n')}\n`);
  const phases = values.phases ? parseList('phases', values.phases) : [...DEFAULT_PHASES];
  for (const p of phases) if (!PHASES.includes(p as Phase)) throw new UsageError(`--phases: unknown phase '${p}'; valid phases: ${PHASES.join(', ')}`);
  const nodeBinary = values.node ? resolve(values.node) : process.execPath;
  if (values.node && !existsSync(nodeBinary)) throw new UsageError(`--node ${values.node}: no such file`);
  let outFile = values.out;
  const version = (): string => (nodeBinary === process.execPath ? process.version : probeBinary(nodeBinary).node);
  if (!outFile && !values.resume) outFile = join('results', `${timestamp()}-node${version().replace(/^v/, '')}.json`);
  const parsed = {
    help: values.help ?? false,
    extras: parseRunExtras(values),
    concurrentGc: values['concurrent-gc'] ?? false,
    concurrentJit: values['concurrent-jit'] ?? false,
    ...throughputFlags(values, preset?.halfThroughput ?? false, preset?.throughputProcesses),
    ...(values['no-brotli'] || preset?.brotli === false ? { brotli: false } : {}),
    ...(preset ? { presetLine: preset.line } : {}),
    /** Codecs whose files another codec's dump writes (dumpBy): no dump case of their own, for the case count. */
    dumpBy: Object.fromEntries([...CODECS, ...externalCodecs].flatMap((c) => (c.dumpBy ? [[c.name, c.dumpBy]] : []))),
    /** The name was made up here (not --out): main makes it unique before writing. */
    outDefaulted: !values.out && !values.resume,
    datasets,
    n: unionOfN(datasets),
    seed: values.seed ? parseInteger('seed', values.seed) : DEFAULT_SEED,
    repeats: values.repeats ? parseCount('repeats', values.repeats) : (preset?.repeats ?? DEFAULT_REPEATS),
    codecs: [...new Set(codecs)],
    phases: phases as Phase[],
    outFile: resolve(outFile ?? values.resume!),
    maxOldSpaceSizeMb: values['max-old-space-size'] ? parseCount('max-old-space-size', values['max-old-space-size'], { min: 16 }) : DEFAULT_MAX_OLD_SPACE_MB,
    timeoutMs: values.timeout ? parseCount('timeout', values.timeout) * 1000 : DEFAULT_TIMEOUT_MS,
    jobs: values.jobs !== undefined ? parseCount('jobs', values.jobs) : DEFAULT_JOBS,
    sampleMs: values['sample-ms'] !== undefined ? parseCount('sample-ms', values['sample-ms'], { min: 0 }) : DEFAULT_SAMPLE_MS,
    codecModules,
    nodeBinary,
    ...explainFlags(values, resolve(outFile ?? values.resume!)),
  };
  return withShard(
    values.resume ? resumeOptions(values.resume, parsed, new Set(Object.keys(values)), version(), [...CODEC_NAMES, ...external]) : parsed,
    values,
  );
}

/** `--explain` and its two settings (which mean nothing without it). */
function explainFlags(values: Record<string, string | boolean | string[] | undefined>, outFile: string): Pick<SuiteOptions, 'explain'> {
  const out = values['explain-out'];
  const interval = values['sampling-interval'];
  if (!values.explain) {
    if (out !== undefined || interval !== undefined) throw new UsageError(`--${out !== undefined ? 'explain-out' : 'sampling-interval'} needs --explain`);
    return {};
  }
  return {
    explain: {
      outDir: resolve(typeof out === 'string' ? out : `${outFile.replace(/\.json$/i, '')}-explain`),
      samplingIntervalBytes: typeof interval === 'string' ? parseCount('sampling-interval', interval, { min: 64 }) : DEFAULT_SAMPLING_INTERVAL_BYTES,
    },
  };
}

/** The throughput/sizes side of the run, from --time-only, --memory-only, --no-sizes and the tinybench budgets. */
function throughputFlags(
  values: Record<string, string | boolean | string[] | undefined>,
  half: boolean,
  processes = THROUGHPUT_PROCESSES,
): Pick<SuiteOptions, 'memory' | 'sizes' | 'throughput'> {
  if (values['time-only'] && values['memory-only']) throw new UsageError('--time-only and --memory-only exclude each other');
  const num = (flag: string, fallback: number, min = 1): number => {
    const v = values[flag];
    return typeof v === 'string' ? parseCount(flag, v, { min }) : fallback;
  };
  const memory = !values['time-only'];
  return {
    memory,
    sizes: memory && !values['no-sizes'],
    ...(values['memory-only']
      ? {}
      : {
          throughput: {
            batch: num('batch', THROUGHPUT_DEFAULTS.batch),
            timeMs: num('bench-time', half ? THROUGHPUT_DEFAULTS.timeMs / 2 : THROUGHPUT_DEFAULTS.timeMs),
            iterations: num('bench-iterations', THROUGHPUT_DEFAULTS.iterations),
            warmupTimeMs: num('warmup-time', half ? THROUGHPUT_DEFAULTS.warmupTimeMs / 2 : THROUGHPUT_DEFAULTS.warmupTimeMs, 0),
            warmupIterations: num('warmup-iterations', THROUGHPUT_DEFAULTS.warmupIterations, 0),
            processes: num('throughput-processes', processes),
          },
        }),
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
    throw new UsageError(`--out ${outFile}: cannot write there (${errorMessage(err)})`);
  }
}

export async function main(argv: string[]): Promise<number> {
  // the Python peer has its own flags and report (bench/cli/peer.ts)
  if (argv.some((a) => a === '--peer' || a.startsWith('--peer='))) return (await import('./peer.js')).peerRunCommand(argv);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(help.replace('<codec list>', CODEC_NAMES.join(', ')).replace('<group list>', describeCodecGroups().join('; ')));
    return EXIT.ok;
  }
  const opts = await parseRunFlags(argv);
  checkWritable(opts.outFile);
  if (opts.outDefaulted) opts.outFile = claimUniquePath(opts.outFile, (p) => [markdownPathFor(p), htmlPathFor(p)]);
  const lock = lockOutput(opts.outFile); // a second run given this --out refuses (exit 2) while this one runs
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => {
    process.stderr.write(
      `\nfootprint: ${sig} received: stopping the running children; every run recorded so far stays in ${opts.outFile} ` +
        '(a dump run whose file was still waiting for its verdict is not kept: --resume measures it again)\n',
    );
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const sink = statusSink(process.stderr);
  const codecPhases = orderPhases(opts.phases as Phase[]).filter((p) => p !== 'clone');
  const perN =
    opts.memory === false
      ? 0
      : opts.codecs.reduce((k, c) => k + casePhases({ dumpBy: opts.dumpBy[c] }, codecPhases).length, 0) +
        (opts.phases.includes('clone') ? CLONE_VARIANTS.length : 0);
  const cases = opts.shard ? opts.shard.cases.length : opts.datasets.reduce((k, d) => k + d.n.length * perN, 0);
  if (opts.shard) process.stderr.write(`footprint: ${shardLine(opts.shard)}\n`);
  if (opts.resumeFrom) {
    const kept = opts.resumeFrom.cases.filter((c) => !c.incomplete).length;
    const partial = opts.resumeFrom.cases.filter((c) => c.incomplete);
    const runs = partial.reduce((s, c) => s + c.runs.length, 0);
    const incomplete =
      partial.length > 0 ? `; ${partial.length} incomplete, ${partial.length === 1 ? 'its' : 'their'} ${runs} measured run${runs === 1 ? '' : 's'} kept` : '';
    process.stderr.write(`footprint: resuming ${opts.outFile}: ${kept} of ${cases} cases done earlier, kept${incomplete}\n`);
  }
  if (opts.presetLine) process.stderr.write(`footprint: ${opts.presetLine}\n`);
  process.stderr.write(
    `footprint: ${cases} case${cases === 1 ? '' : 's'} × ${opts.repeats} repeat${opts.repeats === 1 ? '' : 's'}, ${describeRuns(opts.datasets)}, ${opts.jobs} at once (--jobs), results in ${opts.outFile}\n`,
  );
  try {
    const { report, allOk } = await runSuite({
      ...opts,
      signal: controller.signal,
      sinks: REPORT_SINKS,
      onProgress: (line) => sink.log(line),
      onCaseDone: (done, total, c) => sink.log(progressLine(done, total, c)),
      onStatus: (s) => sink.update(s),
    });
    sink.close();
    if (report.timing) process.stderr.write(`${renderBreakdownLine(report.timing)}\n`);
    const byDataset = renderDatasetTimeLine(report);
    if (byDataset) process.stderr.write(`${byDataset}\n`);
    const explained = renderExplainMarkdown(report);
    if (explained) process.stdout.write(`\n${explained}\n`);
    process.stdout.write(
      `\n${renderSummaryAndTable(report)}\n\nresults: ${opts.outFile}\nmarkdown: ${markdownPathFor(opts.outFile)}\nhtml: ${htmlPathFor(opts.outFile)}\n`,
    );
    const post = finishRun(report, opts.extras);
    process.stderr.write(post.message);
    if (report.interrupted) return 130;
    return allOk && post.exitCode === EXIT.ok ? EXIT.ok : EXIT.failed;
  } finally {
    sink.close();
    lock.release();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
