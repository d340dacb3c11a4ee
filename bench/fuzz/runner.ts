/**
 * Fuzzing a codec's `load`: write seeded mutations of a small valid file,
 * load each in a child process (bench/fuzz/fuzz-child.ts), and classify how
 * each ended. One child loads a whole batch for speed; when it crashes or
 * stops answering, the input it was on is recorded as `crash` / `hang` and a
 * new child resumes after it.
 */
import { fork } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bindCodec, isUnsupported } from '../codecs/bind.js';
import type { Dataset } from '../data/dataset.js';
import { DEFAULT_DATASET, datasetRef, readerDatasetOf } from '../data/registry.js';
import { PROJECT_ROOT } from '../run/paths.js';
import { superviseChild } from '../run/spawn.js';
import type { Codec, DatasetSource } from '../types.js';
import { makeMutations, type Mutation } from './mutate.js';
import { ACCEPTED_OUTCOMES, FUZZ_OUTCOMES, inputPath, type FuzzChildMessage, type FuzzOutcome } from './protocol.js';

export const FUZZ_CHILD = join(PROJECT_ROOT, 'dist', 'bench', 'fuzz', 'fuzz-child.js');
/** Tuples in the valid file that gets mutated: small, so that thousands of loads stay fast. */
export const FUZZ_TUPLES = 20;
/** Records of another dataset in that file: fewer, theirs are larger (a blobs record averages 6 KB). */
export const FUZZ_RECORDS = 8;
/** @default 5 s per load (a 20-tuple file loads in well under a millisecond) */
export const DEFAULT_LOAD_TIMEOUT_MS = 5_000;
/** Heap limit of the fuzz child: a mutated length field that asks for gigabytes should fail fast, not swap. */
export const FUZZ_HEAP_MB = 512;
/** Allowance for a fresh child to start before its first load. */
const STARTUP_MS = 15_000;

export interface FuzzInputResult {
  index: number;
  outcome: FuzzOutcome;
  message?: string;
}

export interface FuzzProblem extends FuzzInputResult {
  kind: Mutation['kind'];
  detail: string;
}

export interface FuzzSummary {
  codec: string;
  dataset: string;
  seed: number;
  count: number;
  counts: Record<FuzzOutcome, number>;
  /** Every input that ended in an outcome a codec is not allowed. */
  problems: FuzzProblem[];
  /** Child processes started (1 + one per crash or hang). */
  children: number;
}

export interface RunInputsOptions {
  codec: string;
  dir: string;
  count: number;
  /** Checksum of the original data: a load that returns it is 'unchanged'. */
  expect: string;
  loadTimeoutMs?: number;
  codecModules?: string[];
  nodeBinary?: string;
  /** The dataset whose binding loads the inputs (default: the tuples), and where a reader's comes from. */
  dataset?: string;
  datasetSource?: DatasetSource;
}

/**
 * Run one fuzz child from `start` (through the run layer's superviseChild: its own process group,
 * killed whole when it ends); resolves with what it answered and, if it stopped early, why.
 */
async function runChildFrom(opts: RunInputsOptions, start: number, results: FuzzInputResult[]): Promise<void> {
  const timeoutMs = opts.loadTimeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS;
  const args = ['--codec', opts.codec, '--dir', opts.dir, '--count', String(opts.count), '--start', String(start), '--expect', opts.expect];
  for (const m of opts.codecModules ?? []) args.push('--codec-module', m);
  if (opts.dataset !== undefined) args.push('--dataset', opts.dataset);
  if (opts.datasetSource !== undefined) args.push('--dataset-source', JSON.stringify(opts.datasetSource));
  const execPath = opts.nodeBinary ?? process.execPath;
  let next = start;
  const end = await superviseChild(
    () =>
      fork(FUZZ_CHILD, args, {
        execPath,
        execArgv: [`--max-old-space-size=${FUZZ_HEAP_MB}`],
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        detached: true, // its own process group, so a kill reaches anything it started
      }),
    // the first answer may take a start-up; each next one a load
    { timeoutMs: STARTUP_MS + timeoutMs, idleTimeoutMs: timeoutMs, binary: execPath, transport: 'ipc' },
    (m) => {
      const answer = m as unknown as FuzzChildMessage;
      results.push(answer);
      next = answer.index + 1;
    },
  );
  if (next >= opts.count) return;
  if (end.timedOut) results.push({ index: next, outcome: 'hang', message: `no answer within ${timeoutMs} ms (child killed)` });
  else {
    const how = end.signal ? `killed by ${end.signal}` : `exited with code ${end.code}`;
    const why = [end.childError ?? '', ...end.stderr.trim().split('\n')].filter(Boolean).slice(-3).join(' | ');
    results.push({ index: next, outcome: 'crash', message: `child ${how}${why ? `: ${why}` : ''}`.slice(0, 800) });
  }
}

/** Load inputs 0..count-1 of `dir`, restarting the child after each crash or hang. */
export async function runInputs(opts: RunInputsOptions): Promise<{ results: FuzzInputResult[]; children: number }> {
  const results: FuzzInputResult[] = [];
  let children = 0;
  while (results.length < opts.count) {
    const before = results.length;
    await runChildFrom(opts, results.length, results);
    children++;
    if (results.length === before) throw new Error(`fuzz child for ${opts.codec} made no progress at input ${before}`);
  }
  return { results, children };
}

export interface FuzzCodecOptions {
  /** The codec under test and every registered codec (whose valid files are the "other format" inputs). */
  codec: Codec;
  all: readonly Codec[];
  count: number;
  seed: number;
  /** An empty folder for the inputs. */
  dir: string;
  loadTimeoutMs?: number;
  /** The dataset of the valid file (default: the tuples); `codec` must be able to carry it. */
  dataset?: Dataset;
}

/**
 * Make `count` seeded mutations of a valid small file of `codec` (`FUZZ_TUPLES` tuples, or
 * `FUZZ_RECORDS` records of another dataset, written through the codec's binding) and load each.
 * The "other format" inputs are the valid files of every codec in `all` that carries the dataset.
 */
export async function fuzzCodec(opts: FuzzCodecOptions): Promise<FuzzSummary> {
  const dataset = opts.dataset ?? ((await import('../data/builtin.js')).tuples as unknown as Dataset);
  const data = dataset.generate(dataset.name === DEFAULT_DATASET ? FUZZ_TUPLES : FUZZ_RECORDS, opts.seed);
  const validDir = join(opts.dir, 'valid');
  const inputDir = join(opts.dir, opts.codec.name);
  mkdirSync(validDir, { recursive: true });
  mkdirSync(inputDir, { recursive: true });
  const files = new Map<string, Uint8Array>();
  for (const c of opts.all) {
    const bound = bindCodec(c, datasetRef(dataset));
    if (isUnsupported(bound)) {
      if (c === opts.codec) throw new Error(`fuzz: ${c.name} cannot carry the dataset ${dataset.name}: ${bound.unsupported}`);
      continue;
    }
    const p = join(validDir, `${c.name}.${c.extension}`);
    await c.init?.();
    await bound.init?.();
    await bound.dump(data, p);
    files.set(c.name, readFileSync(p));
  }
  const valid = files.get(opts.codec.name)!;
  const others = [...files].filter(([name]) => name !== opts.codec.name).map(([name, bytes]) => ({ name, bytes }));
  const mutations = makeMutations(valid, others, opts.seed, opts.count);
  for (const m of mutations) writeFileSync(inputPath(inputDir, opts.codec, m.index), m.bytes);

  const { results, children } = await runInputs({
    codec: opts.codec.name,
    dir: inputDir,
    count: opts.count,
    expect: dataset.checksum(data as never),
    ...(opts.loadTimeoutMs ? { loadTimeoutMs: opts.loadTimeoutMs } : {}),
    ...(dataset.name !== DEFAULT_DATASET ? { dataset: dataset.name } : {}),
    ...(readerDatasetOf(dataset.name) ? { datasetSource: readerDatasetOf(dataset.name)!.source } : {}),
  });
  const counts = Object.fromEntries(FUZZ_OUTCOMES.map((o) => [o, 0])) as Record<FuzzOutcome, number>;
  const problems: FuzzProblem[] = [];
  for (const r of results) {
    counts[r.outcome]++;
    if (!ACCEPTED_OUTCOMES.includes(r.outcome)) {
      const m = mutations[r.index]!;
      problems.push({ ...r, kind: m.kind, detail: m.detail });
    }
  }
  return { codec: opts.codec.name, dataset: dataset.name, seed: opts.seed, count: opts.count, counts, problems, children };
}
