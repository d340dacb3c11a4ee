/**
 * `footprint explain`: measure the asked cases (1 repeat unless told) and, for each, run the
 * extra profiled children of `footprint run --explain`; print the tables and write the
 * .heapprofile files, the results JSON and its markdown and HTML reports under --out DIR.
 */
import { join, resolve } from 'node:path';
import { CODEC_NAMES, expandCodecList } from '../codecs/index.js';
import { errorMessage } from '../errors.js';
import { loadCodecModules } from '../codecs/external.js';
import { DEFAULT_MAX_OLD_SPACE_MB, DEFAULT_N, DEFAULT_SAMPLE_MS, DEFAULT_SEED, DEFAULT_TIMEOUT_MS } from '../constants.js';
import { DEFAULT_SAMPLING_INTERVAL_BYTES } from '../run/explain.js';
import { renderExplainMarkdown } from '../report/explain.js';
import { htmlPathFor, markdownPathFor, runSuite } from '../run/orchestrator.js';
import type { Phase } from '../types.js';
import { PHASES } from '../types.js';
import { parseCount, parseCountList, parseFlags, parseInteger, parseList, timestamp } from './args.js';
import { EXIT, UsageError } from './errors.js';
import { REPORT_SINKS } from './sinks.js';
import { progressLine } from '../report/progress-line.js';
import { checkWritable } from './run.js';

export const summary = 'what the heap held and allocated during a phase, by call stack (V8 sampling heap profiler)';

export const help = `usage: footprint explain --codecs LIST [flags]

For each (codec, phase, n): the measured case (fresh children, as footprint run), then one
extra, unmeasured child per view with V8's sampling heap profiler on during the phase:
  held       what the phase's allocations still held alive at its end
  allocated  everything the phase allocated, collected or not
Prints, per case, the top functions by self and total bytes (function, file:line, package)
beside the measured peaks and the profiler's own overhead. See docs/explain.md.

  --codecs LIST         formats to explain (required): <see below>
  --phases LIST         dump, load, clone (clone explains its two copy methods) [load]
  --n LIST              tuples (1e6 notation ok)                               [${DEFAULT_N}]
  --repeats INT         measured fresh processes per case                      [1]
  --seed INT            data seed                                              [${DEFAULT_SEED}]
  --out DIR             .heapprofile files (<codec>-<phase>-<n>-<view>.heapprofile),
                        explain.json, explain.md and explain.html go here      [results/explain-<time>]
  --sampling-interval BYTES  mean bytes between heap samples                   [${DEFAULT_SAMPLING_INTERVAL_BYTES}]
  --top INT             functions per table                                    [10]
  --max-old-space-size MiB   heap limit of each child                          [${DEFAULT_MAX_OLD_SPACE_MB}]
  --timeout SECONDS     wall-time limit of each child                          [${DEFAULT_TIMEOUT_MS / 1000}]
  --codec-module PATH   explain your own codec module too (repeatable)
  --help                this text

Exit codes: 0 every case measured and explained; 1 a case or an explain child failed; 2 bad flags.
`;

export async function main(argv: string[]): Promise<number> {
  const { values } = parseFlags('explain', {
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      codecs: { type: 'string' },
      phases: { type: 'string' },
      n: { type: 'string' },
      repeats: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      'sampling-interval': { type: 'string' },
      top: { type: 'string' },
      'max-old-space-size': { type: 'string' },
      timeout: { type: 'string' },
      'codec-module': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(help.replace('<see below>', CODEC_NAMES.join(', ')));
    return EXIT.ok;
  }
  const codecModules = (values['codec-module'] ?? []).map((p) => resolve(p));
  const externalCodecs = await loadCodecModules(codecModules);
  if (!values.codecs) throw new UsageError('explain: --codecs is required (e.g. --codecs json,text); see footprint explain --help');
  let codecs: string[];
  try {
    codecs = expandCodecList(parseList('codecs', values.codecs), externalCodecs); // groups too, as footprint run takes them
  } catch (err) {
    throw new UsageError(`--codecs: ${errorMessage(err)}`);
  }
  const phases = values.phases ? parseList('phases', values.phases) : ['load'];
  for (const p of phases) if (!PHASES.includes(p as Phase)) throw new UsageError(`--phases: unknown phase '${p}'; valid phases: ${PHASES.join(', ')}`);
  const outDir = resolve(values.out ?? join('results', `explain-${timestamp()}`));
  const outFile = join(outDir, 'explain.json');
  checkWritable(outFile);
  const limit = values.top ? parseCount('top', values.top) : 10;

  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => {
    process.stderr.write(`\nfootprint: ${sig} received: stopping the running child; completed cases stay in ${outFile}\n`);
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const n = values.n ? parseCountList('n', values.n) : [DEFAULT_N];
    const { report, allOk } = await runSuite({
      n,
      datasets: [{ name: 'tuples', n }], // explain measures the tuples
      seed: values.seed ? parseInteger('seed', values.seed) : DEFAULT_SEED,
      repeats: values.repeats ? parseCount('repeats', values.repeats) : 1,
      codecs,
      phases: phases as Phase[],
      outFile,
      maxOldSpaceSizeMb: values['max-old-space-size'] ? parseCount('max-old-space-size', values['max-old-space-size'], { min: 16 }) : DEFAULT_MAX_OLD_SPACE_MB,
      timeoutMs: values.timeout ? parseCount('timeout', values.timeout) * 1000 : DEFAULT_TIMEOUT_MS,
      sampleMs: DEFAULT_SAMPLE_MS,
      codecModules,
      nodeBinary: process.execPath,
      sizes: false,
      sizeof: false,
      explain: {
        outDir,
        samplingIntervalBytes: values['sampling-interval']
          ? parseCount('sampling-interval', values['sampling-interval'], { min: 64 })
          : DEFAULT_SAMPLING_INTERVAL_BYTES,
      },
      signal: controller.signal,
      sinks: REPORT_SINKS,
      onProgress: (line) => process.stderr.write(`${line}\n`),
      onCaseDone: (done, total, c) => process.stderr.write(`${progressLine(done, total, c)}\n`),
    });
    process.stdout.write(
      `${renderExplainMarkdown(report, { limit })}\n\nresults: ${outFile}\nmarkdown: ${markdownPathFor(outFile)}\nhtml: ${htmlPathFor(outFile)}\nprofiles: ${outDir}\n`,
    );
    if (report.interrupted) return 130;
    const explainedAll = report.cases.every((c) => c.explain && !c.explain.errors);
    return allOk && explainedAll ? EXIT.ok : EXIT.failed;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
