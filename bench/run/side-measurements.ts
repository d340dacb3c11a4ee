/**
 * The side measurements: not fresh-process memory runs, but figures about the same codecs that
 * the report carries beside them. Compressed sizes of a verified file (while it exists: the
 * scheduler's sizes task calls addSizes, in a job slot like a measured child), then, after every memory case, throughput and the
 * sizeof table. A side measurement that fails loses no case; it reports its failure through
 * `progress` and answers so, and the run's exit code says something failed.
 */
import { execFile } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { promisify } from 'node:util';
import { CODECS } from '../codecs/index.js';
import { DEFAULT_DATASET, getDefinition, readerDatasetOf } from '../data/registry.js';
import { errorMessage } from '../errors.js';
import { canMeasureSizeof } from '../measure/capabilities.js';
import { shuffled } from '../shuffle.js';
import type { ThroughputDatasetSpec } from '../throughput/child.js';
import type { CompressedSizes, ImportCost, Report, SizeRow, SuiteOptions, ThroughputSection } from '../types.js';
import { Interrupted } from './case.js';
import { IMPORT_CHILD_SCRIPT, SIZES_CHILD_SCRIPT } from './paths.js';
import { datasetPrefix } from './planned-case.js';

/** Add a sizes row in the order of the run's datasets and codecs (per N), whatever order the compressions finished in (--jobs overlaps them). */
export function addSizeRow(report: Report, row: SizeRow): void {
  const datasets = report.config.datasets.map((d) => d.name);
  const order = (r: SizeRow): [number, number, number] => [datasets.indexOf(r.dataset), r.n, report.config.codecs.indexOf(r.codec)];
  report.sizes = [...(report.sizes ?? []), row].sort((a, b) => {
    const [ad, an, ac] = order(a);
    const [bd, bn, bc] = order(b);
    return ad - bd || an - bn || ac - bc;
  });
}

/** Raw and compressed sizes of a codec's (verified) file of one dataset at one N, measured while it still exists. */
export async function addSizes(
  report: Report,
  { dataset, codec, n }: { dataset: string; codec: string; n: number },
  file: string,
  sha256: string | undefined,
  opts: SuiteOptions,
  progress: (l: string) => void,
): Promise<SizeRow | undefined> {
  let sizes: CompressedSizes;
  try {
    // on the Node under test (--node, matrix): its zlib, and zstd where that version has it
    const { stdout } = await promisify(execFile)(opts.nodeBinary, [SIZES_CHILD_SCRIPT, file, ...(opts.brotli === false ? ['--no-brotli'] : [])], {
      timeout: opts.timeoutMs,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    sizes = JSON.parse(stdout.trim().split('\n').pop() ?? '') as CompressedSizes;
  } catch (err) {
    if (opts.signal?.aborted) throw new Interrupted();
    const e = err as { stderr?: string; message?: string };
    progress(`      ${datasetPrefix(dataset)}${codec} n=${n}: compressed sizes failed: ${(e.stderr?.trim() || e.message || String(err)).split('\n').pop()}`);
    return undefined;
  }
  const row: SizeRow = { dataset, codec, n, ...sizes, ...(sha256 ? { sha256 } : {}) };
  addSizeRow(report, row);
  progress(
    `      ${datasetPrefix(dataset)}${codec} n=${n.toLocaleString('en-US')}: file ${sizes.rawBytes} B, gzip ${sizes.gzip.bytes} B, brotli ${sizes.brotli === 'skipped' ? 'skipped' : `${sizes.brotli.bytes} B`}, zstd ${sizes.zstd === 'n/a' ? 'n/a' : `${sizes.zstd.bytes} B`}`,
  );
  return row;
}

/**
 * What importing `codec` costs a fresh process (bench/measure/import-child.ts), on the Node under
 * test with the measured children's `flags`; `modulePath` is its --codec-module (none for a
 * built-in codec). Undefined (and a progress line) when the child fails.
 */
export async function measureImport(
  codec: string,
  modulePath: string | undefined,
  flags: readonly string[],
  opts: SuiteOptions,
  progress: (l: string) => void,
): Promise<ImportCost | undefined> {
  try {
    const { stdout } = await promisify(execFile)(
      opts.nodeBinary,
      [...flags, IMPORT_CHILD_SCRIPT, '--codec', codec, ...(modulePath !== undefined ? ['--codec-module', modulePath] : [])],
      { timeout: opts.timeoutMs, ...(opts.signal ? { signal: opts.signal } : {}) },
    );
    return JSON.parse(stdout.trim().split('\n').pop() ?? '') as ImportCost;
  } catch (err) {
    if (opts.signal?.aborted) throw new Interrupted();
    const e = err as { stderr?: string; message?: string };
    // the error's own line, not the last line of its stack
    progress(`      ${codec}: import cost not measured: ${(e.stderr?.trim() || e.message || String(err)).split('\n')[0]}`);
    return undefined;
  }
}

/** The built-in codecs of the run, and the codec modules a throughput process measures after them. */
function throughputCodecs(opts: SuiteOptions): string[] {
  return opts.codecs.filter((c) => CODECS.some((x) => x.name === c));
}

/**
 * The datasets a throughput process times, each with its batch (bench/throughput/run-child.ts
 * batchFor); undefined for the tuples alone, whose section stays as it was before datasets.
 */
async function throughputDatasets(
  opts: SuiteOptions,
  batchFor: (tuplesBatch: number, defaultN: number, tuplesDefaultN: number) => number,
): Promise<ThroughputDatasetSpec[] | undefined> {
  if (opts.datasets.every((d) => d.name === DEFAULT_DATASET)) return undefined;
  const tuplesN = (await getDefinition(DEFAULT_DATASET)).defaultN;
  const specs: ThroughputDatasetSpec[] = [];
  for (const { name } of opts.datasets) {
    const source = readerDatasetOf(name)?.source;
    specs.push({ name, batch: batchFor(opts.throughput!.batch, (await getDefinition(name)).defaultN, tuplesN), ...(source ? { source } : {}) });
  }
  return specs;
}

/** What one throughput operation handles, for the progress line: '10000 tuples', or each dataset's batch. */
export async function batchText(opts: SuiteOptions): Promise<string> {
  const { batchFor } = await import('../throughput/run-child.js');
  const specs = await throughputDatasets(opts, batchFor);
  return specs ? specs.map((d) => `${d.name} ${d.batch}`).join(', ') : `${opts.throughput!.batch} tuples`;
}

/**
 * Throughput process `k` of a run: one fresh child on the suite's Node binary that times every codec,
 * the built-in ones in the order drawn from (orderSeed, k). Throws Interrupted; other failures throw.
 */
export async function throughputProcess(opts: SuiteOptions, k: number, orderSeed: number, progress: (l: string) => void): Promise<ThroughputSection> {
  const { batchFor, runThroughputChild } = await import('../throughput/run-child.js');
  const { processes, ...perProcess } = opts.throughput!;
  const datasets = await throughputDatasets(opts, batchFor);
  try {
    return await runThroughputChild({
      nodeBinary: opts.nodeBinary,
      codecs: shuffled(throughputCodecs(opts), orderSeed, k),
      codecModules: opts.codecModules,
      ...(datasets ? { datasets } : {}),
      seed: opts.seed,
      ...perProcess,
      onProgress: (l) => progress(`      [${k + 1}/${processes}] ${l}`),
      // one child measures every codec: give it the per-child wall limit per codec
      signal: AbortSignal.any([...(opts.signal ? [opts.signal] : []), AbortSignal.timeout(opts.timeoutMs * Math.max(1, opts.codecs.length))]),
    });
  } catch (err) {
    if (opts.signal?.aborted) throw new Interrupted();
    throw err;
  }
}

/** The processes' sections merged into the report's throughput section, rows in the run's codec order. */
export async function setThroughput(report: Report, opts: SuiteOptions, sections: readonly ThroughputSection[], orderSeed: number): Promise<void> {
  const { mergeThroughput } = await import('../throughput/merge.js');
  const builtIn = throughputCodecs(opts);
  const modules = sections[0]!.rows.map((r) => r.codec).filter((c) => !builtIn.includes(c));
  report.throughput = mergeThroughput(sections, [...builtIn, ...modules], orderSeed);
}

/**
 * In-process throughput of every codec, in `processes` fresh children one after another, each
 * measuring the codecs in its own shuffled order (recorded with its seed), merged into one section
 * that keeps every process's figures (bench/throughput/merge.ts). `footprint matrix` interleaves the
 * processes of its variants instead (bench/run/interleave.ts).
 */
export async function addThroughput(report: Report, opts: SuiteOptions, progress: (l: string) => void): Promise<boolean> {
  if (!opts.throughput) return true;
  const orderSeed = randomInt(2 ** 31);
  progress(`throughput (in-process, warmed JIT, tinybench): ${await batchText(opts)} per operation, ${opts.throughput.processes} fresh processes`);
  try {
    const sections: ThroughputSection[] = [];
    for (let k = 0; k < opts.throughput.processes; k++) sections.push(await throughputProcess(opts, k, orderSeed, progress));
    await setThroughput(report, opts, sections, orderSeed);
    return true;
  } catch (err) {
    if (err instanceof Interrupted) throw err;
    progress(`throughput failed: ${errorMessage(err)}`);
    return false;
  }
}

/**
 * The sizeof table for the children's Node binary, and its per-tuple model
 * set against the data heap the dump children measured at the largest N.
 * A failure here loses no figures; it makes the run's exit code 1.
 */
export async function addSizeof(report: Report, opts: SuiteOptions, snapshotDir: string, progress: (l: string) => void): Promise<boolean> {
  // not where the heap is not V8's (Bun: no V8 heap snapshot); the report's capability table says so
  if (!canMeasureSizeof(report.environment.runtime)) return true;
  const { measureSizeof, withMeasurement } = await import('../sizeof/measure.js');
  try {
    // the run's other datasets: the first record of each joins the values (their records' heap is the report's data table)
    const others = opts.datasets.filter((d) => d.name !== DEFAULT_DATASET).map(({ name }) => ({ name, source: readerDatasetOf(name)?.source }));
    const sizeof = await measureSizeof({ nodeBinary: opts.nodeBinary, tupleN: 0, snapshotDir, seed: opts.seed, datasets: others });
    // the per-tuple model is set against the tuples' data heap (another dataset's records are not tuples); without the tuples, no model
    if (others.length === opts.datasets.length) delete sizeof.tupleModel;
    const measured = [...report.data].reverse().find((d) => d.dataset === DEFAULT_DATASET && d.heapBytes !== null && d.n > 0);
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
    progress(`sizeof table failed: ${errorMessage(err)}`);
    return false;
  }
}
