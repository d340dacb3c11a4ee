/**
 * `footprint sizeof`: what JavaScript values cost in V8's heap, measured from a
 * heap snapshot of a fresh child process (see bench/sizeof/).
 */
import { accessSync, constants } from 'node:fs';
import { readerDatasetOf } from '../data/registry.js';
import type { DatasetSource } from '../types.js';
import { loadReaderModules, parseDatasetList } from './dataset-flags.js';
import { measureSizeof, SizeofExprError } from '../sizeof/measure.js';
import { renderSizeofMarkdown, renderSizeofText } from '../report/sizeof.js';
import { EXIT, UsageError } from './errors.js';
import { parseFlags } from './args.js';

export const summary = "sizes of JavaScript values in V8's heap (shallow, retained), from a heap snapshot";

/** Tuples generated for the suite-side bytes-per-tuple figure. */
export const DEFAULT_SIZEOF_TUPLES = 1_000_000;

/** Records generated per --dataset for its bytes per record. */
export const DEFAULT_SIZEOF_RECORDS = 100_000;

export const help = `usage: footprint sizeof [--expr '<JavaScript expression>']... [--defaults] [--node <binary>] [--tuples N]
                      [--dataset LIST [--records N] [--dataset-module PATH]] [--json | --markdown]

Prints the shallow and retained size in V8's heap of a default set of values
(or of your expressions), recursively for containers, measured from a heap
snapshot of a fresh child process.

  --expr <js>      measure this expression's value instead of the default set
                   (repeatable). It RUNS the given code in the child process.
  --defaults       with --expr: measure the default set too
  --node <binary>  run the child under this Node binary (compare versions)
  --tuples N       tuples generated for the measured bytes per tuple of the
                   per-tuple model (default ${DEFAULT_SIZEOF_TUPLES}; 0 = skip)
  --dataset LIST   also measure these datasets (built-in names, 'all', or the
                   name of a --dataset-module's dataset): the first record's
                   sizes among the values, and the heap per record of N records
  --records N      records generated per dataset for its heap per record
                   (default ${DEFAULT_SIZEOF_RECORDS}; 0 = skip)
  --dataset-module PATH  your own dataset (a module with schema and generate)
  --seed S         generator seed (default 42)
  --json           print the SizeofReport as JSON
  --markdown       print the markdown section (as in the results report)
`;

function count(flag: string, raw: string): number {
  const v = Number(raw);
  if (!Number.isSafeInteger(v) || v < 0) throw new UsageError(`${flag} must be a non-negative integer, got '${raw}'`);
  return v;
}

/** The --dataset names (a comma list each, 'all' = the built-ins) with the source of a reader's dataset (--dataset-module, checked as run checks it). */
async function sizeofDatasets(lists: readonly string[], modules: readonly string[], seed: number): Promise<{ name: string; source?: DatasetSource }[]> {
  const readers = await loadReaderModules(modules, seed);
  const names = lists.length > 0 ? parseDatasetList(lists.join(','), readers) : readers;
  return names.map((name) => {
    const source = readerDatasetOf(name)?.source;
    return source ? { name, source } : { name };
  });
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseFlags('sizeof', {
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      expr: { type: 'string', multiple: true },
      defaults: { type: 'boolean' },
      node: { type: 'string' },
      tuples: { type: 'string' },
      dataset: { type: 'string', multiple: true },
      'dataset-module': { type: 'string', multiple: true },
      records: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean' },
      markdown: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(help);
    return EXIT.ok;
  }
  const exprs = values.expr ?? [];
  for (const e of exprs) if (e.trim() === '') throw new UsageError('sizeof: --expr needs a JavaScript expression, got an empty string');
  const defaults = exprs.length === 0 || values.defaults === true;
  const tupleN = values.tuples === undefined ? DEFAULT_SIZEOF_TUPLES : count('--tuples', values.tuples);
  const seed = values.seed === undefined ? 42 : count('--seed', values.seed);
  if (values.node !== undefined) {
    try {
      accessSync(values.node, constants.X_OK);
    } catch {
      throw new UsageError(`sizeof: --node ${values.node}: no executable file there`);
    }
  }

  const datasets = await sizeofDatasets(values.dataset ?? [], values['dataset-module'] ?? [], seed);
  const records = values.records === undefined ? DEFAULT_SIZEOF_RECORDS : count('--records', values.records);
  try {
    const report = await measureSizeof({
      ...(datasets.length > 0 ? { datasets, records } : {}),
      defaults,
      exprs,
      ...(values.node ? { nodeBinary: values.node } : {}),
      tupleN: defaults ? tupleN : 0,
      seed,
    });
    const out = values.json ? `${JSON.stringify(report, null, 2)}\n` : values.markdown ? renderSizeofMarkdown(report) : renderSizeofText(report);
    process.stdout.write(out);
    return EXIT.ok;
  } catch (err: unknown) {
    if (err instanceof SizeofExprError) throw new UsageError(`sizeof: ${err.message}`);
    throw err;
  }
}
