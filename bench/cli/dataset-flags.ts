/**
 * `--datasets LIST|all` and the `--n` that goes with it: which built-in datasets a run measures, and
 * at which N each. `--n 1e5,1e6` sets every selected dataset's N; `name=N` items set one dataset's
 * (`--n logs=2e5,tuples=1e6`, repeatable for a sweep); a dataset no item names runs at its default N.
 */
import { resolve } from 'node:path';
import { checkDatasetModule } from '../data/module-check.js';
import { loadDatasetModule } from '../data/module.js';
import { addReaderDataset, DATASET_NAMES, DEFAULT_DATASET, getDefinition } from '../data/registry.js';
import { sha256File } from '../measure/file-hash.js';
import type { SampleDataset } from '../data/sample.js';
import type { DatasetRun } from '../types.js';
import { parseCount, parseList } from './args.js';

const count = (n: number): string => n.toLocaleString('en-US');
import { UsageError } from './errors.js';

export const DATASET_HELP = `  --datasets LIST       built-in datasets to measure, in this order, or 'all'    [${DEFAULT_DATASET}]
                        (${DATASET_NAMES.join(', ')}); a format that cannot carry one is n/a there;
                        all: 1 repeat and half-budget throughput unless given (docs/datasets.md)
  --dataset-module PATH a JavaScript module exporting a schema and generate(n, seed): your own dataset
                        (repeatable; then the default --datasets); examples/orders-dataset.mjs
  --data FILE           an NDJSON sample (one JSON object a line): your own records, the schema inferred
                        and printed; the records repeated to N (default 100,000, or the sample's count
                        if larger); footprint datasets --infer FILE prints the schema alone
  --uint64 PATH[,PATH]  with --data: integers at these paths are uint64 (a.b, items[].id, tags{})
  --data-schema FILE    with --data: a schema file (JSON form) instead of the inference
  --n LIST              records; a comma list runs a sweep (1e6 notation ok); name=N items set one
                        dataset's N (--n logs=2e5,tuples=1e6)                  [each dataset's default]
`;

/**
 * The selected datasets, in the order given (`all`: the built-ins in the registry's order). `readers`: the
 * datasets of --dataset-module and --data files, which may be named too, and which alone are the default when given.
 */
export function parseDatasetList(text: string | undefined, readers: readonly string[] = []): string[] {
  if (text === undefined) return readers.length > 0 ? [...readers] : [DEFAULT_DATASET];
  const known = [...DATASET_NAMES, ...readers];
  const names = parseList('datasets', text);
  const out: string[] = [];
  for (const name of names) {
    const expanded = name === 'all' ? DATASET_NAMES : [name];
    for (const x of expanded) {
      if (!known.includes(x)) throw new UsageError(`--datasets: unknown dataset '${x}'; datasets: ${known.join(', ')}, or all`);
      if (!out.includes(x)) out.push(x);
    }
  }
  return out;
}

/**
 * `--datasets all` is a preset (docs/datasets.md, "Every dataset in one run"): the five datasets at
 * their default N take about five default runs, so, for the flags not given, one repeat per case and
 * throughput at half its budget. Every figure keeps its meaning; what a single run cannot show
 * (spreads, modes) the report says it did not measure. `undefined` when the preset does not apply.
 */
export function allDatasetsPreset(
  datasetsText: string | undefined,
  given: ReadonlySet<string>,
): { repeats?: number; halfThroughput: boolean; throughputProcesses?: number; brotli?: false; line: string } | undefined {
  if (datasetsText === undefined || !parseList('datasets', datasetsText).includes('all')) return undefined;
  const repeats = given.has('repeats') ? undefined : ALL_DATASETS_REPEATS;
  const halfThroughput = !given.has('bench-time') && !given.has('warmup-time');
  const throughputProcesses = given.has('throughput-processes') ? undefined : ALL_DATASETS_THROUGHPUT_PROCESSES;
  const noBrotli = !given.has('brotli') && !given.has('no-brotli');
  const parts = [
    ...(repeats !== undefined ? [`${repeats} repeat per case (give --repeats 3 for spreads and modes: three times the children)`] : []),
    ...(halfThroughput ? ['throughput at half its time budget'] : []),
    ...(throughputProcesses !== undefined ? [`in ${throughputProcesses} processes`] : []),
    ...(noBrotli ? ['no brotli among the compressed sizes (--brotli adds it)'] : []),
  ];
  if (parts.length === 0) return undefined;
  return {
    ...(repeats !== undefined ? { repeats } : {}),
    halfThroughput,
    ...(throughputProcesses !== undefined ? { throughputProcesses } : {}),
    ...(noBrotli ? { brotli: false as const } : {}),
    line: `--datasets all: ${parts.join('; ')}`,
  };
}

/** Throughput processes under `--datasets all` (3 otherwise): two a side is what compare needs to test. */
export const ALL_DATASETS_THROUGHPUT_PROCESSES = 2;

/** Fresh processes per case under `--datasets all` when --repeats is not given. */
export const ALL_DATASETS_REPEATS = 1;

/** Each selected dataset with its N (ascending, without repeats): from `--n`, else its default. */
export async function datasetRuns(names: readonly string[], nText: string | undefined): Promise<DatasetRun[]> {
  const every: number[] = [];
  const named = new Map<string, number[]>();
  for (const item of nText === undefined ? [] : parseList('n', nText)) {
    const eq = item.indexOf('=');
    if (eq < 0) {
      every.push(parseCount('n', item));
      continue;
    }
    const name = item.slice(0, eq).trim();
    if (!names.includes(name)) {
      throw new UsageError(`--n ${item}: '${name}' is not a dataset of this run (--datasets: ${names.join(', ')})`);
    }
    let count: number;
    try {
      count = parseCount('n', item.slice(eq + 1));
    } catch {
      throw new UsageError(`--n ${item}: ${name}'s N must be an integer ≥ 1 (1e6 notation is fine), got ${JSON.stringify(item.slice(eq + 1))}`);
    }
    named.set(name, [...(named.get(name) ?? []), count]);
  }
  const runs: DatasetRun[] = [];
  for (const name of names) {
    const given = named.get(name) ?? every;
    const n = given.length > 0 ? given : [(await getDefinition(name)).defaultN];
    runs.push({ name, n: [...new Set(n)].sort((a, b) => a - b) });
  }
  return runs;
}

/** Every N of the run, ascending (`config.n`: what readers that know one dataset read). */
export function unionOfN(runs: readonly DatasetRun[]): number[] {
  return [...new Set(runs.flatMap((r) => r.n))].sort((a, b) => a - b);
}

/** `N = 1000, 10000` (the tuples alone, as before datasets) or `tuples N = 1000; logs N = 675000`. */
export function describeRuns(runs: readonly DatasetRun[]): string {
  if (runs.length === 1 && runs[0]!.name === DEFAULT_DATASET) return `N = ${runs[0]!.n.join(', ')}`;
  return runs.map((r) => `${r.name} N = ${r.n.join(', ')}`).join('; ');
}

/**
 * `--dataset-module` files: each imported, checked (a deterministic generator of records that fit its
 * schema) and made known by its name with its SHA-256; a bad one is one line naming the file (DatasetModuleError, exit 2).
 */
export async function loadReaderModules(paths: readonly string[], seed: number): Promise<string[]> {
  const names: string[] = [];
  for (const p of paths) {
    const path = resolve(p);
    const def = await loadDatasetModule(p, [...DATASET_NAMES, ...names]);
    checkDatasetModule(def, p, def.defaultN, seed);
    addReaderDataset(def, { kind: 'module', path, sha256: await sha256File(path) });
    names.push(def.name);
  }
  return names;
}

/** The flags of a `--data` sample, as parseArgs gives them. */
export interface SampleFlags {
  data?: string[];
  uint64?: string[];
  'data-schema'?: string;
}

/** The sample `--data` names (with `--uint64`, `--data-schema`), read and its schema inferred, or undefined without `--data`. */
export async function sampleFromFlags(flags: SampleFlags): Promise<SampleDataset | undefined> {
  const uint64Paths = (flags.uint64 ?? []).flatMap((x) => parseList('uint64', x));
  const schemaFile = flags['data-schema'];
  const files = flags.data ?? [];
  if (files.length === 0) {
    if (uint64Paths.length > 0 || schemaFile !== undefined) throw new UsageError(`--${schemaFile !== undefined ? 'data-schema' : 'uint64'} needs --data FILE`);
    return undefined;
  }
  if (files.length > 1) throw new UsageError(`--data ${files[1]}: one sample a run (--uint64 and --data-schema belong to it); run each sample on its own`);
  const { sampleDataset } = await import('../data/sample.js'); // the sample reader and its JSON parser, only for --data
  return sampleDataset(files[0]!, { uint64Paths, ...(schemaFile !== undefined ? { schemaFile } : {}) });
}

/**
 * `--data FILE` (with `--uint64`, `--data-schema`): the sample read, its schema inferred (or read and
 * every record checked against it), made known by its name with the file's SHA-256. The report
 * carries the inference notes and a repetition note; every measured child reads the file again
 * (bench/measure/child.ts). A bad sample is one line naming the file and the line (DataSampleError, exit 2).
 * One sample a run: `--uint64` and `--data-schema` then say which file they belong to.
 */
export async function loadReaderSample(flags: SampleFlags, taken: readonly string[]): Promise<SampleDataset | undefined> {
  const sample = await sampleFromFlags(flags);
  if (!sample) return undefined;
  const { name } = sample.definition;
  const { source } = sample;
  if (taken.includes(name)) throw new UsageError(`--data ${source.path}: its dataset name '${name}' is taken by a --dataset-module; rename the file`);
  const k = count(source.sampleRecords);
  addReaderDataset(
    sample.definition,
    {
      ...source,
      path: resolve(source.path), // absolute: a report read later names the file it measured, a reproduce line runs from any folder
      uint64Paths: [...source.uint64Paths],
      ...(source.schemaFile !== undefined ? { schemaFile: resolve(source.schemaFile) } : {}),
    },
    [
      ...sample.notes,
      `the N records repeat the ${k} sample records (record i is a copy of sample record i mod ${k}): repetition makes the data more compressible and can favour formats that deduplicate (msgpackr records, string interning); treat compressed sizes with care`,
    ],
  );
  return sample;
}
