/**
 * In-process encode/decode throughput of every codec, timed with tinybench.
 *
 * What is timed, and why: each iteration calls the codec's own `dump(batch,
 * path)` (encode) or `load(path)` (decode) against a file in a RAM-backed
 * directory (/dev/shm, tmpfs). The `Codec` interface has no in-memory entry
 * point, and adding optional `encode`/`decode` members would time a second
 * code path that can drift from the one the memory runs measure. Going
 * through dump/load on tmpfs times exactly the measured code, takes streaming
 * codecs through their real stream pipeline (backpressure included), and costs
 * no disk I/O: the "file" is page cache. What remains on top of pure
 * encoding is the copy into/out of the page cache and the open/close syscalls,
 * a small and honest part of a real dump. Where /dev/shm is missing the OS
 * temp dir is used and the section records its filesystem type.
 *
 * This is separate from the fresh-process memory runs: all codecs share one
 * process, the JIT is warmed by tinybench's warm-up, and GC from earlier tasks
 * can land in later samples. Reports label it "in-process, warmed JIT".
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bench, type Task } from 'tinybench';
import type { Codec, DatasetCodec, ThroughputOptions, ThroughputRow, ThroughputSection, DirectionStats } from '../types.js';
import type { Dataset } from '../data/dataset.js';
import { datasetRef } from '../data/registry.js';
import { bindCodec, isUnsupported, unsupportedText } from '../codecs/bind.js';
import { defaultScratchDir, describeScratch } from './scratch.js';
import { errorText } from '../errors.js';

/**
 * Per task and process. The run measures every codec in THROUGHPUT_PROCESSES fresh processes, so
 * each process's budget is a fraction of what one process had (150 ms and 12 iterations, warm-up
 * 100 ms and 8, against 1000/64 and 250/16; with 200/16 the three took 66-68 s here, against 60-65 s
 * for the one process), so the default run's throughput part takes no more wall time than before,
 * and compare gets three values a side to test.
 */
export const THROUGHPUT_DEFAULTS = {
  batch: 10_000,
  seed: 42,
  warmupTimeMs: 100,
  warmupIterations: 8,
  timeMs: 150,
  iterations: 12,
} as const satisfies Omit<ThroughputOptions, 'dir' | 'onProgress' | 'signal'>;

/** Fresh processes that each time every codec (`--throughput-processes`): the replicates compare tests. */
export const THROUGHPUT_PROCESSES = 3;

function tinybenchVersion(): string {
  try {
    // tinybench's exports map hides package.json; find it next to the resolved entry (dist/index.js)
    const entry = fileURLToPath(import.meta.resolve('tinybench'));
    const pkg = JSON.parse(readFileSync(join(entry, '..', '..', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

function statsOf(task: Task, batch: number, encodedBytes: number): DirectionStats {
  const r = task.result;
  if (r.state !== 'completed') {
    const why = r.state === 'errored' ? errorText(r.error) : `tinybench task ended as '${r.state}'`;
    throw new Error(`${task.name}: ${why}`);
  }
  const l = r.latency;
  const opsPerSec = l.mean > 0 ? 1000 / l.mean : 0;
  return {
    samples: l.samplesCount,
    meanMs: l.mean,
    p50Ms: l.p50,
    p99Ms: l.p99,
    minMs: l.min,
    maxMs: l.max,
    rmePercent: l.rme,
    opsPerSec,
    tuplesPerSec: opsPerSec * batch,
    encodedBytesPerSec: opsPerSec * encodedBytes,
  };
}

function validate(opts: ThroughputOptions): void {
  const ints: (keyof ThroughputOptions)[] = ['batch', 'warmupIterations', 'iterations'];
  for (const k of ints) {
    const v = opts[k];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < (k === 'batch' || k === 'iterations' ? 1 : 0)) {
      throw new RangeError(`throughput: ${k} must be a ${k === 'warmupIterations' ? 'non-negative' : 'positive'} integer, got ${String(v)}`);
    }
  }
  for (const k of ['warmupTimeMs', 'timeMs'] as const) {
    if (!Number.isFinite(opts[k]) || opts[k] < 0) throw new RangeError(`throughput: ${k} must be a non-negative number, got ${opts[k]}`);
  }
}

/** A dataset the throughput times, with its batch (records per operation). */
export interface ThroughputDataset {
  dataset: Dataset;
  batch: number;
}

/** One dataset's batch, generated once for every codec, and the checksum a decoded batch must have. */
interface Batch {
  dataset: Dataset;
  rows: readonly unknown[];
  expected: string;
}

/** Time one codec's dump and load of the batch; every failure becomes a row state, never a throw. */
async function measureCodec(
  codec: Codec,
  bound: DatasetCodec,
  { dataset, rows, expected }: Batch,
  dir: string,
  opts: ThroughputOptions,
): Promise<{ row: ThroughputRow; timer: string | null }> {
  const row: ThroughputRow = {
    dataset: dataset.name,
    codec: codec.name,
    kind: codec.kind,
    state: 'ok',
    encodedBytes: null,
    verified: false,
    encode: null,
    decode: null,
  };
  const readPath = join(dir, `${codec.name}-read.${codec.extension}`);
  const writePath = join(dir, `${codec.name}-write.${codec.extension}`);
  try {
    // Round trip once, outside the timing: a lossy codec is reported, not timed.
    await bound.dump(rows, readPath);
    row.encodedBytes = (await stat(readPath)).size;
    if (dataset.checksum(await bound.load(readPath)) !== expected) {
      row.state = 'lossy';
      row.error = 'decoded batch checksum differs from the generated batch; not timed';
      return { row, timer: null };
    }

    const bench = new Bench({
      name: codec.name,
      time: opts.timeMs,
      iterations: opts.iterations,
      warmupTime: opts.warmupTimeMs,
      warmupIterations: opts.warmupIterations,
      warmup: opts.warmupTimeMs > 0 || opts.warmupIterations > 0,
      timestampProvider: 'hrtimeNow',
      throws: false,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    bench.add('encode', () => bound.dump(rows, writePath), { async: true });
    bench.add('decode', () => bound.load(readPath), { async: true });
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    await bench.run();

    const [enc, dec] = bench.tasks;
    if (!enc || !dec) throw new Error('tinybench returned no tasks');
    row.encode = statsOf(enc, rows.length, row.encodedBytes);
    row.decode = statsOf(dec, rows.length, row.encodedBytes);

    // The file the last timed dump wrote must decode to the same batch too.
    row.verified = dataset.checksum(await bound.load(writePath)) === expected;
    if (!row.verified) {
      row.state = 'lossy';
      row.error = 'the file written by the timed dump does not decode to the generated batch';
    }
    return { row, timer: enc.result.timestampProviderName };
  } catch (err) {
    row.state = 'failed';
    row.error = errorText(err);
    row.encode = null;
    row.decode = null;
    return { row, timer: null };
  } finally {
    await rm(readPath, { force: true });
    await rm(writePath, { force: true });
  }
}

/**
 * Encode and decode throughput of each codec on one in-memory batch per dataset (`datasets`, each
 * with its own batch; absent: the tuples, `opts.batch` of them). Datasets one after another, and in
 * each the codecs in the given order; a codec that fails or loses data becomes a row with that
 * state, one that cannot carry the dataset a row 'n/a' with the reason (never silently left out).
 */
export async function measureThroughput(
  codecs: readonly Codec[],
  opts: ThroughputOptions,
  datasets?: readonly ThroughputDataset[],
): Promise<ThroughputSection> {
  validate(opts);
  const base = opts.dir ?? defaultScratchDir();
  const scratch = describeScratch(base);
  const dir = await mkdtemp(join(base, 'footprint-throughput-'));
  const timed = datasets ?? [{ dataset: (await import('../data/builtin.js')).tuples as unknown as Dataset, batch: opts.batch }];
  const rows: ThroughputRow[] = [];
  let timer = 'hrtimeNow';
  try {
    for (const { dataset, batch } of timed) {
      const generated = dataset.generate(batch, opts.seed);
      const b: Batch = { dataset, rows: generated, expected: dataset.checksum(generated as never) };
      for (const codec of codecs) {
        if (opts.signal?.aborted) break;
        const bound = bindCodec(codec, datasetRef(dataset));
        if (isUnsupported(bound)) {
          rows.push({
            dataset: dataset.name,
            codec: codec.name,
            kind: codec.kind,
            state: 'n/a',
            error: unsupportedText(bound),
            encodedBytes: null,
            verified: false,
            encode: null,
            decode: null,
          });
          continue;
        }
        await codec.init?.();
        await bound.init?.();
        const { row, timer: t } = await measureCodec(codec, bound, b, dir, opts);
        if (t) timer = t;
        rows.push(row);
        const who = timed.length > 1 ? `${dataset.name} ${codec.name}` : codec.name;
        opts.onProgress?.(
          row.state === 'ok' && row.encode && row.decode
            ? `throughput ${who}: encode ${row.encode.meanMs.toFixed(2)} ms ±${row.encode.rmePercent.toFixed(1)}%, decode ${row.decode.meanMs.toFixed(2)} ms ±${row.decode.rmePercent.toFixed(1)}%`
            : `throughput ${who}: ${row.state}: ${row.error ?? ''}`,
        );
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return {
    method: 'in-process-warmed-jit',
    batch: opts.batch,
    seed: opts.seed,
    warmupTimeMs: opts.warmupTimeMs,
    warmupIterations: opts.warmupIterations,
    timeMs: opts.timeMs,
    iterations: opts.iterations,
    scratchDir: scratch.dir,
    scratchFsType: scratch.fsType,
    timer,
    tinybenchVersion: tinybenchVersion(),
    gcBetweenCodecs: typeof (globalThis as { gc?: unknown }).gc === 'function',
    rows,
    ...(datasets ? { batches: Object.fromEntries(datasets.map((d) => [d.dataset.name, d.batch])) } : {}),
  };
}
